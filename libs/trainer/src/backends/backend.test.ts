import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../model/build-model';
import { nativeUnderTest } from '../testing/backends';
import { imageBlobs } from '../testing/synthetic';
import { train } from '../training/train';
import { BACKEND_ENV_VAR, initBackend, type BackendInfo } from './backend';

const native = await nativeUnderTest();
let emptyCache: string;
beforeAll(async () => {
  emptyCache = await mkdtemp(path.join(tmpdir(), 'lepton-no-native-'));
});
afterAll(async () => {
  await rm(emptyCache, { recursive: true, force: true });
});
afterEach(() => {
  delete process.env[BACKEND_ENV_VAR];
});

/**
 * initBackend in a fresh process whose native TensorFlow cache is empty: what a machine without the native
 * build sees. Resolves with the BackendInfo of each requested call, or the error message.
 */
function withoutNative(
  calls: (string | null)[],
  env: Record<string, string> = {},
): Promise<(BackendInfo | { error: string })[]> {
  const script = `(async () => {
    const { initBackend } = require(${JSON.stringify(path.join(__dirname, 'backend.ts'))});
    const results = [];
    for (const preferred of ${JSON.stringify(calls)}) {
      results.push(await initBackend(preferred).catch((error) => ({ error: error.message })));
    }
    process.stdout.write(JSON.stringify(results));
  })();`;
  const tsx = pathToFileURL(createRequire(__filename).resolve('tsx')).href;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, '-e', script], {
      env: { ...process.env, LEPTON_TF_CACHE: emptyCache, [BACKEND_ENV_VAR]: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`exit ${code}: ${err}`))));
  });
}

describe('initBackend', () => {
  it('honours LEPTON_TF_BACKEND=cpu and reports versions and device', async () => {
    process.env[BACKEND_ENV_VAR] = 'cpu';
    const info = await initBackend('wasm'); // the environment wins over the argument
    expect(info).toEqual({
      backend: 'cpu',
      versions: {
        'tfjs-core': tf.version_core,
        'tfjs-layers': tf.version_layers,
        'tfjs-backend-cpu': expect.any(String),
      },
      device: 'CPU via JavaScript',
      skipped: [],
    });
    expect(tf.getBackend()).toBe('cpu');
    expect(await initBackend()).toEqual(info); // idempotent
  });

  it('refuses a LEPTON_TF_BACKEND that is not a backend', async () => {
    process.env[BACKEND_ENV_VAR] = 'tfjs';
    await expect(initBackend()).rejects.toThrow(
      /LEPTON_TF_BACKEND=tfjs is not a backend; use one of tensorflow-gpu, tensorflow, wasm, cpu/,
    );
  });

  it('falls back to wasm without native TensorFlow, saying why for each better backend', async () => {
    const [best, again, preferNative, cpu, wasm] = await withoutNative([null, null, 'tensorflow', 'cpu', 'wasm']);
    expect(best).toMatchObject({
      backend: 'wasm',
      versions: { 'tfjs-backend-wasm': expect.stringMatching(/^\d+\.\d+\.\d+/) },
      device: expect.stringMatching(/^CPU via WebAssembly \((no )?SIMD, /),
      skipped: [
        { backend: 'tensorflow-gpu', reason: expect.any(String) },
        {
          backend: 'tensorflow',
          reason: expect.stringContaining(
            `not installed in ${path.join(emptyCache, '2.21.0-cpu')}; run npm run tensorflow:install`,
          ),
        },
      ],
    });
    expect(again).toEqual(best); // idempotent
    // A preference starts the search there: native TensorFlow is tried, then wasm.
    expect(preferNative).toMatchObject({ backend: 'wasm', skipped: [{ backend: 'tensorflow' }] });
    expect(cpu).toMatchObject({ backend: 'cpu' }); // switching back and forth is allowed
    expect(wasm).toMatchObject({ backend: 'wasm' });
  });

  it('fails clearly when a forced native backend cannot load', async () => {
    const [forced] = await withoutNative([null], { [BACKEND_ENV_VAR]: 'tensorflow' });
    expect(forced).toEqual({
      error: expect.stringMatching(
        /^LEPTON_TF_BACKEND=tensorflow, but that backend cannot be loaded: Lepton's TensorFlow CPU build: .*not installed/,
      ),
    });
  });

  it.skipIf(native.skip !== null)(
    `loads native TensorFlow 2.21 with its device, and switches to wasm and back ${native.title}`,
    async () => {
      const info = await initBackend();
      expect(info).toMatchObject({
        backend: native.name,
        versions: { tensorflow: '2.21.0', 'tfjs-node': expect.any(String) },
        device: expect.stringMatching(/^(CPU|GPU): /),
      });
      if (native.name === 'tensorflow')
        expect(info.skipped).toEqual([{ backend: 'tensorflow-gpu', reason: expect.any(String) }]);
      expect(tf.getBackend()).toBe('tensorflow');
      expect((await initBackend('wasm')).backend).toBe('wasm');
      expect(await initBackend(native.name)).toMatchObject({ backend: native.name, device: info.device });
      expect(tf.getBackend()).toBe('tensorflow');
    },
  );

  it('trains a convolution on wasm (needs the registered Conv2DBackpropFilter kernel)', async () => {
    expect((await initBackend('wasm')).backend).toBe('wasm');
    const data = imageBlobs({ classes: 2, perClass: 30, side: 8 });
    const hyperparameters = { epochs: 4, batchSize: 8, learningRate: 0.03, optimizer: 'adam' as const, seed: 1, earlyStoppingPatience: 0 };
    const model = buildModel({ architecture: 'cnn-tiny' }, { featureShape: [8, 8, 1], numClasses: 2 }, hyperparameters);
    const losses: number[] = [];
    const checkpointDir = await mkdtemp(path.join(tmpdir(), 'lepton-wasm-'));
    try {
      await train({ model, data, hyperparameters, checkpointDir, onEpoch: (epoch) => void losses.push(epoch.loss) });
    } finally {
      await rm(checkpointDir, { recursive: true, force: true });
    }
    expect(losses.at(-1)).toBeLessThan(losses[0]! * 0.5);
  });
});
