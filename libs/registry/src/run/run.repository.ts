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
} as const;

export type RunRecord = Prisma.RunGetPayload<{ select: typeof RUN_FIELDS }>;

export interface RunFilter {
  status?: RunStatus | null;
  kind?: RunKind | null;
  nameContains?: string | null;
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
        ...(filter.nameContains ? { name: { contains: filter.nameContains, mode: 'insensitive' } } : {}),
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
