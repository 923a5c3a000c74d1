import type { Prisma } from '@lepton/db';

export const MODEL_FIELDS = {
  id: true,
  projectId: true,
  name: true,
  task: true,
  description: true,
  tags: true,
  versionCount: true,
  createdAt: true,
  updatedAt: true,
} as const;

export type ModelRecord = Prisma.RegisteredModelGetPayload<{ select: typeof MODEL_FIELDS }>;

export interface ModelFilter {
  nameContains?: string | null;
  task?: string | null;
  tag?: string | null;
}

export class ModelRepository {
  constructor(private readonly db: Prisma.TransactionClient) {}

  create(data: { projectId: string; name: string; task: string; description: string; tags: string[] }) {
    return this.db.registeredModel.create({ data, select: MODEL_FIELDS });
  }

  update(id: string, data: { task?: string; description?: string; tags?: string[] }) {
    return this.db.registeredModel.update({ where: { id }, data, select: MODEL_FIELDS });
  }

  findByName(projectId: string, name: string) {
    return this.db.registeredModel.findUnique({ where: { projectId_name: { projectId, name } }, select: MODEL_FIELDS });
  }

  findByIds(ids: readonly string[]) {
    return this.db.registeredModel.findMany({ where: { id: { in: [...ids] } }, select: MODEL_FIELDS });
  }

  list(projectId: string, filter: ModelFilter, take: number, afterName?: string) {
    return this.db.registeredModel.findMany({
      where: {
        projectId,
        ...(filter.task ? { task: filter.task } : {}),
        ...(filter.tag ? { tags: { has: filter.tag } } : {}),
        AND: [
          filter.nameContains ? { name: { contains: filter.nameContains, mode: 'insensitive' } } : {},
          afterName === undefined ? {} : { name: { gt: afterName } },
        ],
      },
      orderBy: { name: 'asc' },
      take,
      select: MODEL_FIELDS,
    });
  }

  /** Takes the next version number under the model's row lock: gapless and unique under concurrency. */
  async nextVersionNumber(modelId: string): Promise<number> {
    const { versionCount } = await this.db.registeredModel.update({
      where: { id: modelId },
      data: { versionCount: { increment: 1 } },
      select: { versionCount: true },
    });
    return versionCount;
  }
}
