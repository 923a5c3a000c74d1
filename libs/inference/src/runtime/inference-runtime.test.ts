import { saveModel } from '@lepton/model-io';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerialLane } from '../batching/serial-lane';
import { tfjsBackendSource } from './backend-source';
import { InferenceRuntime } from './inference-runtime';

let root: string;
let modelDir: string;
let reference: tf.LayersModel;
const backends = tfjsBackendSource();

/** Tensors' data held by each backend (tfjs would move a model's weights if it ran on another backend). */
const held = () => ({ cpu: tf.findBackend('cpu')!.numDataIds(), wasm: tf.findBackend('wasm')!.numDataIds() });

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lepton-runtime-'));
  await tf.setBackend('cpu');
  reference = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [4],
        units: 6,
        activation: 'tanh',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }),
      }),
      tf.layers.dense({
        units: 3,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 10 }),
      }),
    ],
  });
  modelDir = path.join(root, 'model');
  await saveModel(reference, modelDir);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('InferenceRuntime', () => {
  it('runs models on different backends in one lane; each keeps its weights on its own backend', async () => {
    const lane = new SerialLane();
    const onCpu = await new InferenceRuntime({ backends, candidates: ['cpu'], lane }).load(modelDir, 4);
    const onWasm = await new InferenceRuntime({ backends, candidates: ['wasm'], lane }).load(modelDir, 4);
    expect([onCpu.choice.backend, onWasm.choice.backend]).toEqual(['cpu', 'wasm']);
    expect(onWasm.choice.reason).toBe('wasm is the only backend that loads here');
    expect(onWasm.choice.versions).toHaveProperty('tfjs-backend-wasm');
    expect([onCpu.inputShape, onCpu.outputWidth]).toEqual([[4], 3]);

    const input = Float32Array.from({ length: 8 }, (_, i) => i / 4 - 1);
    await tf.setBackend('cpu');
    const expected = tf.tidy(() => Array.from((reference.predict(tf.tensor(input, [2, 4])) as tf.Tensor).dataSync()));
    const before = held();
    for (let round = 0; round < 3; round++) {
      for (const model of [onCpu, onWasm]) {
        const out = await lane.run(() => model.predict(input, 2));
        Array.from(out).forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThan(1e-6));
      }
    }
    // Nothing moved between backends and nothing leaked: the same data on each as before the calls.
    expect(held()).toEqual(before);
    onCpu.dispose();
    onWasm.dispose();
  });

  it('with LEPTON_TF_BACKEND forcing one backend, runs no trial and says why', async () => {
    const runtime = new InferenceRuntime({ backends, candidates: ['cpu'], forcedBy: 'LEPTON_TF_BACKEND=cpu' });
    const model = await runtime.load(modelDir, 8);
    expect(model.choice).toMatchObject({ backend: 'cpu', trials: [], reason: 'LEPTON_TF_BACKEND=cpu' });
    model.dispose();
  });

  it('reports the backends that do not load with the reason, and uses the rest', async () => {
    const runtime = new InferenceRuntime({ backends, candidates: ['tensorflow', 'wasm', 'cpu'], trialMs: 20 });
    const available = await runtime.available();
    expect(available.loaded).toEqual(['wasm', 'cpu']);
    expect(available.skipped).toEqual([
      { backend: 'tensorflow', reason: 'native TensorFlow is not available to this process' },
    ]);
    const model = await runtime.load(modelDir, 4);
    expect(model.choice.trials.map((trial) => trial.backend)).toEqual(['wasm', 'cpu']);
    model.dispose();
  });
});
