import type { ArtifactStore } from '@lepton/artifacts';
import type { TrainingJob } from '@lepton/jobs';
import type { ClaimedRun, Registry } from '@lepton/registry';
import {
  buildModel,
  chooseTrainingBackend,
  evaluate,
  initBackend,
  saveModel,
  train,
  validateTrainingConfig,
  type BackendChoice,
  type BackendInfo,
  type BackendName,
  type Hyperparameters,
  type ModelSpec,
  type TrainingData,
} from '@lepton/trainer';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CheckpointMirror } from './checkpoint-mirror';
import { loadPreparedDataset } from './dataset-loader';
import { MetricBuffer } from './metric-buffer';
import { ProgressTracker } from './progress-tracker';

export interface TrainingJobContext {
  registry: Registry;
  artifacts: ArtifactStore;
  workerId: string;
  /** The backend the worker was pinned to (its `backend` option); each run then trains there, unmeasured. */
  pinnedBackend?: BackendName | null;
  /** Local folder for checkpoints of runs this worker holds. */
  workDir: string;
  gitCommit: string | null;
  /** Set on SIGTERM: stop at the next batch, keep the checkpoint, hand the run back to the queue. */
  shuttingDown: () => boolean;
  /** How often progress and heartbeats are written (ms). */
  reportIntervalMs?: number;
}

// tfjs has one active backend per process: runs that overlap in one worker (concurrency > 1) share it, and
// choices are made one at a time (a trial switches backends while it measures).
let runsTraining = 0;
let sharedBackend: BackendInfo | null = null;
let choosing: Promise<unknown> = Promise.resolve();

interface BackendLease {
  /**
   * The backend for this run, activated: measured per model when the worker is free (native TensorFlow, or wasm
   * where it trains the model faster, e.g. a small MLP), else the one the runs already training here use.
   */
  acquire(context: TrainingJobContext, config: { spec: ModelSpec; hyperparameters: Hyperparameters; data: TrainingData }): Promise<BackendChoice>;
  release(): void;
}

function backendLease(): BackendLease {
  let held = false;
  return {
    acquire(context, config) {
      const chosen = choosing.then(async () => {
        const choice: BackendChoice = context.pinnedBackend
          ? { info: await initBackend(context.pinnedBackend), trials: [], reason: `this worker is pinned to ${context.pinnedBackend}` }
          : sharedBackend
            ? { info: sharedBackend, trials: [], reason: 'the backend of the runs already training in this worker' }
            : await chooseTrainingBackend(config);
        sharedBackend = choice.info;
        runsTraining++;
        held = true;
        return choice;
      });
      choosing = chosen.catch(() => undefined);
      return chosen;
    },
    release() {
      if (held && --runsTraining === 0) sharedBackend = null;
      held = false;
    },
  };
}

/** Thrown to make pg-boss hand the job to another worker (the run resumes from its checkpoint). */
export class RequeueError extends Error {}

/**
 * One attempt at one training run: claim it, train (resuming from the last checkpoint), stream
 * metrics and progress, then register the version with its evaluation and lineage. Training
 * errors fail the run (they would fail again); only a shutdown hands it back to the queue.
 */
export async function runTrainingJob(context: TrainingJobContext, job: TrainingJob): Promise<void> {
  const { registry } = context;
  const claimed = await registry.trainingWorker.claim(job.runId, context.workerId, job.retryCount);
  if (!claimed) return;
  const runId = claimed.run.id;
  let cancelRequested = false;
  const lease = backendLease();
  try {
    const outcome = await trainClaimedRun(context, claimed, job, () => cancelRequested, (value) => (cancelRequested = value), lease);
    if (outcome === 'cancelled') await registry.trainingWorker.cancelled(runId);
  } catch (error) {
    if (error instanceof RequeueError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    console.error(`[worker] run ${runId} failed: ${message}`);
    await registry.trainingWorker.fail(runId, message);
  } finally {
    lease.release();
  }
}

async function trainClaimedRun(
  context: TrainingJobContext,
  claimed: ClaimedRun,
  job: TrainingJob,
  isCancelRequested: () => boolean,
  setCancelRequested: (value: boolean) => void,
  lease: BackendLease,
): Promise<'succeeded' | 'cancelled'> {
  const { registry, artifacts } = context;
  const runId = claimed.run.id;
  const dataset = await loadPreparedDataset(artifacts, claimed.datasetVersion.storageUri);
  const shape = { featureShape: dataset.featureShape, numClasses: dataset.classes.length };
  const { spec, hyperparameters } = validateTrainingConfig(claimed.spec, claimed.hyperparameters, shape);
  const backend = await lease.acquire(context, { spec, hyperparameters, data: dataset });

  const checkpointDir = path.join(context.workDir, 'checkpoints', runId);
  await mkdir(checkpointDir, { recursive: true });
  const mirror = new CheckpointMirror(artifacts, `checkpoints/${claimed.run.projectId}/${runId}`, checkpointDir);
  await mirror.pullIfMissing();

  const metrics = new MetricBuffer((rows) => registry.trainingWorker.logMetrics(runId, rows));
  const batchesPerEpoch = Math.ceil(dataset.splits.train.length / hyperparameters.batchSize);
  let progress: ProgressTracker | undefined;
  let lastReport = 0;
  const report = async (step: number, force = false) => {
    const now = Date.now();
    if (!force && now - lastReport < (context.reportIntervalMs ?? 1000)) return;
    lastReport = now;
    progress ??= new ProgressTracker(batchesPerEpoch * hyperparameters.epochs, step);
    const { cancelRequested } = await registry.trainingWorker.report(runId, { ...progress.at(step), backend: backend.info.backend, device: backend.info.device });
    if (cancelRequested) setCancelRequested(true);
  };

  const model = buildModel(spec, shape, hyperparameters);
  const result = await train({
    model,
    data: dataset,
    hyperparameters,
    checkpointDir,
    resume: true,
    onBatch: async (batch) => {
      metrics.add(batch.step, { loss: batch.loss, accuracy: batch.accuracy });
      await report(batch.step + 1);
    },
    onEpoch: async (epoch) => {
      metrics.add(epoch.epoch, {
        'epoch/loss': epoch.loss,
        'epoch/accuracy': epoch.accuracy,
        'epoch/val_loss': epoch.valLoss,
        'epoch/val_accuracy': epoch.valAccuracy,
      });
      // Stored before the trainer writes this epoch's checkpoint, so a resume never skips them.
      await metrics.flush();
      await report(epoch.step, true);
    },
    onCheckpoint: () => mirror.push(),
    shouldStop: () => isCancelRequested() || context.shuttingDown() || job.signal.aborted,
  });
  await metrics.flush();

  if (result.stopped) {
    if (isCancelRequested()) return 'cancelled';
    await mirror.push();
    throw new RequeueError(`Run ${runId} was interrupted (worker shutting down); it resumes elsewhere`);
  }

  const evaluation = evaluate(result.model, dataset, 'test');
  const modelDir = await mkdtemp(path.join(tmpdir(), 'lepton-model-'));
  try {
    await saveModel(result.model, modelDir);
    const prefix = `models/${claimed.run.projectId}/${claimed.model.name}/${runId}`;
    for (const file of await readdir(modelDir)) await artifacts.putFile(`${prefix}/${file}`, path.join(modelDir, file));
    const binary = dataset.classes.length === 2;
    await registry.trainingWorker.succeed(runId, {
      artifactUri: artifacts.uri(prefix),
      framework: 'tfjs-layers',
      inputSignature: { shape: [null, ...dataset.featureShape], dtype: 'float32', preprocessing: dataset.preprocessing },
      outputSignature: { shape: [null, dataset.classes.length], dtype: 'float32', classes: dataset.classes },
      description: `Trained by run ${claimed.run.name} on ${claimed.datasetVersion.datasetName} v${claimed.datasetVersion.number}`,
      tags: [spec.architecture],
      lineage: {
        runId,
        datasetVersionId: claimed.datasetVersion.id,
        datasetContentSha256: claimed.datasetVersion.contentSha256,
        spec,
        hyperparameters,
        seed: hyperparameters.seed,
        backend: backend.info.backend,
        device: backend.info.device,
        libraries: { ...backend.info.versions, node: process.version },
        // Why this backend: a short measured trial when native TensorFlow and wasm both load.
        backendChoice: { reason: backend.reason, trials: backend.trials },
        gitCommit: context.gitCommit,
        workerId: context.workerId,
        attempt: job.retryCount,
        epochsCompleted: result.epochsCompleted,
        stoppedEarly: result.stoppedEarly,
        resumedFromEpoch: result.resumedFromEpoch,
        samplesPerSecond: result.samplesPerSecond,
      },
      evaluation: {
        split: 'test',
        metrics: {
          accuracy: evaluation.accuracy,
          precision: evaluation.precision,
          recall: evaluation.recall,
          f1: evaluation.f1,
          ...(binary && evaluation.auc !== undefined ? { auc: evaluation.auc } : {}),
        },
        confusionMatrix: evaluation.confusionMatrix,
        labels: evaluation.labels,
        targets: evaluation.perExample.map((example) => example.label),
        predictions: evaluation.perExample.map((example) => example.predicted),
        scores: binary ? evaluation.perExample.map((example) => example.score ?? 0) : [],
      },
    });
  } finally {
    await rm(modelDir, { recursive: true, force: true });
  }
  await rm(checkpointDir, { recursive: true, force: true });
  await artifacts.deletePrefix(`checkpoints/${claimed.run.projectId}/${runId}`);
  return 'succeeded';
}
