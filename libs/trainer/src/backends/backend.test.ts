import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { buildModel } from '../model/build-model';
import { imageBlobs } from '../testing/synthetic';
import { train } from '../training/train';
import { BACKEND_ENV_VAR, initBackend } from './backend';

const installed = (pkg: string) => {
  try {
    createRequire(__filename).resolve(pkg);
    return true;
  } catch {
    return false;
  }
};
const nativeInstalled = installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu');

afterEach(() => {
  delete process.env[BACKEND_ENV_VAR];
});

describe('initBackend', () => {
  it('honours LEPTON_TF_BACKEND=cpu and reports versions', async () => {
    process.env[BACKEND_ENV_VAR] = 'cpu';
    const info = await initBackend('wasm'); // the environment wins over the argument
    expect(info).toEqual({
      backend: 'cpu',
      versions: { 'tfjs-core': tf.version_core, 'tfjs-layers': tf.version_layers, 'tfjs-backend-cpu': expect.any(String) },
      skipped: [],
    });
    expect(tf.getBackend()).toBe('cpu');
    expect(await initBackend()).toEqual(info); // idempotent
  });

  it('fails clearly when the forced backend cannot load, or is not a backend', async () => {
    process.env[BACKEND_ENV_VAR] = 'tfjs';
    await expect(initBackend()).rejects.toThrow(/LEPTON_TF_BACKEND=tfjs is not a backend; use one of tensorflow-gpu, tensorflow, wasm, cpu/);
    if (nativeInstalled) return;
    process.env[BACKEND_ENV_VAR] = 'tensorflow';
    await expect(initBackend()).rejects.toThrow(/LEPTON_TF_BACKEND=tensorflow, but that backend cannot be loaded: .*tfjs-node/);
  });

  it.skipIf(nativeInstalled)('falls back past the unavailable tfjs-node packages to wasm, saying why', async () => {
    const info = await initBackend();
    expect(info.backend).toBe('wasm');
    expect(info.versions['tfjs-backend-wasm']).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.skipped.map((s) => s.backend)).toEqual(['tensorflow-gpu', 'tensorflow']);
    expect(info.skipped[1]!.reason).toContain('@tensorflow/tfjs-node');
    expect(tf.getBackend()).toBe('wasm');
    expect(await initBackend()).toEqual(info); // idempotent
    // A preference starts the search there: tfjs-node is tried, then wasm.
    expect(await initBackend('tensorflow')).toMatchObject({ backend: 'wasm', skipped: [{ backend: 'tensorflow' }] });
    expect((await initBackend('cpu')).backend).toBe('cpu'); // switching back and forth is allowed
    expect((await initBackend('wasm')).backend).toBe('wasm');
  });

  it('trains a convolution on wasm (needs the registered Conv2DBackpropFilter kernel)', async () => {
    expect((await initBackend('wasm')).backend).toBe('wasm');
    const data = imageBlobs({ classes: 2, perClass: 30, side: 8 });
    const hyperparameters = { epochs: 4, batchSize: 8, learningRate: 0.03, optimizer: 'adam' as const, seed: 1 };
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
