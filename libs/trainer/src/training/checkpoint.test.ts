import { cp, mkdir, mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backends/backend';
import { backendsUnderTest } from '../testing/backends';
import { buildModel } from '../model/build-model';
import type { Hyperparameters } from '@lepton/model-contract';
import { tabularBlobs } from '../testing/synthetic';
import { readLatestCheckpoint } from './checkpoint';
import { type BatchProgress, train, type TrainOptions } from './train';

// 90 examples → 54 train → 4 batches of 16 (the last has 6) per epoch.
const data = tabularBlobs({ classes: 3, perClass: 30, features: 4, seed: 11 });
const hp: Hyperparameters = { epochs: 4, batchSize: 16, learningRate: 0.02, optimizer: 'adam', seed: 9, earlyStoppingPatience: 0 };
let root: string;
let runs = 0;
const freshDir = () => path.join(root, `run-${++runs}`);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lepton-checkpoint-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const newModel = (hyperparameters = hp) =>
  buildModel({ architecture: 'mlp', hiddenUnits: [12] }, { featureShape: [4], numClasses: 3 }, hyperparameters);
const weightsOf = (model: tf.LayersModel) => model.getWeights().flatMap((w) => Array.from(w.dataSync()));

async function run(options: Partial<TrainOptions> & { checkpointDir: string }) {
  const steps: BatchProgress[] = [];
  const result = await train({
    model: newModel(),
    data,
    hyperparameters: hp,
    ...options,
    onBatch: (progress) => void steps.push(progress),
  });
  return { result, steps };
}

// wasm always; native TensorFlow where it loads (the title says why it did not, where it did not).
for (const backend of await backendsUnderTest()) {
  describe.skipIf(backend.skip !== null)(`checkpoints and resume ${backend.title}`, () => {
    beforeAll(async () => {
      await initBackend(backend.name);
    });

    it('resumes a stopped run at the next epoch and ends exactly where an uninterrupted run ends', async () => {
      const reference = await run({ checkpointDir: freshDir() });
      expect(reference.steps.at(-1)).toMatchObject({ epoch: 3, batch: 3, step: 15 });

      const dir = freshDir();
      let batches = 0;
      const interrupted = await run({ checkpointDir: dir, shouldStop: () => ++batches > 6 }); // in the second epoch
      expect(interrupted.result).toMatchObject({ stopped: true, epochsCompleted: 1, resumedFromEpoch: null });
      expect(await readdir(dir)).toEqual(['epoch-000001']);

      const resumed = await run({ checkpointDir: dir, resume: true });
      expect(resumed.result).toMatchObject({
        stopped: false,
        epochsCompleted: 4,
        resumedFromEpoch: 1,
        ignoredCheckpoints: [],
      });
      expect(resumed.steps[0]).toMatchObject({ epoch: 1, batch: 0, step: 4 });
      expect(resumed.steps.at(-1)).toMatchObject({ epoch: 3, batch: 3, step: 15 });
      expect(resumed.steps).toHaveLength(12);
      // Same shuffles and restored Adam moments: the resumed run retraces the uninterrupted one.
      expect(resumed.steps.map((s) => s.loss)).toEqual(reference.steps.slice(4).map((s) => expect.closeTo(s.loss, 5)));
      const gap = Math.max(
        ...weightsOf(resumed.result.model).map((w, i) => Math.abs(w - weightsOf(reference.result.model)[i]!)),
      );
      expect(gap).toBeLessThan(1e-5);
    });

    it('returns at once when the checkpoint already covers every epoch', async () => {
      const dir = freshDir();
      await run({ checkpointDir: dir });
      const again = await run({ checkpointDir: dir, resume: true });
      expect(again.steps).toEqual([]);
      expect(again.result).toMatchObject({ epochsCompleted: 4, resumedFromEpoch: 4, samplesPerSecond: 0 });
    });

    it('skips a damaged newest checkpoint for an older intact one, and reports it', async () => {
      const longer = freshDir();
      await run({ checkpointDir: longer, hyperparameters: { ...hp, epochs: 3 } });
      const dir = freshDir();
      await run({ checkpointDir: dir, hyperparameters: { ...hp, epochs: 2 } });
      // Simulate what a crash could leave: a later checkpoint whose weights were cut short, and a writer's temp folder.
      await cp(path.join(longer, 'epoch-000003'), path.join(dir, 'epoch-000003'), { recursive: true });
      await truncate(path.join(dir, 'epoch-000003', 'weights.bin'), 10);
      await mkdir(path.join(dir, '.tmp-epoch-000004-dead'));

      const { checkpoint, ignored } = await readLatestCheckpoint(dir);
      expect(checkpoint?.state).toMatchObject({ epochsCompleted: 2, step: 8 });
      expect(ignored).toEqual([{ path: path.join(dir, 'epoch-000003'), reason: expect.stringContaining('checksum') }]);

      const resumed = await run({ checkpointDir: dir, resume: true });
      expect(resumed.result).toMatchObject({ resumedFromEpoch: 2, epochsCompleted: 4 });
      expect(resumed.result.ignoredCheckpoints).toHaveLength(1);
      expect(await readdir(dir)).toEqual(['epoch-000004']); // damaged and temp folders are cleaned up
    });

    it('starts from scratch when no checkpoint is intact', async () => {
      const dir = freshDir();
      await mkdir(path.join(dir, 'epoch-000002'), { recursive: true });
      await writeFile(path.join(dir, 'epoch-000002', 'checkpoint.json'), '{"format":"lepton-trainer-checkpoint","vers');
      const resumed = await run({ checkpointDir: dir, resume: true, hyperparameters: { ...hp, epochs: 1 } });
      expect(resumed.result.resumedFromEpoch).toBeNull();
      expect(resumed.result.ignoredCheckpoints).toEqual([
        { path: path.join(dir, 'epoch-000002'), reason: expect.stringContaining('not valid JSON') },
      ]);
      expect(resumed.steps[0]).toMatchObject({ epoch: 0, step: 0 });
    });

    it('refuses to resume a checkpoint written for a different setup', async () => {
      const dir = freshDir();
      await run({ checkpointDir: dir, hyperparameters: { ...hp, epochs: 1 } });
      await expect(run({ checkpointDir: dir, resume: true, hyperparameters: { ...hp, batchSize: 8 } })).rejects.toThrow(
        /different run \(batchSize differ\)/,
      );
    });

    it('clears old checkpoints when not resuming', async () => {
      const dir = freshDir();
      await run({ checkpointDir: dir, hyperparameters: { ...hp, epochs: 3 } });
      let batches = 0;
      await run({ checkpointDir: dir, shouldStop: () => ++batches > 2 });
      expect(await readdir(dir)).toEqual([]);
    });
  });
}
