import type { NotificationBus, Prisma, PrismaClient } from '@lepton/db';
import type { JobQueue } from '@lepton/jobs';
import type { TrainedVersion } from '@lepton/model-contract';
import { AuditRepository } from '../audit/audit.repository';
import { DatasetRepository } from '../dataset/dataset.repository';
import { EvaluationRepository } from '../evaluation/evaluation.repository';
import type { MetricRow } from '../metric/metric.repository';
import type { MetricService } from '../metric/metric.service';
import { ModelVersionRepository, type ModelVersionRecord } from '../model-version/model-version.repository';
import { ModelRepository } from '../model/model.repository';
import { RunRepository, type LeaseRenewal, type RunLease, type RunRecord } from '../run/run.repository';
import type { RunUpdatedEvent } from '../run/run.service';
import { DomainError } from '../shared/domain-error';
import { inTransaction } from '../shared/transaction';

/** A run that loses this many leases (its workers crash or stall) since it was last queued fails. */
export const MAX_LOST_LEASES = 5;
/** Runs one reaper pass hands back at most (the next pass takes the rest). */
const REAP_BATCH = 20;

export interface ClaimedRun {
  run: RunRecord;
  /** The fencing token every later write of this attempt carries. */
  lease: RunLease;
  model: { id: string; name: string };
  datasetVersion: {
    id: string;
    number: number;
    datasetName: string;
    storageUri: string;
    contentSha256: string;
    schema: unknown;
  };
  spec: unknown;
  hyperparameters: unknown;
}

export type ProgressReport = Required<Pick<LeaseRenewal, 'progress' | 'etaAt'>> & Pick<LeaseRenewal, 'backend' | 'device'>;

/** What a worker registers when its run succeeds: the contract's DTO (signatures, lineage, evaluation). */
export type { TrainedVersion };

/** What one reaper pass did to each run whose lease had expired. */
export interface ReapedRun {
  runId: string;
  /** requeued: a new job waits for any worker; failed: too many lost leases; cancelled: it was asked to stop. */
  outcome: 'requeued' | 'failed' | 'cancelled';
  workerId: string;
  attempt: number;
}

function notHeld(lease: RunLease): DomainError {
  return new DomainError(
    'RUN_NOT_OWNED',
    `Run ${lease.runId} is no longer held by ${lease.workerId} as attempt ${lease.attempt} (another worker took it over, or it ended)`,
  );
}

/**
 * What a training worker may do to the run it holds. Workers are trusted processes (they hold the
 * database URL), so these calls skip token checks; but every write after the claim is fenced by
 * the claim's lease (worker id and attempt, checked in the write's own statement or under the
 * row lock), so a worker that lost its run to another cannot write it any more (RUN_NOT_OWNED).
 */
export class TrainingWorkerService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly metrics: MetricService,
    private readonly bus: NotificationBus,
    private readonly queue: () => Promise<JobQueue>,
  ) {}

  /**
   * Takes the run delivered by job `jobId` for `workerId`, with a lease of `leaseSeconds`; null
   * when it must not run here (finished, cancelled, held by another worker, or the job is not the
   * run's current one). Either way the job is completed in the same transaction: from here on the
   * lease, not the queue, decides who trains the run.
   */
  async claim(
    delivery: { runId: string; jobId: string },
    workerId: string,
    leaseSeconds: number,
  ): Promise<ClaimedRun | null> {
    const queue = await this.queue();
    const { claimed, cancelled } = await inTransaction(this.prisma, async (tx) => {
      await queue.complete(delivery.jobId, tx);
      const runs = new RunRepository(tx);
      const run = await runs.findForUpdate(delivery.runId);
      const none = { claimed: null, cancelled: null };
      if (!run || run.kind !== 'TRAINING' || !run.modelId || !run.datasetVersionId) return none;
      if (run.jobId !== delivery.jobId || run.workerId !== null) return none;
      if (run.status !== 'QUEUED' && run.status !== 'RUNNING') return none;
      if (run.cancelRequested) {
        return {
          claimed: null,
          cancelled: await runs.update(run.id, {
            status: 'CANCELLED',
            endedAt: new Date(),
            etaAt: null,
            leaseExpiresAt: null,
          }),
        };
      }
      const updated = await runs.claim(run.id, workerId, leaseSeconds);
      const [model] = await new ModelRepository(tx).findByIds([run.modelId]);
      const datasetVersion = await new DatasetRepository(tx).findVersionWithProject(run.datasetVersionId);
      if (!model || !datasetVersion) throw new Error(`Run ${run.id} lost its model or dataset version`);
      const params = run.params as { spec?: unknown; hyperparameters?: unknown };
      const claimed: ClaimedRun = {
        run: updated,
        lease: { runId: run.id, workerId, attempt: updated.attempt, seconds: leaseSeconds },
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
      return { claimed, cancelled: null };
    });
    if (claimed) await this.publish(claimed.run);
    if (cancelled) await this.publish(cancelled);
    return claimed;
  }

  /** Renews the lease (the heartbeat), with progress if given; answers whether the run was asked to stop. */
  async report(lease: RunLease, report?: ProgressReport): Promise<{ cancelRequested: boolean }> {
    const renewal: LeaseRenewal = report ? { ...report, progress: Math.min(1, Math.max(0, report.progress)) } : {};
    const renewed = await new RunRepository(this.prisma).renewLease(lease, renewal);
    if (!renewed) throw notHeld(lease);
    await this.bus.publish('lepton_run_updated', {
      runId: lease.runId,
      status: renewed.status,
    } satisfies RunUpdatedEvent);
    return { cancelRequested: renewed.cancelRequested };
  }

  async logMetrics(lease: RunLease, rows: readonly MetricRow[]): Promise<number> {
    const accepted = await this.metrics.append(lease.runId, rows, { workerId: lease.workerId, attempt: lease.attempt });
    if (accepted === null) throw notHeld(lease);
    return accepted;
  }

  /** Registers the trained version with lineage, records its evaluation and closes the run, atomically. */
  async succeed(lease: RunLease, trained: TrainedVersion): Promise<{ run: RunRecord; version: ModelVersionRecord }> {
    const result = await inTransaction(this.prisma, async (tx) => {
      const runs = new RunRepository(tx);
      const run = await runs.findForUpdate(lease.runId);
      if (!run || run.workerId !== lease.workerId || run.attempt !== lease.attempt || run.status !== 'RUNNING')
        throw notHeld(lease);
      const number = await new ModelRepository(tx).nextVersionNumber(run.modelId!);
      const version = await new ModelVersionRepository(tx).create({
        modelId: run.modelId!,
        number,
        status: 'READY',
        artifactUri: trained.artifactUri,
        framework: trained.framework,
        inputSignature: trained.inputSignature as unknown as Prisma.InputJsonValue,
        outputSignature: trained.outputSignature as unknown as Prisma.InputJsonValue,
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
        leaseExpiresAt: null,
        endedAt: new Date(),
        params: { ...params, lineage: trained.lineage } as unknown as Prisma.InputJsonValue,
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

  async fail(lease: RunLease, message: string): Promise<void> {
    await this.finishHeld(lease, { status: 'FAILED', error: message.slice(0, 10_000) });
  }

  async cancelled(lease: RunLease): Promise<void> {
    await this.finishHeld(lease, { status: 'CANCELLED' });
  }

  /**
   * Hands the run back (the worker is shutting down): a new job waits for any worker, which
   * resumes from the last checkpoint. Job and run change in one transaction.
   */
  async release(lease: RunLease): Promise<void> {
    const queue = await this.queue();
    const run = await inTransaction(this.prisma, async (tx) => {
      const runs = new RunRepository(tx);
      const current = await runs.findForUpdate(lease.runId);
      if (
        !current ||
        current.workerId !== lease.workerId ||
        current.attempt !== lease.attempt ||
        current.status !== 'RUNNING'
      ) {
        throw notHeld(lease);
      }
      const jobId = await queue.enqueueTraining(current.id, tx);
      return runs.update(current.id, { workerId: null, leaseExpiresAt: null, etaAt: null, jobId });
    });
    await this.publish(run);
  }

  /**
   * One reaper pass: every running training run whose lease expired (its worker was killed, lost
   * its database connection or stalled) gets a new job, so another worker resumes it from its
   * checkpoint; it fails instead after MAX_LOST_LEASES, and ends CANCELLED if it was asked to stop.
   * Safe to run in every worker at once: each run is row-locked (SKIP LOCKED) and re-checked, and a
   * handled run no longer matches.
   */
  async reapExpiredLeases(): Promise<ReapedRun[]> {
    const queue = await this.queue();
    const { reaped, changed } = await inTransaction(this.prisma, async (tx) => {
      const runs = new RunRepository(tx);
      const audit = new AuditRepository(tx);
      const reaped: ReapedRun[] = [];
      const changed: RunRecord[] = [];
      for (const run of await runs.lockExpiredLeases(REAP_BATCH)) {
        const lost = { runId: run.id, workerId: run.workerId!, attempt: run.attempt };
        const lostLeases = run.lostLeases + 1;
        const gone = { workerId: null, etaAt: null, lostLeases };
        let outcome: ReapedRun['outcome'];
        if (run.cancelRequested) {
          outcome = 'cancelled';
          changed.push(
            await runs.update(run.id, { ...gone, status: 'CANCELLED', endedAt: new Date(), leaseExpiresAt: null }),
          );
        } else if (lostLeases > MAX_LOST_LEASES) {
          outcome = 'failed';
          const error = `The run lost its worker ${lostLeases} times (crashed, killed or stalled longer than its lease); retry it with retryRun`;
          changed.push(
            await runs.update(run.id, { ...gone, status: 'FAILED', error, endedAt: new Date(), leaseExpiresAt: null }),
          );
        } else {
          outcome = 'requeued';
          // The lease's expiry stays: with no worker, it shows the run as lost until a worker claims it.
          changed.push(await runs.update(run.id, { ...gone, jobId: await queue.enqueueTraining(run.id, tx) }));
        }
        await audit.record(null, {
          projectId: run.projectId,
          action: 'training.leaseLost',
          targetType: 'run',
          targetId: run.id,
          details: {
            workerId: lost.workerId,
            attempt: lost.attempt,
            leaseExpiredAt: run.leaseExpiresAt?.toISOString(),
            outcome,
          },
        });
        reaped.push({ ...lost, outcome });
      }
      return { reaped, changed };
    });
    for (const run of changed) await this.publish(run);
    return reaped;
  }

  /**
   * Sends a new job for every training run waiting for a worker whose job is gone (its delivery
   * attempts ran out, or the queue's schema was replaced). Run at worker start.
   */
  async resendUndelivered(): Promise<string[]> {
    const queue = await this.queue();
    const resent: string[] = [];
    for (const waiting of await new RunRepository(this.prisma).findWaitingTraining(1000)) {
      if (waiting.jobId && (await queue.isPending(waiting.jobId))) continue;
      const sent = await inTransaction(this.prisma, async (tx) => {
        const runs = new RunRepository(tx);
        const run = await runs.findForUpdate(waiting.id);
        // Re-checked under the lock: a worker may have claimed it since.
        if (
          !run ||
          run.workerId !== null ||
          run.jobId !== waiting.jobId ||
          (run.status !== 'QUEUED' && run.status !== 'RUNNING')
        )
          return false;
        await runs.update(run.id, { jobId: await queue.enqueueTraining(run.id, tx) });
        return true;
      });
      if (sent) resent.push(waiting.id);
    }
    return resent;
  }

  private async finishHeld(lease: RunLease, data: { status: 'FAILED' | 'CANCELLED'; error?: string }): Promise<void> {
    const run = await new RunRepository(this.prisma).updateHeld(lease, {
      ...data,
      etaAt: null,
      leaseExpiresAt: null,
      endedAt: new Date(),
    });
    if (!run) throw notHeld(lease);
    await this.publish(run);
  }

  private async publish(run: RunRecord): Promise<void> {
    const event: RunUpdatedEvent = { runId: run.id, status: run.status };
    await this.bus.publish('lepton_run_updated', event);
  }
}
