/**
 * One backend probe, in its own process (a native library that crashes or hangs takes only this child down):
 * load the backend the parent names, run a matmul (and, to verify a new build, a convolution gradient checked
 * against the pure-JS kernels), print one result line. Run as `node --import tsx probe-child.ts '<request JSON>'`.
 */
import * as tf from '@tensorflow/tfjs';
import { loadNative } from '../native/load-native';
import { describeNativeLoadFailure } from '../native/native-load-failure';
import { RESULT_PREFIX, VERIFY_TOLERANCE, type ProbeOutcome, type ProbeRequest } from './probe-protocol';

function answer(outcome: ProbeOutcome): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(outcome)}\n`);
}

async function activate(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed to initialise`);
}

function checkMatMul(): void {
  const product = tf.tidy(() =>
    tf
      .matMul(
        tf.tensor2d([
          [1, 2],
          [3, 4],
        ]),
        tf.tensor2d([
          [5, 6],
          [7, 8],
        ]),
      )
      .arraySync(),
  );
  if (
    JSON.stringify(product) !==
    JSON.stringify([
      [19, 22],
      [43, 50],
    ])
  ) {
    throw new Error(`a 2×2 matmul gave ${JSON.stringify(product)} instead of [[19,22],[43,50]]`);
  }
}

/** dL/dfilter of a strided, padded convolution on `backend`, as plain numbers. */
async function convFilterGradient(backend: string, input: Float32Array, filter: Float32Array): Promise<Float32Array> {
  await activate(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(input, [2, 9, 9, 3]);
    const gradient = tf.grad((f) =>
      tf
        .conv2d(x, f as tf.Tensor4D, 2, 'same')
        .square()
        .sum(),
    )(tf.tensor4d(filter, [3, 3, 3, 4]));
    return gradient.dataSync() as Float32Array;
  });
}

async function verifyConvGradient(native: string): Promise<number> {
  const values = (count: number, seed: number) =>
    tf.tidy(() => tf.randomNormal([count], 0, 1, 'float32', seed).dataSync() as Float32Array);
  const input = values(2 * 9 * 9 * 3, 1);
  const filter = values(3 * 3 * 3 * 4, 2);
  const actual = await convFilterGradient(native, input, filter);
  const expected = await convFilterGradient('cpu', input, filter);
  let diff = 0;
  let scale = 0;
  expected.forEach((value, i) => {
    diff = Math.max(diff, Math.abs(actual[i]! - value));
    scale = Math.max(scale, Math.abs(value));
  });
  const error = diff / Math.max(scale, 1e-12);
  if (!(error <= VERIFY_TOLERANCE)) {
    throw new Error(
      `a convolution's filter gradient differs from the JavaScript reference by ${error.toExponential(2)} (relative)`,
    );
  }
  return error;
}

async function probe(request: ProbeRequest): Promise<ProbeOutcome> {
  switch (request.backend) {
    case 'native': {
      const loaded = loadNative(request.candidate);
      await activate('tensorflow');
      checkMatMul();
      const convGradientMaxError = request.verify ? await verifyConvGradient('tensorflow') : undefined;
      return {
        ok: true,
        versions: loaded.versions,
        gpu: loaded.gpu,
        ...(convGradientMaxError === undefined ? {} : { convGradientMaxError }),
      };
    }
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      await activate('wasm');
      checkMatMul();
      const simd = !!(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
      const threads = !!(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
      return { ok: true, versions: { 'tfjs-backend-wasm': wasm.version_wasm }, simd, threads };
    }
    case 'cpu': {
      await activate('cpu');
      checkMatMul();
      return { ok: true, versions: { 'tfjs-backend-cpu': tf.version['tfjs-backend-cpu'] ?? 'unknown' } };
    }
  }
}

const request = JSON.parse(process.argv[2] ?? '{}') as ProbeRequest;
probe(request).then(
  (outcome) => answer(outcome),
  (error: unknown) => {
    // A tfjs-node package's loader error names the missing library; say which in one line.
    const message =
      request.backend === 'native' && request.candidate.kind === 'package'
        ? describeNativeLoadFailure(request.candidate.packageName, error)
        : (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
    answer({ ok: false, error: message });
    process.exitCode = 1;
  },
);
