import {
  InferenceError,
  type BackendChoice,
  type ModelPool,
  type PoolLease,
  type ServableModel,
} from '@lepton/inference';
import type { CatalogDeployment, CatalogRevision } from '@lepton/registry';
import type { ReadyTraffic } from '../routing/traffic';

export type RevisionStatus =
  | { state: 'LOADING' }
  | { state: 'READY'; backend: BackendChoice }
  /** `retry`: the cause may pass (the store was unreachable); permanent failures wait for a new revision. */
  | { state: 'FAILED'; reason: string; retry: boolean };

interface TrackedRevision {
  revision: CatalogRevision;
  deployment: CatalogDeployment;
  status: RevisionStatus;
}

interface TrackedDeployment {
  desired: CatalogDeployment;
  /**
   * The stable revision this process answered with before the catalog named another: it keeps answering until
   * the new one is ready here (after a promote, a rollback or a new version), then it is unloaded.
   */
  previousStable: CatalogRevision | null;
}

/** Loads a revision's model (the pool calls it on first use and after an eviction). */
export type RevisionLoader = (revision: CatalogRevision, deployment: CatalogDeployment) => Promise<ServableModel>;

export interface InstanceRevisions {
  loadedRevisionIds: string[];
  readyRevisionIds: string[];
  failedRevisions: { revisionId: string; message: string }[];
}

/**
 * The deployments this process serves and the state of their revisions here. It loads what the catalog names,
 * routes only to revisions that are loaded and ready in this process (a canary's share goes to stable until the
 * canary is ready; a replaced stable keeps answering until its successor is ready), and unloads revisions no
 * deployment needs any more.
 */
export class ServedDeployments {
  private readonly deployments = new Map<string, TrackedDeployment>();
  private readonly idsByName = new Map<string, string>();
  private readonly revisions = new Map<string, TrackedRevision>();

  constructor(
    private readonly pool: ModelPool<ServableModel>,
    private readonly load: RevisionLoader,
    private readonly log: (line: string) => void,
  ) {}

  /** The catalog's current view of one deployment; null when it was deleted. */
  apply(deploymentId: string, deployment: CatalogDeployment | null): void {
    const tracked = this.deployments.get(deploymentId);
    if (tracked) this.idsByName.delete(tracked.desired.name);
    if (!deployment) {
      this.deployments.delete(deploymentId);
    } else {
      if (tracked) {
        const answering = this.effectiveStable(tracked);
        if (answering && answering.id !== deployment.stable.id) tracked.previousStable = answering;
        tracked.desired = deployment;
      } else {
        this.deployments.set(deploymentId, { desired: deployment, previousStable: null });
      }
      this.idsByName.set(deployment.name, deploymentId);
      this.ensure(deployment.stable, deployment);
      if (deployment.canary) this.ensure(deployment.canary, deployment);
    }
    this.settle();
  }

  /** The catalog's view of every deployment: anything not in it is unloaded; failed loads that may pass are retried. */
  replaceAll(deployments: readonly CatalogDeployment[]): void {
    const present = new Set(deployments.map((deployment) => deployment.id));
    for (const id of [...this.deployments.keys()]) if (!present.has(id)) this.apply(id, null);
    for (const deployment of deployments) this.apply(deployment.id, deployment);
  }

  idOf(name: string): string | null {
    return this.idsByName.get(name) ?? null;
  }

  deployment(deploymentId: string): CatalogDeployment | null {
    return this.deployments.get(deploymentId)?.desired ?? null;
  }

  /** Revisions requests may go to now, or null when none is ready here. */
  readyTraffic(deploymentId: string): ReadyTraffic<CatalogRevision> | null {
    const tracked = this.deployments.get(deploymentId);
    const stable = tracked && this.effectiveStable(tracked);
    if (!tracked || !stable) return null;
    const canary = tracked.desired.canary;
    return {
      stable,
      canary: canary && this.isReady(canary.id) ? { revision: canary, weight: canary.weight } : null,
    };
  }

  /** The revisions in this deployment's traffic (ready here or not), stable first. */
  trafficRevisions(deploymentId: string): CatalogRevision[] {
    const tracked = this.deployments.get(deploymentId);
    if (!tracked) return [];
    const answering = this.effectiveStable(tracked);
    const revisions = [
      answering ?? tracked.desired.stable,
      ...(tracked.desired.canary ? [tracked.desired.canary] : []),
    ];
    return revisions.filter((revision, index) => revisions.findIndex((other) => other.id === revision.id) === index);
  }

  /** Why nothing of this deployment can answer here: the stable revision's load state. */
  whyNotReady(deploymentId: string): string {
    const tracked = this.deployments.get(deploymentId);
    if (!tracked) return 'this serving process has not read the deployment yet';
    const { stable } = tracked.desired;
    const status = this.status(stable.id);
    if (status?.state === 'FAILED') return `revision ${stable.number} could not be loaded: ${status.reason}`;
    return `revision ${stable.number} (model version ${stable.modelVersion.number}) is still loading`;
  }

  status(revisionId: string): RevisionStatus | null {
    return this.revisions.get(revisionId)?.status ?? null;
  }

  isReady(revisionId: string): boolean {
    return this.revisions.get(revisionId)?.status.state === 'READY';
  }

  /** The revision's model, pinned until released; loaded again first if the pool evicted it. */
  acquire(revision: CatalogRevision): Promise<PoolLease<ServableModel>> {
    const tracked = this.revisions.get(revision.id);
    if (!tracked || tracked.status.state !== 'READY') {
      return Promise.reject(
        new InferenceError('MODEL_INVALID', `revision ${revision.number} is not ready in this process`),
      );
    }
    return this.pool.acquire(revision.id, () => this.load(tracked.revision, tracked.deployment));
  }

  /** Nothing is loading: every revision the catalog names is ready or failed. */
  settled(): boolean {
    for (const tracked of this.revisions.values()) if (tracked.status.state === 'LOADING') return false;
    return true;
  }

  /** For the instance's heartbeat. */
  report(): InstanceRevisions {
    const readyRevisionIds: string[] = [];
    const failedRevisions: InstanceRevisions['failedRevisions'] = [];
    for (const [id, tracked] of this.revisions) {
      if (tracked.status.state === 'READY') readyRevisionIds.push(id);
      if (tracked.status.state === 'FAILED') failedRevisions.push({ revisionId: id, message: tracked.status.reason });
    }
    return { loadedRevisionIds: this.pool.loadedKeys(), readyRevisionIds, failedRevisions };
  }

  /** Every tracked revision with its deployment and state (for metrics and the model metadata endpoint). */
  tracked(): { deployment: CatalogDeployment; revision: CatalogRevision; status: RevisionStatus }[] {
    return [...this.revisions.values()].map(({ deployment, revision, status }) => ({ deployment, revision, status }));
  }

  /** Instances waiting in each loaded revision's batcher. */
  queues(): { deployment: CatalogDeployment; revision: CatalogRevision; queued: number }[] {
    return [...this.revisions.values()].flatMap(({ deployment, revision }) => {
      const model = this.pool.peek(revision.id);
      return model ? [{ deployment, revision, queued: model.batcher.queuedRows }] : [];
    });
  }

  private effectiveStable(tracked: TrackedDeployment): CatalogRevision | null {
    if (this.isReady(tracked.desired.stable.id)) return tracked.desired.stable;
    if (tracked.previousStable && this.isReady(tracked.previousStable.id)) return tracked.previousStable;
    return null;
  }

  private ensure(revision: CatalogRevision, deployment: CatalogDeployment): void {
    const existing = this.revisions.get(revision.id);
    if (existing) {
      existing.deployment = deployment;
      if (existing.status.state === 'FAILED' && existing.status.retry) this.startLoad(existing);
      return;
    }
    const tracked: TrackedRevision = { revision, deployment, status: { state: 'LOADING' } };
    this.revisions.set(revision.id, tracked);
    this.startLoad(tracked);
  }

  private startLoad(tracked: TrackedRevision): void {
    const { revision } = tracked;
    tracked.status = { state: 'LOADING' };
    this.log(
      `${tracked.deployment.name}: loading revision ${revision.number} (${revision.modelVersion.model} v${revision.modelVersion.number})`,
    );
    const started = performance.now();
    this.pool
      .acquire(revision.id, () => this.load(tracked.revision, tracked.deployment))
      .then(
        (lease) => {
          const backend = lease.model.backend;
          lease.release();
          tracked.status = { state: 'READY', backend };
          const seconds = ((performance.now() - started) / 1000).toFixed(1);
          this.log(
            `${tracked.deployment.name}: revision ${revision.number} ready in ${seconds} s on ${backend.backend} (${backend.reason})`,
          );
        },
        (error: unknown) => {
          const permanent = error instanceof InferenceError;
          const reason = error instanceof Error ? error.message : String(error);
          tracked.status = { state: 'FAILED', reason, retry: !permanent };
          this.log(`${tracked.deployment.name}: revision ${revision.number} failed to load: ${reason}`);
        },
      )
      .finally(() => this.settle());
  }

  /** Drops replaced stables once their successor is ready, and unloads revisions nothing refers to. */
  private settle(): void {
    const wanted = new Set<string>();
    for (const tracked of this.deployments.values()) {
      if (tracked.previousStable && this.isReady(tracked.desired.stable.id)) tracked.previousStable = null;
      wanted.add(tracked.desired.stable.id);
      if (tracked.desired.canary) wanted.add(tracked.desired.canary.id);
      if (tracked.previousStable) wanted.add(tracked.previousStable.id);
    }
    for (const [id, tracked] of this.revisions) {
      if (wanted.has(id)) continue;
      this.revisions.delete(id);
      this.pool.remove(id);
      this.log(`${tracked.deployment.name}: unloaded revision ${tracked.revision.number}`);
    }
  }
}
