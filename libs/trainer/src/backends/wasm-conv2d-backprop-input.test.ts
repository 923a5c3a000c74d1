import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerWasmConv2DBackpropFilter } from './wasm-conv2d-backprop-filter';
import { registerWasmConv2DBackpropInput } from './wasm-conv2d-backprop-input';
import { BACKPROP_INPUT_CASES, dyShapeOf, type ConvGradientCase as Case, type Shape4D } from './conv-gradient-cases';
import { compare, seeded, TOLERANCE, use } from './kernel-test-support';

/** The registered kernel of the active backend, called the way the conv2d gradient and conv2dTranspose do. */
const backpropInput = (dy: tf.Tensor, filter: tf.Tensor, attrs: tf.Conv2DBackpropInputAttrs) =>
  tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;

function kernelResult(c: Case, dy: Float32Array, filter: Float32Array): Float32Array {
  return tf.tidy(() => {
    const { strides, pad, dimRoundingMode } = c;
    const attrs = { strides, pad, dimRoundingMode, dataFormat: 'NHWC' as const, inputShape: c.x };
    return backpropInput(tf.tensor(dy, dyShapeOf(c)), tf.tensor4d(filter, c.filter), attrs).dataSync() as Float32Array;
  });
}

// conv2d's gradient drops dimRoundingMode, so these only reach the kernel directly.
const ROUNDING_CASES: Case[] = (['floor', 'round', 'ceil'] as const).map((dimRoundingMode) => ({
  name: `pad 1, stride 2, dimRoundingMode ${dimRoundingMode}`,
  x: [2, 8, 9, 2],
  filter: [3, 3, 2, 3],
  strides: 2,
  pad: 1,
  dimRoundingMode,
}));

const observed: { name: string; diff: number; scale: number }[] = [];
let original: tf.KernelConfig;
let warnings: unknown[][] = [];

beforeAll(async () => {
  // The package's own kernel, kept for the timing comparison.
  original = tf.getKernel(tf.Conv2DBackpropInput, 'wasm') as tf.KernelConfig;
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    registerWasmConv2DBackpropInput();
    warnings = warn.mock.calls.filter((args) => String(args[0]).includes('already registered'));
  } finally {
    warn.mockRestore();
  }
  registerWasmConv2DBackpropFilter(); // for the end-to-end gradients
  await use('wasm');
});

afterAll(() => {
  if (observed.length === 0) return; // filtered run
  const worst = observed.reduce((a, b) => (b.diff / b.scale > a.diff / a.scale ? b : a));
  console.log(
    `wasm vs cpu over ${observed.length} comparisons: worst relative error ` +
      `${(worst.diff / worst.scale).toExponential(2)} (max |Δ| ${worst.diff.toExponential(2)} of ${worst.scale.toPrecision(3)}, ${worst.name})`,
  );
});

describe('registerWasmConv2DBackpropInput', () => {
  it('replaces the package kernel once, quietly, and is idempotent', () => {
    const first = tf.getKernel(tf.Conv2DBackpropInput, 'wasm')!;
    expect(original).toBeDefined();
    expect(first.kernelFunc).not.toBe(original.kernelFunc);
    expect(warnings).toEqual([]);
    registerWasmConv2DBackpropInput();
    expect(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')).toBe(first);
    expect(tf.getKernelsForBackend('wasm').filter((k) => k.kernelName === tf.Conv2DBackpropInput)).toHaveLength(1);
  });

  it.each([...BACKPROP_INPUT_CASES, ...ROUNDING_CASES])('matches the cpu kernel: $name', async (c) => {
    const dy = seeded(dyShapeOf(c), 1);
    const filter = seeded(c.filter, 2);
    await use('cpu');
    const expected = kernelResult(c, dy, filter);
    await use('wasm');
    const before = { tensors: tf.memory().numTensors, data: tf.engine().backend.numDataIds() };
    const actual = kernelResult(c, dy, filter);
    // Every intermediate is freed.
    expect({ tensors: tf.memory().numTensors, data: tf.engine().backend.numDataIds() }).toEqual(before);

    const { diff, scale } = compare(actual, expected);
    observed.push({ name: c.name, diff, scale });
    expect(scale).toBeGreaterThan(0);
    expect(diff).toBeLessThanOrEqual(TOLERANCE * Math.max(scale, 1));
  });

  it.each([
    {
      name: 'stride 2, odd output',
      x: [2, 4, 5, 6],
      filter: [3, 3, 3, 6],
      out: [2, 9, 11, 3],
      stride: 2,
      pad: 'valid',
    },
    {
      name: 'stride 2, even output',
      x: [2, 4, 5, 6],
      filter: [3, 3, 3, 6],
      out: [2, 10, 12, 3],
      stride: 2,
      pad: 'valid',
    },
    {
      name: 'stride 3, output padding 2',
      x: [1, 3, 4, 2],
      filter: [2, 2, 4, 2],
      out: [1, 10, 12, 4],
      stride: 3,
      pad: 'valid',
    },
    {
      name: 'stride 2, same, odd output',
      x: [3, 5, 4, 4],
      filter: [3, 3, 2, 4],
      out: [3, 9, 7, 2],
      stride: 2,
      pad: 'same',
    },
    {
      name: 'stride 2, same, even output',
      x: [3, 5, 4, 4],
      filter: [3, 3, 2, 4],
      out: [3, 10, 8, 2],
      stride: 2,
      pad: 'same',
    },
  ] as const)('matches cpu through tf.conv2dTranspose: $name', async (c) => {
    const x = seeded([...c.x], 3);
    const filter = seeded([...c.filter], 4);
    const transpose = () =>
      tf.tidy(
        () =>
          tf
            .conv2dTranspose(tf.tensor4d(x, [...c.x]), tf.tensor4d(filter, [...c.filter]), [...c.out], c.stride, c.pad)
            .dataSync() as Float32Array,
      );
    await use('cpu');
    const expected = transpose();
    await use('wasm');
    const { diff, scale } = compare(transpose(), expected);
    observed.push({ name: `conv2dTranspose ${c.name}`, diff, scale });
    expect(diff).toBeLessThanOrEqual(TOLERANCE * Math.max(scale, 1));
  });

  it('returns an empty dx for an empty batch', () => {
    const attrs: tf.Conv2DBackpropInputAttrs = {
      strides: 2,
      pad: 'same',
      dataFormat: 'NHWC',
      inputShape: [0, 5, 6, 2],
    };
    const dx = tf.tidy(() => backpropInput(tf.zeros([0, 3, 3, 4]), tf.ones([3, 3, 2, 4]), attrs));
    expect(dx.shape).toEqual([0, 5, 6, 2]);
    dx.dispose();
  });

  it('never reads uninitialised wasm memory', async () => {
    const c: Case = { name: 'poisoned heap', x: [4, 11, 10, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'valid' };
    const dy = seeded(dyShapeOf(c), 8);
    const filter = seeded(c.filter, 9);
    await use('cpu');
    const expected = kernelResult(c, dy, filter);
    await use('wasm');
    // Freed blocks keep their NaNs, and the kernel's scratch buffers are likely to land on them.
    tf.fill([1 << 20], NaN).dispose();
    const { diff, scale } = compare(kernelResult(c, dy, filter), expected);
    expect(diff).toBeLessThanOrEqual(TOLERANCE * Math.max(scale, 1));
  });

  it("leaves NCHW, which the wasm Conv2D cannot run, to the package's kernel", async () => {
    const inputShape: Shape4D = [2, 3, 7, 6];
    const attrs: tf.Conv2DBackpropInputAttrs = { strides: 2, pad: 'same', dataFormat: 'NCHW', inputShape };
    const dyValues = seeded([2, 4, 4, 3], 5);
    const filterValues = seeded([3, 3, 3, 4], 6);
    const result = () =>
      tf.tidy(() =>
        backpropInput(tf.tensor(dyValues, [2, 4, 4, 3]), tf.tensor(filterValues, [3, 3, 3, 4]), attrs).dataSync(),
      );
    await use('cpu');
    const expected = result();
    await use('wasm');
    const { diff, scale } = compare(result(), expected);
    expect(diff).toBeLessThanOrEqual(TOLERANCE * Math.max(scale, 1));
  });

  it('gives the same gradients for a small 2-conv model as the cpu backend', async () => {
    const build = () => {
      const model = tf.sequential();
      model.add(
        tf.layers.conv2d({ inputShape: [12, 11, 2], filters: 5, kernelSize: 3, padding: 'same', activation: 'relu' }),
      );
      // Stride 2 over 12×11 with a 3×2 kernel leaves a row and a column unread.
      model.add(tf.layers.conv2d({ filters: 6, kernelSize: [3, 2], strides: 2, activation: 'tanh' }));
      model.add(tf.layers.flatten());
      model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
      return model;
    };
    const shapes = tf.tidy(() => build().getWeights()).map((w) => w.shape);
    const initial = shapes.map((shape, i) => seeded(shape, 10 + i, 0.3));
    const images = seeded([6, 12, 11, 2], 7);
    const labels = [0, 2, 1, 1, 0, 2];

    const gradients = async (backend: 'cpu' | 'wasm') => {
      await use(backend);
      const model = build();
      model.setWeights(initial.map((values, i) => tf.tensor(values, shapes[i])));
      const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const x = tf.tensor4d(images, [6, 12, 11, 2]);
      const y = tf.oneHot(labels, 3);
      const lossOf = (input: tf.Tensor) =>
        tf.losses.softmaxCrossEntropy(y, model.apply(input) as tf.Tensor) as tf.Scalar;
      const before = tf.memory().numTensors;
      const { value, grads } = tf.variableGrads(() => lossOf(x), variables);
      // The input gradient runs Conv2DBackpropInput through both layers.
      const dx = tf.grad(lossOf)(x);
      const result = {
        loss: value.dataSync()[0]!,
        gradients: [...variables.map((v) => grads[v.name]!.dataSync() as Float32Array), dx.dataSync() as Float32Array],
      };
      tf.dispose([value, dx, ...Object.values(grads)]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, y]);
      model.dispose();
      return result;
    };

    const cpu = await gradients('cpu');
    const wasm = await gradients('wasm');
    expect(wasm.loss).toBeCloseTo(cpu.loss, 5);
    expect(wasm.gradients).toHaveLength(7);
    wasm.gradients.forEach((g, i) => {
      const { diff, scale } = compare(g, cpu.gradients[i]!);
      observed.push({ name: `2-conv model, gradient ${i}`, diff, scale });
      expect(scale).toBeGreaterThan(0); // every layer and the input get a real gradient
      expect(diff).toBeLessThanOrEqual(TOLERANCE * Math.max(scale, 1));
    });
  });

  it('runs the MNIST-sized case (benchmark log, not an assertion on time)', async () => {
    // batch 32, 28×28×32 input, 3×3 filter, 64 output channels. All three kernels are synchronous.
    const attrsFor = (batch: number): tf.Conv2DBackpropInputAttrs => ({
      strides: 1,
      pad: 'valid',
      dataFormat: 'NHWC',
      inputShape: [batch, 28, 28, 32],
    });
    const time = (calls: number, batch: number, kernel: (dy: tf.Tensor, filter: tf.Tensor) => tf.TensorInfo) => {
      const dy = tf.randomNormal([batch, 26, 26, 64]);
      const filter = tf.randomNormal([3, 3, 32, 64]);
      const once = () => tf.engine().backend.disposeData(kernel(dy, filter).dataId);
      once(); // warm-up: heap growth
      const start = performance.now();
      for (let i = 0; i < calls; i++) once();
      const ms = (performance.now() - start) / calls;
      tf.dispose([dy, filter]);
      return ms;
    };
    const registered = (dy: tf.Tensor, filter: tf.Tensor) => {
      const kernel = tf.getKernel(tf.Conv2DBackpropInput, tf.getBackend())!;
      const attrs = attrsFor(dy.shape[0]!) as unknown as tf.NamedAttrMap;
      return kernel.kernelFunc({ inputs: { dy, filter }, backend: tf.engine().backend, attrs }) as tf.TensorInfo;
    };
    const packaged = (dy: tf.Tensor, filter: tf.Tensor) => {
      const attrs = attrsFor(dy.shape[0]!) as unknown as tf.NamedAttrMap;
      return original.kernelFunc({ inputs: { dy, filter }, backend: tf.engine().backend, attrs }) as tf.TensorInfo;
    };
    await use('wasm');
    const wasmMs = time(10, 32, registered);
    const originalMs = time(3, 32, packaged);
    // For scale: the forward convolution of the same shape, which XNNPACK runs too.
    const x = tf.randomNormal([32, 28, 28, 32]) as tf.Tensor4D;
    const forwardMs = time(10, 32, (_, filter) => tf.conv2d(x, filter as tf.Tensor4D, 1, 'valid'));
    x.dispose();
    await use('cpu');
    // The cpu kernel is linear in the batch: time 4 samples and scale, to keep the suite quick.
    const cpuMs = time(1, 4, registered) * 8;
    console.log(
      `Conv2DBackpropInput [32,26,26,64] ⊛ 3×3 → [32,28,28,32]: wasm ${wasmMs.toFixed(1)} ms/call ` +
        `(forward Conv2D ${forwardMs.toFixed(1)} ms), package's wasm kernel ${originalMs.toFixed(1)} ms/call ` +
        `(${(originalMs / wasmMs).toFixed(1)}× slower), cpu ≈ ${cpuMs.toFixed(0)} ms/call ` +
        `(batch 4 × 8, ${(cpuMs / wasmMs).toFixed(0)}× slower)`,
    );
    expect(wasmMs).toBeGreaterThan(0);
  }, 120_000);
});
