import type { Prisma, RunKind, RunStatus } from '@lepton/db';

export const RUN_FIELDS = {
  id: true,
  projectId: true,
  name: true,
  kind: true,
  status: true,
  params: true,
  createdById: true,
  startedAt: true,
  endedAt: true,
  error: true,
  createdAt: true,
  updatedAt: true,
  modelId: true,
  datasetVersionId: true,
  progress: true,
  etaAt: true,
  backend: true,
  device: true,
  workerId: true,
  heartbeatAt: true,
  attempt: true,
  jobId: true,
  cancelRequested: true,
  leaseExpiresAt: true,
  lostLeases: true,
} as const;

export type RunRecord = Prisma.RunGetPayload<{ select: typeof RUN_FIELDS }>;

/** A worker's hold on a training run: its writes apply only while the run still names both. */
export interface RunLease {
  runId: string;
  workerId: string;
  attempt: number;
  /** How long each renewal extends the lease. */
  seconds: number;
}

export interface LeaseRenewal {
  progress?: number;
  etaAt?: Date | null;
  backend?: string;
  /** What the backend computes on, e.g. `CPU: AMD EPYC (2 cores)`. */
  device?: string;
}

export interface RunFilter {
  status?: RunStatus | null;
  kind?: RunKind | null;
  nameContains?: string | null;
  /** A registered model's name: its training runs and the runs that registered its versions. */
  model?: string | null;
  /** Lineage (not a client filter): runs that trained on this dataset version. */
  datasetVersionId?: string;
}

export class RunRepository {
  constructor(private readonly db: Prisma.TransactionClient) {}

  create(data: Prisma.RunUncheckedCreateInput) {
    return this.db.run.create({ data, select: RUN_FIELDS });
  }

  findById(id: string) {
    return this.db.run.findUnique({ where: { id }, select: RUN_FIELDS });
  }

  /** The run, row-locked until the transaction ends (status transitions are decided under it). */
  async findForUpdate(id: string): Promise<RunRecord | null> {
    await this.db.$queryRaw`SELECT id FROM run WHERE id = ${id}::uuid FOR UPDATE`;
    return this.findById(id);
  }

  update(id: string, data: Prisma.RunUncheckedUpdateInput) {
    return this.db.run.update({ where: { id }, data, select: RUN_FIELDS });
  }

  findByIds(ids: readonly string[]) {
    return this.db.run.findMany({ where: { id: { in: [...ids] } }, select: RUN_FIELDS });
  }

  /**
   * Gives the run to `workerId` as attempt + 1, with a lease until now + leaseSeconds on the
   * database's clock (the reaper compares with the same clock). Call with the row locked.
   */
  async claim(id: string, workerId: string, leaseSeconds: number): Promise<RunRecord> {
    await this.db.$executeRaw`
      UPDATE run SET status = 'RUNNING', started_at = COALESCE(started_at, now()), worker_id = ${workerId},
        attempt = attempt + 1, heartbeat_at = now(), lease_expires_at = now() + make_interval(secs => ${leaseSeconds}::float8),
        eta_at = NULL, updated_at = now()
      WHERE id = ${id}::uuid`;
    return (await this.findById(id))!;
  }

  /**
   * Extends the lease (and records progress) only while `lease` still holds the run; null when
   * it does not (another worker took over, or the run ended).
   */
  async renewLease(lease: RunLease, renewal: LeaseRenewal = {}): Promise<{ status: RunStatus; cancelRequested: boolean } | null> {
    const rows = await this.db.$queryRaw<{ status: RunStatus; cancelRequested: boolean }[]>`
      UPDATE run SET heartbeat_at = now(), lease_expires_at = now() + make_interval(secs => ${lease.seconds}::float8),
        progress = COALESCE(${renewal.progress ?? null}::float8, progress),
        eta_at = CASE WHEN ${renewal.etaAt !== undefined}::boolean THEN ${renewal.etaAt ?? null}::timestamptz ELSE eta_at END,
        backend = COALESCE(${renewal.backend ?? null}::varchar, backend),
        device = COALESCE(${renewal.device?.slice(0, 256) ?? null}::varchar, device), updated_at = now()
      WHERE id = ${lease.runId}::uuid AND worker_id = ${lease.workerId} AND attempt = ${lease.attempt}::int AND status = 'RUNNING'
      RETURNING status, cancel_requested AS "cancelRequested"`;
    return rows[0] ?? null;
  }

  /** Applies `data` only while `lease` still holds the run; null when it does not. */
  async updateHeld(lease: RunLease, data: Prisma.RunUncheckedUpdateInput): Promise<RunRecord | null> {
    const { count } = await this.db.run.updateMany({
      where: { id: lease.runId, workerId: lease.workerId, attempt: lease.attempt, status: 'RUNNING' },
      data,
    });
    return count === 1 ? this.findById(lease.runId) : null;
  }

  /**
   * Up to `limit` running training runs whose holder's lease expired, row-locked until the
   * transaction ends. SKIP LOCKED: reapers in many workers share the work instead of waiting.
   */
  async lockExpiredLeases(limit: number): Promise<RunRecord[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM run
      WHERE status = 'RUNNING' AND kind = 'TRAINING' AND worker_id IS NOT NULL AND lease_expires_at < now()
      ORDER BY lease_expires_at LIMIT ${limit}::int
      FOR UPDATE SKIP LOCKED`;
    return this.findByIds(rows.map((row) => row.id));
  }

  /** Training runs waiting for a worker (queued, or handed back): their jobs must still be pending. */
  findWaitingTraining(limit: number) {
    return this.db.run.findMany({
      where: { kind: 'TRAINING', workerId: null, status: { in: ['QUEUED', 'RUNNING'] } },
      orderBy: { createdAt: 'asc' },
      take: limit,
      select: RUN_FIELDS,
    });
  }

  /** Moves a run out of an active state; null when it had already finished (a concurrent finish won). */
  async finish(id: string, status: RunStatus, error: string | null, endedAt: Date): Promise<RunRecord | null> {
    const { count } = await this.db.run.updateMany({
      where: { id, status: { in: ['QUEUED', 'RUNNING'] } },
      data: { status, error, endedAt },
    });
    return count === 1 ? this.findById(id) : null;
  }

  /** Newest first; the cursor is (createdAt, id). */
  list(projectId: string, filter: RunFilter, take: number, after?: { createdAt: Date; id: string }) {
    return this.db.run.findMany({
      where: {
        projectId,
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.kind ? { kind: filter.kind } : {}),
        ...(filter.datasetVersionId ? { datasetVersionId: filter.datasetVersionId } : {}),
        ...(filter.nameContains ? { name: { contains: filter.nameContains, mode: 'insensitive' } } : {}),
        ...(filter.model
          ? {
              AND: [
                {
                  OR: [
                    { model: { name: filter.model } },
                    { modelVersions: { some: { model: { name: filter.model, projectId } } } },
                  ],
                },
              ],
            }
          : {}),
        ...(after
          ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
          : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
      select: RUN_FIELDS,
    });
  }
}
