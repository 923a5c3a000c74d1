import { deserializePreparedDataset, type PreparedDataset } from '@lepton/datasets';
import { dataOf, anImportedCsv, startTestApi, type TestApi } from '@lepton/graphql-api/testing';
import { HYPERPARAMETER_DEFAULTS, TRAINING_METRICS } from '@lepton/model-contract';
import { loadModel } from '@lepton/model-io';
import { startWorkerProcess, type WorkerProcess } from '@lepton/training/testing';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Early stopping as a new user meets it: a small noisy table and many epochs, so a wide MLP memorises the noise and
 * its validation loss climbs again. With the defaults (a validation split exists) the run stops 5 epochs after its
 * best one, and the version it registers carries the best epoch's weights: their validation loss, recomputed here
 * from the stored model and the stored dataset, is the lowest `epoch/val_loss` the run logged.
 */

const TRAIN = `mutation($input: StartTrainingInput!) { startTraining(input: $input) { id } }`;
const RUN = `query($id: ID!) { run(id: $id) { status error params modelVersion { artifactUri } } }`;

interface RunAnswer {
  status: string;
  error: string | null;
  params: {
    hyperparameters: { earlyStoppingPatience: number; epochs: number };
    lineage?: { epochsCompleted: number; stoppedEarly: boolean; bestEpoch: number | null };
  };
  modelVersion: { artifactUri: string } | null;
}

/** 240 rows: one informative feature, seven of noise, and a third of the labels flipped. */
function noisyCsv(): string {
  let state = 11;
  const random = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const rows = ['a,b,c,d,e,f,g,h,label'];
  for (let i = 0; i < 240; i++) {
    const values = Array.from({ length: 8 }, () => random() * 2 - 1);
    const flipped = random() < 0.33;
    const label = values[0]! > 0 !== flipped ? 'yes' : 'no';
    rows.push(`${values.map((v) => v.toFixed(4)).join(',')},${label}`);
  }
  return rows.join('\n') + '\n';
}

describe('early stopping on by default: the registered version is the best validation-loss epoch', () => {
  let api: TestApi;
  let worker: WorkerProcess;
  let workDir: string;
  let datasetVersionId: string;
  let dataset: PreparedDataset;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'lepton-early-stopping-'));
    api = await startTestApi();
    datasetVersionId = await anImportedCsv(api, 'noisy', noisyCsv(), { seed: 3 });
    const { rows } = await api.db.pool.query<{ storage_uri: string }>(
      `SELECT storage_uri FROM dataset_version WHERE id = $1`,
      [datasetVersionId],
    );
    const prefix = api.artifacts.keyFromUri(rows[0]!.storage_uri);
    const files: Record<string, Uint8Array> = {};
    for (const key of await api.artifacts.list(prefix)) files[key.slice(prefix.length + 1)] = await api.artifacts.get(key);
    dataset = deserializePreparedDataset(files);
    // The JavaScript backend, here and in the worker: the losses compared below come from the same kernels.
    worker = startWorkerProcess({
      databaseUrl: api.db.url,
      artifactsDir: api.artifactsDir,
      env: { LEPTON_TF_BACKEND: 'cpu' },
    });
    await tf.setBackend('cpu');
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  async function trainToEnd(hyperparameters: Record<string, unknown>): Promise<{ id: string; run: RunAnswer }> {
    const { startTraining } = dataOf(
      await api.gql<{ startTraining: { id: string } }>(TRAIN, {
        input: { model: 'noisy-mlp', datasetVersionId, spec: { architecture: 'MLP', hiddenUnits: [128, 128] }, hyperparameters },
      }),
    );
    const deadline = Date.now() + 240_000;
    for (;;) {
      const { run } = dataOf(await api.gql<{ run: RunAnswer }>(RUN, { id: startTraining.id }));
      if (run.status === 'SUCCEEDED') return { id: startTraining.id, run };
      if (run.status === 'FAILED' || run.status === 'CANCELLED' || Date.now() > deadline)
        throw new Error(`run ${run.status}: ${run.error}\n${worker.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async function loggedValLosses(runId: string): Promise<number[]> {
    const { rows } = await api.db.pool.query<{ value: number }>(
      `SELECT value FROM metric_point WHERE run_id = $1 AND key = $2 ORDER BY step`,
      [runId, TRAINING_METRICS.epochValLoss],
    );
    return rows.map((row) => row.value);
  }

  /** Mean categorical cross-entropy of the registered model on the validation split (as Keras computes it). */
  async function registeredValLoss(artifactUri: string): Promise<number> {
    const dir = await mkdtemp(path.join(workDir, 'model-'));
    const prefix = api.artifacts.keyFromUri(artifactUri);
    for (const key of await api.artifacts.list(prefix))
      await writeFile(path.join(dir, key.slice(prefix.length + 1)), await api.artifacts.get(key));
    const model = await loadModel(dir);
    const width = dataset.featureShape[0]!;
    const rows = Array.from(dataset.splits.validation);
    const features = new Float32Array(rows.length * width);
    rows.forEach((row, i) => features.set(dataset.features.subarray(row * width, (row + 1) * width), i * width));
    const probabilities = tf.tidy(
      () => (model.predict(tf.tensor(features, [rows.length, width])) as tf.Tensor).arraySync() as number[][],
    );
    model.dispose();
    const epsilon = 1e-7;
    const losses = rows.map((row, i) => -Math.log(Math.min(Math.max(probabilities[i]![dataset.labels[row]!]!, epsilon), 1 - epsilon)));
    return losses.reduce((sum, loss) => sum + loss, 0) / losses.length;
  }

  it('stops 5 epochs after the best validation loss and registers that epoch’s weights', async () => {
    expect(dataset.splits.validation.length).toBeGreaterThan(0);
    const { id, run } = await trainToEnd({ epochs: 60, batchSize: 16, learningRate: 0.01, seed: 5 });
    expect(run.params.hyperparameters.earlyStoppingPatience).toBe(HYPERPARAMETER_DEFAULTS.earlyStoppingPatience);
    const valLosses = await loggedValLosses(id);
    const best = Math.min(...valLosses);
    const bestEpoch = valLosses.indexOf(best);
    // It overfit: the loss climbed after its best epoch, and the run stopped `patience` epochs later.
    expect(run.params.lineage).toMatchObject({ stoppedEarly: true, bestEpoch, epochsCompleted: bestEpoch + 6 });
    expect(valLosses).toHaveLength(bestEpoch + 6);
    expect(valLosses.at(-1)! - best).toBeGreaterThan(1e-3);
    expect(await registeredValLoss(run.modelVersion!.artifactUri)).toBeCloseTo(best, 4);
  }, 300_000);

  it('trains every epoch and keeps the last weights with earlyStoppingPatience 0', async () => {
    const { id, run } = await trainToEnd({ epochs: 12, batchSize: 16, learningRate: 0.01, seed: 5, earlyStoppingPatience: 0 });
    expect(run.params.lineage).toMatchObject({ stoppedEarly: false, bestEpoch: null, epochsCompleted: 12 });
    const valLosses = await loggedValLosses(id);
    expect(valLosses).toHaveLength(12);
    expect(await registeredValLoss(run.modelVersion!.artifactUri)).toBeCloseTo(valLosses.at(-1)!, 4);
  }, 300_000);
});
