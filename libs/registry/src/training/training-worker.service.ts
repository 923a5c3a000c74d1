import type { NotificationBus, Prisma, PrismaClient } from '@lepton/db';
import { AuditRepository } from '../audit/audit.repository';
import { DatasetRepository } from '../dataset/dataset.repository';
import { EvaluationRepository } from '../evaluation/evaluation.repository';
import type { MetricRow } from '../metric/metric.repository';
import type { MetricService } from '../metric/metric.service';
import { ModelVersionRepository, type ModelVersionRecord } from '../model-version/model-version.repository';
import { ModelRepository } from '../model/model.repository';
import { RunRepository, type RunRecord } from '../run/run.repository';
import type { RunUpdatedEvent } from '../run/run.service';
import { inTransaction } from '../shared/transaction';

export interface ClaimedRun {
  run: RunRecord;
  model: { id: string; name: string };
  datasetVersion: { id: string; number: number; datasetName: string; storageUri: string; contentSha256: string; schema: unknown };
  spec: unknown;
  hyperparameters: unknown;
}

export interface ProgressReport {
  progress: number;
  etaAt: Date | null;
  backend?: string;
  device?: string;
}

export interface TrainedVersion {
  artifactUri: string;
  framework: string;
  inputSignature: Record<string, unknown>;
  outputSignature: Record<string, unknown>;
  description: string;
  tags: string[];
  /** Lineage kept with the version's run: backend, library versions, git commit, dataset hash... */
  lineage: Record<string, unknown>;
  evaluation: {
    split: string;
    metrics: Record<string, number>;
    confusionMatrix: number[][];
    labels: string[];
    targets: number[];
    predictions: number[];
    scores: number[];
  };
}

/**
 * What a training worker may do to the run it holds. Workers are trusted processes (they hold the
 * database URL), so these calls skip token checks; every state change is still one transaction.
 */
export class TrainingWorkerService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly metrics: MetricService,
    private readonly bus: NotificationBus,
  ) {}

  /** Marks the run RUNNING for this worker and attempt; null when it must not run (finished or cancelled). */
  async claim(runId: string, workerId: string, attempt: number): Promise<ClaimedRun | null> {
    const claimed = await inTransaction(this.prisma, async (tx) => {
      const runs = new RunRepository(tx);
      const run = await runs.findForUpdate(runId);
      if (!run || run.kind !== 'TRAINING' || !run.modelId || !run.datasetVersionId) return null;
      if (run.cancelRequested || (run.status !== 'QUEUED' && run.status !== 'RUNNING')) return null;
      const now = new Date();
      const updated = await runs.update(runId, {
        status: 'RUNNING',
        startedAt: run.startedAt ?? now,
        workerId,
        heartbeatAt: now,
        attempt,
      });
      const [model] = await new ModelRepository(tx).findByIds([run.modelId]);
      const datasetVersion = await new DatasetRepository(tx).findVersionWithProject(run.datasetVersionId);
      if (!model || !datasetVersion) return null;
      const params = run.params as { spec?: unknown; hyperparameters?: unknown };
      return {
        run: updated,
        model: { id: model.id, name: model.name },
        datasetVersion: {
          id: datasetVersion.id,
          number: datasetVersion.number,
          datasetName: datasetVersion.dataset.name,
          storageUri: datasetVersion.storageUri,
          contentSha256: datasetVersion.contentSha256,
          schema: datasetVersion.schema,
        },
        spec: params.spec,
        hyperparameters: params.hyperparameters,
      };
    });
    if (claimed) await this.publish(claimed.run);
    return claimed;
  }

  /** Progress and heartbeat in one write; answers whether the run was asked to stop. */
  async report(runId: string, report: ProgressReport): Promise<{ cancelRequested: boolean }> {
    const run = await new RunRepository(this.prisma).update(runId, {
      progress: Math.min(1, Math.max(0, report.progress)),
      etaAt: report.etaAt,
      heartbeatAt: new Date(),
      ...(report.backend ? { backend: report.backend } : {}),
      ...(report.device ? { device: report.device.slice(0, 256) } : {}),
    });
    await this.publish(run);
    return { cancelRequested: run.cancelRequested };
  }

  logMetrics(runId: string, rows: readonly MetricRow[]): Promise<number> {
    return this.metrics.append(runId, rows);
  }

  /** Registers the trained version with lineage, records its evaluation and closes the run, atomically. */
  async succeed(runId: string, trained: TrainedVersion): Promise<{ run: RunRecord; version: ModelVersionRecord }> {
    const result = await inTransaction(this.prisma, async (tx) => {
      const runs = new RunRepository(tx);
      const run = (await runs.findForUpdate(runId))!;
      const number = await new ModelRepository(tx).nextVersionNumber(run.modelId!);
      const version = await new ModelVersionRepository(tx).create({
        modelId: run.modelId!,
        number,
        status: 'READY',
        artifactUri: trained.artifactUri,
        framework: trained.framework,
        inputSignature: trained.inputSignature as Prisma.InputJsonValue,
        outputSignature: trained.outputSignature as Prisma.InputJsonValue,
        sourceRunId: run.id,
        trainingDatasetVersionId: run.datasetVersionId,
        description: trained.description,
        tags: trained.tags,
      });
      await new EvaluationRepository(tx).create({
        modelVersionId: version.id,
        datasetVersionId: run.datasetVersionId!,
        split: trained.evaluation.split,
        metrics: trained.evaluation.metrics,
        confusionMatrix: trained.evaluation.confusionMatrix,
        labels: trained.evaluation.labels,
        targets: trained.evaluation.targets,
        predictions: trained.evaluation.predictions,
        scores: trained.evaluation.scores,
      });
      const params = run.params as Record<string, unknown>;
      const finished = await runs.update(run.id, {
        status: 'SUCCEEDED',
        progress: 1,
        etaAt: null,
        endedAt: new Date(),
        params: { ...params, lineage: trained.lineage } as Prisma.InputJsonValue,
      });
      await new AuditRepository(tx).record(null, {
        projectId: run.projectId,
        action: 'modelVersion.create',
        targetType: 'modelVersion',
        targetId: version.id,
        details: { runId: run.id, number, by: 'training-worker' },
      });
      return { run: finished, version };
    });
    await this.publish(result.run);
    return result;
  }

  async fail(runId: string, message: string): Promise<void> {
    const run = await new RunRepository(this.prisma).update(runId, {
      status: 'FAILED',
      error: message.slice(0, 10_000),
      etaAt: null,
      endedAt: new Date(),
    });
    await this.publish(run);
  }

  async cancelled(runId: string): Promise<void> {
    const run = await new RunRepository(this.prisma).update(runId, { status: 'CANCELLED', etaAt: null, endedAt: new Date() });
    await this.publish(run);
  }

  private async publish(run: RunRecord): Promise<void> {
    const event: RunUpdatedEvent = { runId: run.id, status: run.status };
    await this.bus.publish('lepton_run_updated', event);
  }
}
