import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backends/backend';
import { backendsUnderTest } from '../testing/backends';
import { evaluate } from '../evaluation/evaluate';
import { buildModel } from '../model/build-model';
import { type Hyperparameters, ModelConfigError, type ModelSpec } from '@lepton/model-contract';
import { imageBlobs, tabularBlobs } from '../testing/synthetic';
import type { TrainingData } from './data';
import { type BatchProgress, type EpochProgress, train } from './train';

const hp: Hyperparameters = { epochs: 8, batchSize: 16, learningRate: 0.03, optimizer: 'adam', seed: 3, earlyStoppingPatience: 0 };
let root: string;
let runs = 0;
const freshDir = () => path.join(root, `run-${++runs}`);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lepton-train-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function modelFor(data: TrainingData, spec: ModelSpec, hyperparameters = hp) {
  return buildModel(spec, { featureShape: data.featureShape, numClasses: data.classes.length }, hyperparameters);
}

// wasm always; native TensorFlow where it loads (the title says why it did not, where it did not).
for (const backend of await backendsUnderTest()) {
  describe.skipIf(backend.skip !== null)(`train ${backend.title}`, () => {
    beforeAll(async () => {
      await initBackend(backend.name);
    });

    it.each([2, 3])('reaches high accuracy on separable %i-class tabular data', async (classes) => {
      const data = tabularBlobs({ classes, perClass: 60, features: 4 });
      const model = modelFor(data, { architecture: 'mlp', hiddenUnits: [16] });
      const result = await train({ model, data, hyperparameters: hp, checkpointDir: freshDir() });
      expect(result).toMatchObject({ epochsCompleted: 8, stopped: false, stoppedEarly: false, resumedFromEpoch: null });
      expect(result.samplesPerSecond).toBeGreaterThan(0);
      expect(evaluate(result.model, data, 'test').accuracy).toBeGreaterThanOrEqual(0.95);
    });

    it('trains cnn-tiny on 8×8 images', async () => {
      const data = imageBlobs({ classes: 3, perClass: 40, side: 8 });
      const model = modelFor(data, { architecture: 'cnn-tiny' });
      const result = await train({ model, data, hyperparameters: { ...hp, epochs: 6 }, checkpointDir: freshDir() });
      expect(evaluate(result.model, data, 'test').accuracy).toBeGreaterThanOrEqual(0.95);
    });

    it('reports every batch and epoch with 0-based epoch/batch/step, each epoch before its checkpoint is written', async () => {
      const data = tabularBlobs({ classes: 3, perClass: 36, features: 4 }); // 108 examples → 66 train → batches of 20, 20, 20, 6
      const batches: BatchProgress[] = [];
      const epochs: EpochProgress[] = [];
      const checkpointDir = freshDir();
      const checkpointsAtEpoch: string[][] = [];
      const checkpointsWritten: string[][] = [];
      await train({
        model: modelFor(data, { architecture: 'mlp', hiddenUnits: [8] }),
        data,
        hyperparameters: { ...hp, epochs: 3, batchSize: 20 },
        checkpointDir,
        onBatch: (progress) => void batches.push(progress),
        onEpoch: async (progress) => {
          epochs.push(progress);
          checkpointsAtEpoch.push(await readdir(checkpointDir).catch(() => []));
        },
        onCheckpoint: async () => void checkpointsWritten.push(await readdir(checkpointDir)),
      });
      expect(data.splits.train.length).toBe(66);
      expect(batches.map((b) => [b.epoch, b.batch, b.step])).toEqual(
        [0, 1, 2].flatMap((epoch) => [0, 1, 2, 3].map((batch) => [epoch, batch, epoch * 4 + batch])),
      );
      expect(
        batches.every((b) => b.batchesPerEpoch === 4 && Number.isFinite(b.loss) && b.accuracy >= 0 && b.accuracy <= 1),
      ).toBe(true);
      expect(epochs.map((e) => [e.epoch, e.step])).toEqual([
        [0, 4],
        [1, 8],
        [2, 12],
      ]);
      for (const epoch of epochs) {
        expect(epoch.valLoss).toBeGreaterThan(0);
        expect(epoch.valAccuracy).toBeGreaterThanOrEqual(0);
        expect(epoch.seconds).toBeGreaterThan(0);
      }
      // Epoch loss is the example-weighted mean of its batch losses (the last batch holds 6 examples, not 20).
      const first = batches.slice(0, 4);
      expect(epochs[0]!.loss).toBeCloseTo(first.reduce((sum, b, i) => sum + b.loss * (i < 3 ? 20 : 6), 0) / 66, 5);
      expect(checkpointsAtEpoch).toEqual([[], ['epoch-000001'], ['epoch-000002']]);
      expect(checkpointsWritten).toEqual([['epoch-000001'], ['epoch-000002'], ['epoch-000003']]);
    });

    it('omits validation metrics without a validation split', async () => {
      const data = tabularBlobs({ classes: 2, perClass: 20, features: 3 });
      data.splits.validation = new Int32Array(0);
      const epochs: EpochProgress[] = [];
      await train({
        model: modelFor(data, { architecture: 'mlp' }),
        data,
        hyperparameters: { ...hp, epochs: 1 },
        checkpointDir: freshDir(),
        onEpoch: (progress) => void epochs.push(progress),
      });
      expect(epochs[0]).not.toHaveProperty('valLoss');
    });

    it('stops between batches when asked, keeping the last completed epoch', async () => {
      const data = tabularBlobs({ classes: 2, perClass: 40, features: 3 }); // 48 train → 3 batches of 16
      const seen: number[] = [];
      const result = await train({
        model: modelFor(data, { architecture: 'mlp' }),
        data,
        hyperparameters: hp,
        checkpointDir: freshDir(),
        onBatch: ({ step }) => void seen.push(step),
        shouldStop: () => seen.length === 5,
      });
      expect(seen).toEqual([0, 1, 2, 3, 4]);
      expect(result).toMatchObject({ stopped: true, epochsCompleted: 1, stoppedEarly: false });
    });

    it('stops early on validation loss and returns the best epoch’s weights', async () => {
      // Validation labels are shifted by one class: the better the model learns, the worse validation loss gets.
      const data = tabularBlobs({ classes: 3, perClass: 40, features: 4 });
      const labels = Int32Array.from(data.labels);
      for (const i of data.splits.validation) labels[i] = (labels[i]! + 1) % 3;
      const shifted = { ...data, labels };
      const epochs: EpochProgress[] = [];
      const model = modelFor(shifted, { architecture: 'mlp', hiddenUnits: [16] });
      const result = await train({
        model,
        data: shifted,
        hyperparameters: { ...hp, epochs: 20, earlyStoppingPatience: 2 },
        checkpointDir: freshDir(),
        onEpoch: (progress) => void epochs.push(progress),
      });
      expect(result).toMatchObject({ stoppedEarly: true, epochsCompleted: 3 });
      expect(epochs.map((e) => e.epoch)).toEqual([0, 1, 2]);
      const valLosses = epochs.map((e) => e.valLoss!);
      expect(valLosses[1]).toBeGreaterThan(valLosses[0]!);
      expect(valLosses[2]).toBeGreaterThan(valLosses[0]!);
      const { x, y } = tf.tidy(() => {
        const indices = Array.from(shifted.splits.validation);
        const features = indices.flatMap((i) => Array.from(shifted.features.subarray(i * 4, i * 4 + 4)));
        return {
          x: tf.tensor2d(features, [indices.length, 4]),
          y: tf
            .oneHot(
              indices.map((i) => labels[i]!),
              3,
            )
            .toFloat(),
        };
      });
      const restoredLoss = tf.tidy(() => (model.evaluate(x, y) as tf.Scalar[])[0]!.dataSync()[0]!);
      tf.dispose([x, y]);
      expect(restoredLoss).toBeCloseTo(valLosses[0]!, 4);
    });

    it('keeps tf.memory() flat across batches and leaves no tensors behind', async () => {
      const data = tabularBlobs({ classes: 3, perClass: 30, features: 4 });
      const model = modelFor(data, { architecture: 'mlp' });
      const hyperparameters = { ...hp, epochs: 2, batchSize: 8 };
      await train({ model, data, hyperparameters, checkpointDir: freshDir() }); // creates the optimizer slots
      const before = tf.memory().numTensors;
      const during: number[] = [];
      await train({
        model,
        data,
        hyperparameters,
        checkpointDir: freshDir(),
        onBatch: () => void during.push(tf.memory().numTensors),
      });
      expect(new Set(during).size).toBe(1);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('rejects data that does not fit the model', async () => {
      const data = tabularBlobs({ classes: 2, perClass: 10, features: 3 });
      const model = buildModel({ architecture: 'mlp' }, { featureShape: [4], numClasses: 2 }, hp);
      await expect(train({ model, data, hyperparameters: hp, checkpointDir: freshDir() })).rejects.toMatchObject({
        constructor: ModelConfigError,
        field: 'data.featureShape',
      });
      const badLabels = { ...data, labels: Int32Array.from(data.labels, (label) => label * 5) };
      await expect(
        train({
          model: modelFor(data, { architecture: 'mlp' }),
          data: badLabels,
          hyperparameters: hp,
          checkpointDir: freshDir(),
        }),
      ).rejects.toThrow(/data.labels\[\d+\]: class 5 is outside 0..1/);
    });
  });
}
