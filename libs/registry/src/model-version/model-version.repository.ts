import type { ModelVersionStatus, Prisma } from '@lepton/db';

export const MODEL_VERSION_FIELDS = {
  id: true,
  modelId: true,
  number: true,
  status: true,
  artifactUri: true,
  framework: true,
  inputSignature: true,
  outputSignature: true,
  sourceRunId: true,
  trainingDatasetVersionId: true,
  description: true,
  tags: true,
  createdAt: true,
  updatedAt: true,
} as const;

export type ModelVersionRecord = Prisma.ModelVersionGetPayload<{ select: typeof MODEL_VERSION_FIELDS }>;

const ALIAS_FIELDS = { modelId: true, alias: true, versionId: true, updatedAt: true } as const;
export type ModelAliasRecord = Prisma.ModelAliasGetPayload<{ select: typeof ALIAS_FIELDS }>;

export class ModelVersionRepository {
  constructor(private readonly db: Prisma.TransactionClient) {}

  create(data: Prisma.ModelVersionUncheckedCreateInput) {
    return this.db.modelVersion.create({ data, select: MODEL_VERSION_FIELDS });
  }

  update(id: string, data: { description?: string; tags?: string[]; status?: ModelVersionStatus }) {
    return this.db.modelVersion.update({ where: { id }, data, select: MODEL_VERSION_FIELDS });
  }

  findByNumber(modelId: string, number: number) {
    return this.db.modelVersion.findUnique({ where: { modelId_number: { modelId, number } }, select: MODEL_VERSION_FIELDS });
  }

  findByIds(ids: readonly string[]) {
    return this.db.modelVersion.findMany({ where: { id: { in: [...ids] } }, select: MODEL_VERSION_FIELDS });
  }

  /** Lineage: versions trained on a dataset version, newest first; the cursor is (createdAt, id). */
  listForTrainingDatasetVersion(datasetVersionId: string, take: number, after?: { createdAt: Date; id: string }) {
    return this.db.modelVersion.findMany({
      where: {
        trainingDatasetVersionId: datasetVersionId,
        ...(after
          ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
          : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
      select: MODEL_VERSION_FIELDS,
    });
  }

  findBySourceRuns(runIds: readonly string[]) {
    return this.db.modelVersion.findMany({
      where: { sourceRunId: { in: [...runIds] } },
      orderBy: { createdAt: 'asc' },
      select: MODEL_VERSION_FIELDS,
    });
  }

  findByIdWithModel(id: string) {
    return this.db.modelVersion.findUnique({
      where: { id },
      select: { ...MODEL_VERSION_FIELDS, model: { select: { projectId: true, name: true } } },
    });
  }

  /** The newest `take` versions of each model (below `beforeNumber`), in two statements however many models. */
  async listForModels(modelIds: readonly string[], take: number, beforeNumber?: number): Promise<ModelVersionRecord[]> {
    if (modelIds.length === 0) return [];
    const ranked = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM (
        SELECT id, row_number() OVER (PARTITION BY model_id ORDER BY number DESC) AS rank
        FROM model_version
        WHERE model_id = ANY(${[...modelIds]}::uuid[]) AND number < ${beforeNumber ?? 2_147_483_647}
      ) ranked
      WHERE rank <= ${take}`;
    if (ranked.length === 0) return [];
    return this.db.modelVersion.findMany({
      where: { id: { in: ranked.map((row) => row.id) } },
      orderBy: { number: 'desc' },
      select: MODEL_VERSION_FIELDS,
    });
  }

  /** The highest-numbered READY version of each model. */
  async latestReadyForModels(modelIds: readonly string[]): Promise<ModelVersionRecord[]> {
    if (modelIds.length === 0) return [];
    const latest = await this.db.$queryRaw<{ id: string }[]>`
      SELECT DISTINCT ON (model_id) id FROM model_version
      WHERE model_id = ANY(${[...modelIds]}::uuid[]) AND status = 'READY'
      ORDER BY model_id, number DESC`;
    return this.findByIds(latest.map((row) => row.id));
  }

  setAlias(modelId: string, alias: string, versionId: string) {
    return this.db.modelAlias.upsert({
      where: { modelId_alias: { modelId, alias } },
      create: { modelId, alias, versionId },
      update: { versionId },
      select: ALIAS_FIELDS,
    });
  }

  async deleteAlias(modelId: string, alias: string): Promise<boolean> {
    const { count } = await this.db.modelAlias.deleteMany({ where: { modelId, alias } });
    return count > 0;
  }

  findAlias(modelId: string, alias: string) {
    return this.db.modelAlias.findUnique({ where: { modelId_alias: { modelId, alias } }, select: ALIAS_FIELDS });
  }

  aliasesOfModels(modelIds: readonly string[]) {
    return this.db.modelAlias.findMany({ where: { modelId: { in: [...modelIds] } }, orderBy: { alias: 'asc' }, select: ALIAS_FIELDS });
  }

  aliasesOfVersions(versionIds: readonly string[]) {
    return this.db.modelAlias.findMany({ where: { versionId: { in: [...versionIds] } }, orderBy: { alias: 'asc' }, select: ALIAS_FIELDS });
  }
}
