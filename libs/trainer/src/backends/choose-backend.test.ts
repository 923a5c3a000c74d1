import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Hyperparameters } from '@lepton/model-contract';
import { nativeUnderTest } from '../testing/backends';
import { tabularBlobs } from '../testing/synthetic';
import { BACKEND_ENV_VAR } from './backend';
import { SWITCH_MARGIN, chooseTrainingBackend, decideByTrial } from './choose-backend';

const native = await nativeUnderTest();
const data = tabularBlobs({ classes: 3, perClass: 100, features: 8 });
const hyperparameters: Hyperparameters = { epochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 5, earlyStoppingPatience: 0 };
const mlp = { architecture: 'mlp' as const, hiddenUnits: [32] };

afterEach(() => {
  delete process.env[BACKEND_ENV_VAR];
});

describe('decideByTrial', () => {
  const trial = (backend: 'tensorflow' | 'wasm', samplesPerSecond: number) => ({
    backend,
    samplesPerSecond,
    steps: 10,
  });

  it(`keeps native TensorFlow unless wasm is at least ${SWITCH_MARGIN}× faster, and gives the figures`, () => {
    expect(decideByTrial(trial('tensorflow', 30_000), trial('wasm', 41_000))).toEqual({
      backend: 'wasm',
      reason: 'wasm trains this model 1.37× faster (30,000 samples/s on tensorflow vs 41,000 on wasm in a short trial)',
    });
    expect(decideByTrial(trial('tensorflow', 30_000), trial('wasm', 33_000))).toEqual({
      backend: 'tensorflow',
      reason: `tensorflow (30,000 samples/s on tensorflow vs 33,000 on wasm in a short trial; wasm would need to be ${SWITCH_MARGIN}× faster)`,
    });
    expect(decideByTrial(trial('tensorflow', 3_000), trial('wasm', 500)).backend).toBe('tensorflow');
  });
});

describe('chooseTrainingBackend', () => {
  it('does not second-guess LEPTON_TF_BACKEND', async () => {
    process.env[BACKEND_ENV_VAR] = 'cpu';
    const choice = await chooseTrainingBackend({ spec: mlp, data, hyperparameters });
    expect(choice).toMatchObject({ info: { backend: 'cpu' }, trials: [], reason: 'LEPTON_TF_BACKEND=cpu' });
  });

  it.skipIf(native.skip !== null)(
    `measures the model on native TensorFlow and wasm and activates the faster ${native.title}`,
    async () => {
      const choice = await chooseTrainingBackend({ spec: mlp, data, hyperparameters });
      expect(choice.trials.map((trial) => trial.backend)).toEqual([native.name, 'wasm']);
      for (const trial of choice.trials) {
        expect(trial.steps).toBeGreaterThanOrEqual(3);
        expect(trial.samplesPerSecond).toBeGreaterThan(0);
      }
      const [nativeTrial, wasmTrial] = choice.trials;
      expect(choice.info.backend).toBe(decideByTrial(nativeTrial!, wasmTrial!).backend);
      expect(choice.reason).toMatch(/samples\/s on tensorflow(-gpu)? vs [\d,]+ on wasm/);
      expect(tf.getBackend()).toBe(choice.info.backend === 'wasm' ? 'wasm' : 'tensorflow');
      expect(tf.memory().numTensors).toBeLessThan(50); // trial models and batches are disposed
    },
  );
});
