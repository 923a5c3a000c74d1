import type { PrismaClient } from '@lepton/db';
import { inTransaction } from '../shared/transaction';
import { validUuid } from '../shared/validation';
import { DeploymentRepository } from './deployment.repository';
import {
  ServingInstanceRepository,
  type InstanceReport,
  type ServingInstanceRecord,
} from './serving-instance.repository';

export type RevisionState = 'LOADING' | 'READY' | 'FAILED';

/** Where a revision stands across the live serving processes. */
export interface RevisionServingState {
  state: RevisionState;
  /** Live instances that have it loaded and warmed. */
  readyInstances: number;
  /** What a live instance reported when it could not load it. */
  failure: string | null;
}

/**
 * READY when at least one live instance has the revision ready; otherwise FAILED when a live
 * instance reported it could not load it; otherwise LOADING (also when no instance is live).
 */
export function revisionServingState(
  revisionId: string,
  instances: readonly ServingInstanceRecord[],
): RevisionServingState {
  const readyInstances = instances.filter((instance) => instance.readyRevisionIds.includes(revisionId)).length;
  const failure = instances
    .flatMap((instance) => instance.failedRevisions)
    .find((failed) => failed.revisionId === revisionId);
  if (readyInstances > 0) return { state: 'READY', readyInstances, failure: null };
  return { state: failure ? 'FAILED' : 'LOADING', readyInstances: 0, failure: failure?.message ?? null };
}

export class ServingInstanceService {
  private readonly instances: ServingInstanceRepository;
  /** Revisions whose first ready/failed report this process already recorded. */
  private readonly recorded = new Set<string>();

  constructor(private readonly prisma: PrismaClient) {
    this.instances = new ServingInstanceRepository(prisma);
  }

  /**
   * Stores the instance's heartbeat. The first report of a revision being ready (or failing to
   * load) anywhere is recorded as a deployment event and announced to serving processes and
   * subscribers.
   */
  async heartbeat(report: InstanceReport): Promise<void> {
    const checked: InstanceReport = {
      ...report,
      id: validUuid(report.id, 'id'),
      loadedRevisionIds: report.loadedRevisionIds.map((id) => validUuid(id, 'loadedRevisionIds')),
      readyRevisionIds: report.readyRevisionIds.map((id) => validUuid(id, 'readyRevisionIds')),
      failedRevisions: report.failedRevisions.map((failed) => ({
        revisionId: validUuid(failed.revisionId, 'failedRevisions'),
        message: String(failed.message).slice(0, 2000),
      })),
    };
    await this.instances.heartbeat(checked);
    const ready = checked.readyRevisionIds.filter((id) => !this.recorded.has(`ready:${id}`));
    const failed = checked.failedRevisions.filter((failure) => !this.recorded.has(`failed:${failure.revisionId}`));
    if (ready.length === 0 && failed.length === 0) return;
    await inTransaction(this.prisma, async (tx) => {
      const repository = new DeploymentRepository(tx);
      const at = new Date();
      for (const revision of await repository.markReady(ready, at)) {
        await repository.recordEvent({
          deploymentId: revision.deploymentId,
          kind: 'REVISION_READY',
          revisionId: revision.id,
          message: `Revision ${revision.number} is loaded and ready (first on ${checked.host}, pid ${checked.pid})`,
          details: { revision: revision.number, instance: checked.id },
        });
        await repository.notifyChanged(revision.deploymentId);
      }
      for (const revision of await repository.markFailed(failed, at)) {
        await repository.recordEvent({
          deploymentId: revision.deploymentId,
          kind: 'REVISION_FAILED',
          revisionId: revision.id,
          message: `Revision ${revision.number} could not be loaded on ${checked.host}: ${revision.failure ?? ''}`,
          details: { revision: revision.number, instance: checked.id, failure: revision.failure },
        });
        await repository.notifyChanged(revision.deploymentId);
      }
    });
    for (const id of ready) this.recorded.add(`ready:${id}`);
    for (const failure of failed) this.recorded.add(`failed:${failure.revisionId}`);
  }

  remove(id: string): Promise<void> {
    return this.instances.remove(validUuid(id, 'id'));
  }

  live(): Promise<ServingInstanceRecord[]> {
    return this.instances.live();
  }

  purgeStale(): Promise<number> {
    return this.instances.purgeStale();
  }
}
