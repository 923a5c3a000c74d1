import { Prisma, type Channel, type DeploymentEventKind } from '@lepton/db';
import type { Batching } from './deployment-config';

export const DEPLOYMENT_CHANGED = 'lepton_deployment_changed' satisfies Channel;

export const DEPLOYMENT_FIELDS = {
  id: true,
  projectId: true,
  name: true,
  modelId: true,
  followAlias: true,
  aliasRollout: true,
  aliasCanaryWeight: true,
  aliasCanaryAnalysis: true,
  stableRevisionId: true,
  previousRevisionId: true,
  canaryRevisionId: true,
  canaryWeight: true,
  canaryAnalysis: true,
  canaryStartedAt: true,
  canaryLastAnalysis: true,
  canaryAnalyzedAt: true,
  logPayloads: true,
  requestLogRetentionHours: true,
  revisionCount: true,
  createdById: true,
  createdAt: true,
  updatedAt: true,
} as const;

export const REVISION_FIELDS = {
  id: true,
  deploymentId: true,
  number: true,
  modelVersionId: true,
  maxBatchSize: true,
  maxQueueDelayMs: true,
  maxQueueSize: true,
  createdById: true,
  createdAt: true,
  firstReadyAt: true,
  firstFailedAt: true,
  failure: true,
} as const;

const EVENT_FIELDS = {
  id: true,
  deploymentId: true,
  kind: true,
  revisionId: true,
  message: true,
  details: true,
  createdAt: true,
  actor: { select: { name: true } },
} as const;

const KEY_FIELDS = {
  id: true,
  deploymentId: true,
  name: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

export type DeploymentRecord = Prisma.DeploymentGetPayload<{ select: typeof DEPLOYMENT_FIELDS }>;
export type DeploymentRevisionRecord = Prisma.DeploymentRevisionGetPayload<{ select: typeof REVISION_FIELDS }>;
export type DeploymentEventRecord = Prisma.DeploymentEventGetPayload<{ select: typeof EVENT_FIELDS }>;
export type DeploymentKeyRecord = Prisma.DeploymentKeyGetPayload<{ select: typeof KEY_FIELDS }>;

export interface NewEvent {
  deploymentId: string;
  kind: DeploymentEventKind;
  revisionId?: string | null;
  actorId?: string | null;
  message: string;
  details?: Record<string, unknown>;
}

/** Traffic and rollout fields a mutation may change. */
export type DeploymentChanges = Partial<
  Pick<
    DeploymentRecord,
    | 'stableRevisionId'
    | 'previousRevisionId'
    | 'canaryRevisionId'
    | 'canaryWeight'
    | 'canaryStartedAt'
    | 'canaryAnalyzedAt'
  >
> & {
  /** null clears the column. */
  canaryAnalysis?: Prisma.InputJsonValue | null;
  canaryLastAnalysis?: Prisma.InputJsonValue | null;
};

/** Json? columns take Prisma.DbNull, not null, for SQL NULL. */
function jsonOrNull(value: Prisma.InputJsonValue | null | undefined) {
  return value === null ? Prisma.DbNull : value;
}

export class DeploymentRepository {
  constructor(private readonly db: Prisma.TransactionClient) {}

  create(data: {
    projectId: string;
    name: string;
    modelId: string;
    followAlias: string | null;
    aliasRollout: 'DIRECT' | 'CANARY';
    aliasCanaryWeight: number | null;
    aliasCanaryAnalysis: Prisma.InputJsonValue | null;
    logPayloads: boolean;
    requestLogRetentionHours: number;
    createdById: string;
  }) {
    const { aliasCanaryAnalysis, ...rest } = data;
    return this.db.deployment.create({
      data: { ...rest, ...(aliasCanaryAnalysis === null ? {} : { aliasCanaryAnalysis }) },
      select: DEPLOYMENT_FIELDS,
    });
  }

  findByName(name: string) {
    return this.db.deployment.findUnique({ where: { name }, select: DEPLOYMENT_FIELDS });
  }

  findByIds(ids: readonly string[]) {
    return this.db.deployment.findMany({ where: { id: { in: [...ids] } }, select: DEPLOYMENT_FIELDS });
  }

  /** Locks the row: traffic changes of one deployment happen one after another. */
  async findByNameForUpdate(name: string): Promise<DeploymentRecord | null> {
    await this.db.$queryRaw`SELECT id FROM deployment WHERE name = ${name} FOR UPDATE`;
    return this.findByName(name);
  }

  async findByIdForUpdate(id: string): Promise<DeploymentRecord | null> {
    await this.db.$queryRaw`SELECT id FROM deployment WHERE id = ${id}::uuid FOR UPDATE`;
    const [deployment] = await this.findByIds([id]);
    return deployment ?? null;
  }

  list(projectId: string, take: number, afterName?: string) {
    return this.db.deployment.findMany({
      where: { projectId, ...(afterName === undefined ? {} : { name: { gt: afterName } }) },
      orderBy: { name: 'asc' },
      take,
      select: DEPLOYMENT_FIELDS,
    });
  }

  /** Deployments following `alias` of the model, locked in a stable order (no deadlock between two alias moves). */
  async followersForUpdate(modelId: string, alias: string): Promise<DeploymentRecord[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM deployment WHERE model_id = ${modelId}::uuid AND follow_alias = ${alias} ORDER BY id FOR UPDATE`;
    if (rows.length === 0) return [];
    return this.db.deployment.findMany({
      where: { id: { in: rows.map((row) => row.id) } },
      orderBy: { id: 'asc' },
      select: DEPLOYMENT_FIELDS,
    });
  }

  /** Deployments whose canary has an analysis config, for the analysis loop. */
  withAnalyzedCanary() {
    return this.db.deployment.findMany({
      where: { canaryRevisionId: { not: null }, NOT: { canaryAnalysis: { equals: Prisma.AnyNull } } },
      select: DEPLOYMENT_FIELDS,
    });
  }

  update(id: string, changes: DeploymentChanges) {
    const { canaryAnalysis, canaryLastAnalysis, ...rest } = changes;
    return this.db.deployment.update({
      where: { id },
      data: {
        ...rest,
        ...(canaryAnalysis === undefined ? {} : { canaryAnalysis: jsonOrNull(canaryAnalysis) }),
        ...(canaryLastAnalysis === undefined ? {} : { canaryLastAnalysis: jsonOrNull(canaryLastAnalysis) }),
      },
      select: DEPLOYMENT_FIELDS,
    });
  }

  async delete(id: string): Promise<void> {
    await this.db.deployment.delete({ where: { id }, select: { id: true } });
  }

  async nextRevisionNumber(id: string): Promise<number> {
    const { revisionCount } = await this.db.deployment.update({
      where: { id },
      data: { revisionCount: { increment: 1 } },
      select: { revisionCount: true },
    });
    return revisionCount;
  }

  createRevision(
    data: { deploymentId: string; number: number; modelVersionId: string; createdById: string | null } & Batching,
  ) {
    return this.db.deploymentRevision.create({ data, select: REVISION_FIELDS });
  }

  revisionsByIds(ids: readonly string[]) {
    return this.db.deploymentRevision.findMany({ where: { id: { in: [...ids] } }, select: REVISION_FIELDS });
  }

  findRevisionByNumber(deploymentId: string, number: number) {
    return this.db.deploymentRevision.findUnique({
      where: { deploymentId_number: { deploymentId, number } },
      select: REVISION_FIELDS,
    });
  }

  /** The newest `take` revisions of each deployment (numbers below `beforeNumber`), in two statements however many deployments. */
  async revisionsOfDeployments(deploymentIds: readonly string[], take: number, beforeNumber?: number) {
    if (deploymentIds.length === 0) return [];
    const ranked = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM (
        SELECT id, row_number() OVER (PARTITION BY deployment_id ORDER BY number DESC) AS rank
        FROM deployment_revision
        WHERE deployment_id = ANY(${[...deploymentIds]}::uuid[]) AND number < ${beforeNumber ?? 2_147_483_647}
      ) ranked
      WHERE rank <= ${take}`;
    if (ranked.length === 0) return [];
    return this.db.deploymentRevision.findMany({
      where: { id: { in: ranked.map((row) => row.id) } },
      orderBy: { number: 'desc' },
      select: REVISION_FIELDS,
    });
  }

  /** Marks revisions ready (the first time only); returns those that were not before. */
  markReady(revisionIds: readonly string[], at: Date) {
    return this.markFirst(revisionIds, { firstReadyAt: at }, 'first_ready_at');
  }

  async markFailed(failures: readonly { revisionId: string; message: string }[], at: Date) {
    const marked: DeploymentRevisionRecord[] = [];
    for (const failure of failures) {
      marked.push(
        ...(await this.markFirst(
          [failure.revisionId],
          { firstFailedAt: at, failure: failure.message.slice(0, 2000) },
          'first_failed_at',
        )),
      );
    }
    return marked;
  }

  private async markFirst(
    revisionIds: readonly string[],
    data: Prisma.DeploymentRevisionUpdateManyMutationInput,
    column: 'first_ready_at' | 'first_failed_at',
  ) {
    if (revisionIds.length === 0) return [];
    // One winner per revision however many serving processes report it at once.
    const rows = await this.db.$queryRawUnsafe<{ id: string }[]>(
      `SELECT id FROM deployment_revision WHERE id = ANY($1::uuid[]) AND ${column} IS NULL ORDER BY id FOR UPDATE SKIP LOCKED`,
      [...revisionIds],
    );
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    await this.db.deploymentRevision.updateMany({ where: { id: { in: ids } }, data });
    return this.revisionsByIds(ids);
  }

  async recordEvent(event: NewEvent): Promise<void> {
    await this.db.deploymentEvent.create({
      data: {
        deploymentId: event.deploymentId,
        kind: event.kind,
        revisionId: event.revisionId ?? null,
        actorId: event.actorId ?? null,
        message: event.message,
        details: (event.details ?? {}) as Prisma.InputJsonValue,
      },
      select: { id: true },
    });
  }

  /** Newest first. */
  listEvents(deploymentId: string, take: number, beforeId?: bigint) {
    return this.db.deploymentEvent.findMany({
      where: { deploymentId, ...(beforeId === undefined ? {} : { id: { lt: beforeId } }) },
      orderBy: { id: 'desc' },
      take,
      select: EVENT_FIELDS,
    });
  }

  createKey(data: { deploymentId: string; name: string; keyHash: string; prefix: string; createdById: string }) {
    return this.db.deploymentKey.create({ data, select: KEY_FIELDS });
  }

  findKey(id: string) {
    return this.db.deploymentKey.findUnique({ where: { id }, select: KEY_FIELDS });
  }

  findActiveKeyByHash(keyHash: string) {
    return this.db.deploymentKey.findFirst({
      where: { keyHash, revokedAt: null },
      select: { id: true, deploymentId: true, lastUsedAt: true },
    });
  }

  keysOfDeployments(deploymentIds: readonly string[]) {
    return this.db.deploymentKey.findMany({
      where: { deploymentId: { in: [...deploymentIds] } },
      orderBy: { createdAt: 'asc' },
      select: KEY_FIELDS,
    });
  }

  revokeKey(id: string, at: Date) {
    return this.db.deploymentKey.update({ where: { id }, data: { revokedAt: at }, select: KEY_FIELDS });
  }

  /** At most one write a minute per key, so invoking stays read-only on the hot path. */
  async touchKey(id: string, now: Date): Promise<void> {
    await this.db.deploymentKey.updateMany({
      where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }] },
      data: { lastUsedAt: now },
    });
  }

  /**
   * Tells every serving process and subscriber. NOTIFY inside a transaction is delivered at
   * commit and dropped on rollback, so nobody hears of a change that did not happen.
   */
  async notifyChanged(deploymentId: string): Promise<void> {
    await this.db.$executeRaw`SELECT pg_notify(${DEPLOYMENT_CHANGED}, ${JSON.stringify({ deploymentId })})`;
  }
}

const CATALOG_REVISION = {
  select: {
    ...REVISION_FIELDS,
    modelVersion: {
      select: {
        id: true,
        number: true,
        artifactUri: true,
        framework: true,
        inputSignature: true,
        outputSignature: true,
        model: { select: { name: true } },
        trainingDatasetVersion: { select: { id: true, schema: true, storageUri: true, contentSha256: true } },
      },
    },
  },
} as const;

const CATALOG_FIELDS = {
  id: true,
  name: true,
  projectId: true,
  logPayloads: true,
  canaryWeight: true,
  updatedAt: true,
  stableRevision: CATALOG_REVISION,
  canaryRevision: CATALOG_REVISION,
} as const;

export type CatalogRow = Prisma.DeploymentGetPayload<{ select: typeof CATALOG_FIELDS }>;

/** The serving processes' read model: deployments with their live revisions, model versions and preprocessing. */
export class DeploymentCatalogRepository {
  constructor(private readonly db: Prisma.TransactionClient) {}

  load(ids?: readonly string[]): Promise<CatalogRow[]> {
    return this.db.deployment.findMany({
      where: { stableRevisionId: { not: null }, ...(ids ? { id: { in: [...ids] } } : {}) },
      orderBy: { name: 'asc' },
      select: CATALOG_FIELDS,
    });
  }
}
