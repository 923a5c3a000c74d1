import type { ArtifactStore } from '@lepton/artifacts';
import type { TrainingJob } from '@lepton/jobs';
import { saveModel } from '@lepton/model-io';
import { isDomainError, type ClaimedRun, type Registry } from '@lepton/registry';
import { artifactKeys, TRAINING_METRICS, validateTrainingConfig } from '@lepton/model-contract';
import { buildModel, evaluate, train, type BackendName } from '@lepton/trainer';
import { backendSlot, type BackendSlot } from './backend-slot';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CheckpointMirror } from './checkpoint-mirror';
import { loadPreparedDataset } from './dataset-loader';
import { LeaseKeeper } from './lease-keeper';
import { MetricBuffer } from './metric-buffer';
import { ProgressTracker } from './progress-tracker';

export interface TrainingJobContext {
  registry: Registry;
  artifacts: ArtifactStore;
  workerId: string;
  /** The backend the worker was pinned to (its `backend` option); each run then trains there, unmeasured. */
  pinnedBackend: BackendName | null;
  /** Local folder for checkpoints of runs this worker holds. */
  workDir: string;
  gitCommit: string | null;
  /** A claimed run's lease: unless renewed this long, another worker takes the run over. */
  leaseSeconds: number;
  /** How often the lease is renewed (with the latest progress). */
  renewEveryMs: number;
  log: (line: string) => void;
}

type Outcome = 'succeeded' | 'cancelled' | 'handed-back' | 'lost';

/**
 * One attempt at one training run: claim it (a lease fenced by worker id and attempt), train
 * (resuming from the newest checkpoint), stream metrics and progress, then register the version
 * with its evaluation and lineage. Training errors fail the run (they would fail again); a
 * shutdown hands it back to the queue; a lost lease stops it without another write.
 */
export async function runTrainingJob(context: TrainingJobContext, job: TrainingJob): Promise<void> {
  const { registry, log } = context;
  const claimed = await registry.trainingWorker.claim(
    { runId: job.runId, jobId: job.id },
    context.workerId,
    context.leaseSeconds,
  );
  if (!claimed) {
    log(`run ${job.runId}: job ${job.id} skipped (the run ended, was cancelled or is delivered by a newer job)`);
    return;
  }
  const { lease } = claimed;
  const runId = lease.runId;
  const keeper = new LeaseKeeper(registry, lease, context.renewEveryMs, log);
  keeper.start();
  const slot = backendSlot();
  try {
    const outcome = await trainClaimedRun(context, claimed, keeper, job.signal, slot);
    if (outcome === 'cancelled') await registry.trainingWorker.cancelled(lease);
    if (outcome === 'handed-back') await registry.trainingWorker.release(lease);
    log(
      {
        succeeded: `run ${runId}: attempt ${lease.attempt} done`,
        cancelled: `run ${runId}: attempt ${lease.attempt} cancelled`,
        'handed-back': `run ${runId}: attempt ${lease.attempt} handed back to the queue (it resumes from its checkpoint)`,
        lost: `run ${runId}: attempt ${lease.attempt} lost its lease to another worker; stopped without writing`,
      }[outcome],
    );
  } catch (error) {
    if (isDomainError(error, 'RUN_NOT_OWNED')) {
      log(`run ${runId}: attempt ${lease.attempt} lost its lease to another worker; stopped without writing`);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    log(`run ${runId}: attempt ${lease.attempt} failed: ${message}`);
    await registry.trainingWorker.fail(lease, message).catch((failure: unknown) => {
      if (!isDomainError(failure, 'RUN_NOT_OWNED')) throw failure;
    });
  } finally {
    keeper.stop();
    slot.release();
  }
}

async function trainClaimedRun(
  context: TrainingJobContext,
  claimed: ClaimedRun,
  keeper: LeaseKeeper,
  shutdown: AbortSignal,
  slot: BackendSlot,
): Promise<Outcome> {
  const { registry, artifacts } = context;
  const { lease } = claimed;
  const runId = claimed.run.id;
  const dataset = await loadPreparedDataset(artifacts, claimed.datasetVersion.storageUri);
  const shape = {
    featureShape: dataset.featureShape,
    numClasses: dataset.classes.length,
    hasValidationSplit: dataset.splits.validation.length > 0,
  };
  const { spec, hyperparameters } = validateTrainingConfig(claimed.spec, claimed.hyperparameters, shape);
  const backend = await slot.acquire(context.pinnedBackend, { spec, hyperparameters, data: dataset });
  context.log(`run ${runId}: attempt ${lease.attempt} on ${backend.info.backend} (${backend.info.device}; ${backend.reason})`);

  // A folder per attempt: a stale attempt on this machine never writes into the current one's.
  const runDir = path.join(context.workDir, 'checkpoints', runId);
  const checkpointDir = path.join(runDir, `attempt-${lease.attempt}`);
  await mkdir(checkpointDir, { recursive: true });
  const mirror = new CheckpointMirror(
    artifacts,
    artifactKeys.checkpoints(claimed.run.projectId, runId),
    lease.attempt,
    checkpointDir,
  );
  await mirror.pullIfMissing();

  const metrics = new MetricBuffer((rows) => registry.trainingWorker.logMetrics(lease, rows));
  const batchesPerEpoch = Math.ceil(dataset.splits.train.length / hyperparameters.batchSize);
  let progress: ProgressTracker | undefined;
  const track = (step: number) => {
    progress ??= new ProgressTracker(batchesPerEpoch * hyperparameters.epochs, step);
    keeper.setProgress({ ...progress.at(step), backend: backend.info.backend, device: backend.info.device });
  };

  const model = buildModel(spec, shape, hyperparameters);
  const result = await train({
    model,
    data: dataset,
    hyperparameters,
    checkpointDir,
    resume: true,
    onBatch: (batch) => {
      metrics.add(batch.step, { [TRAINING_METRICS.loss]: batch.loss, [TRAINING_METRICS.accuracy]: batch.accuracy });
      track(batch.step + 1);
    },
    onEpoch: async (epoch) => {
      metrics.add(epoch.epoch, {
        [TRAINING_METRICS.epochLoss]: epoch.loss,
        [TRAINING_METRICS.epochAccuracy]: epoch.accuracy,
        [TRAINING_METRICS.epochValLoss]: epoch.valLoss,
        [TRAINING_METRICS.epochValAccuracy]: epoch.valAccuracy,
      });
      // Stored before the trainer writes this epoch's checkpoint, so a resume never skips them.
      await metrics.flush();
      track(epoch.step);
      await keeper.renew();
    },
    // Pushed only while the lease holds (and under this attempt's own prefix in any case).
    onCheckpoint: async () => {
      if (!keeper.lost) await mirror.push();
    },
    shouldStop: () => keeper.cancelRequested || keeper.lost || shutdown.aborted,
  });
  await metrics.flush();

  if (keeper.lost) {
    await rm(checkpointDir, { recursive: true, force: true });
    return 'lost';
  }
  if (result.stopped) {
    if (keeper.cancelRequested) return 'cancelled';
    // The next attempt (here or elsewhere) resumes from the mirror, never from this folder.
    await mirror.push();
    await rm(checkpointDir, { recursive: true, force: true });
    return 'handed-back';
  }
  // Still the holder before anything is uploaded; succeed() re-checks it in its transaction.
  await keeper.renew();
  if (keeper.lost) return 'lost';

  const evaluation = evaluate(result.model, dataset, 'test');
  const modelDir = await mkdtemp(path.join(tmpdir(), 'lepton-model-'));
  try {
    await saveModel(result.model, modelDir);
    // Per attempt: a stale attempt's upload can never replace the files of a registered version.
    const prefix = artifactKeys.trainedModel(claimed.run.projectId, claimed.model.name, runId, lease.attempt);
    for (const file of await readdir(modelDir)) await artifacts.putFile(`${prefix}/${file}`, path.join(modelDir, file));
    const binary = dataset.classes.length === 2;
    await registry.trainingWorker.succeed(lease, {
      artifactUri: artifacts.uri(prefix),
      framework: 'tfjs-layers',
      inputSignature: {
        shape: [null, ...dataset.featureShape],
        dtype: 'float32',
        preprocessing: dataset.preprocessing,
      },
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
        attempt: lease.attempt,
        epochsCompleted: result.epochsCompleted,
        stoppedEarly: result.stoppedEarly,
        bestEpoch: result.bestEpoch,
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
  await rm(runDir, { recursive: true, force: true });
  await artifacts.deletePrefix(artifactKeys.checkpoints(claimed.run.projectId, runId));
  return 'succeeded';
}
