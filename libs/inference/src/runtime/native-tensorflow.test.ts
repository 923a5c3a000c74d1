import { findNativeCandidates, type NativeChoice } from '@lepton/backends';
import { saveModel } from '@lepton/model-io';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tfjsBackendSource } from './backend-source';
import { InferenceRuntime } from './inference-runtime';
import { nativeTensorflow } from './native-tensorflow';

let root: string;
let modelDir: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lepton-native-serving-'));
  await tf.setBackend('cpu');
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [6], units: 8, activation: 'relu' }),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  modelDir = path.join(root, 'model');
  await saveModel(model, modelDir);
  model.dispose();
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('native TensorFlow for serving', () => {
  it('skips a native backend with the probe’s reason, and serves from the others', async () => {
    const noNative = (): Promise<NativeChoice> =>
      Promise.resolve({
        probes: [],
        unavailable: [],
        nvidia: null,
        choice: {
          'tensorflow-gpu': { reason: 'no NVIDIA driver (no /proc/driver/nvidia/version, no nvidia-smi)' },
          tensorflow: { reason: "Lepton's TensorFlow CPU build: not installed" },
        },
      });
    const runtime = new InferenceRuntime({
      backends: tfjsBackendSource(nativeTensorflow(noNative)),
      candidates: ['tensorflow-gpu', 'tensorflow', 'cpu'],
    });
    expect(await runtime.available()).toEqual({
      loaded: ['cpu'],
      skipped: [
        { backend: 'tensorflow-gpu', reason: 'no NVIDIA driver (no /proc/driver/nvidia/version, no nvidia-smi)' },
        { backend: 'tensorflow', reason: "Lepton's TensorFlow CPU build: not installed" },
      ],
    });
  });

  const native = findNativeCandidates();
  const missing = native.candidates.length === 0 ? (native.unavailable[0]?.reason ?? 'no build') : null;
  it.skipIf(missing !== null)(
    `loads the probed build and times each model on it against wasm${missing ? ` — not run here: ${missing}` : ''}`,
    async () => {
      const runtime = new InferenceRuntime({
        backends: tfjsBackendSource(nativeTensorflow()),
        candidates: ['tensorflow', 'wasm', 'cpu'],
        trialMs: 50,
      });
      expect((await runtime.available()).loaded).toEqual(['tensorflow', 'wasm', 'cpu']);
      const model = await runtime.load(modelDir, 32);
      expect(model.choice.trials.map((trial) => trial.backend)).toEqual(['tensorflow', 'wasm']);
      for (const trial of model.choice.trials) expect(trial.rowsPerSecond).toBeGreaterThan(0);
      expect(['tensorflow', 'wasm']).toContain(model.choice.backend);
      expect(model.choice.reason).toMatch(/rows\/s on tensorflow vs .* on wasm, batches of 32/);
      if (model.choice.backend === 'tensorflow') expect(model.choice.versions).toHaveProperty('tensorflow');
      const out = await runtime.lane.run(() => model.predict(new Float32Array(12).fill(0.5), 2));
      expect(out).toHaveLength(6);
      expect(out[0]! + out[1]! + out[2]!).toBeCloseTo(1, 5);
      model.dispose();
    },
    60_000,
  );
});
