import type { Prisma } from '@lepton/db';

export const EVALUATION_FIELDS = {
  id: true,
  modelVersionId: true,
  datasetVersionId: true,
  split: true,
  metrics: true,
  confusionMatrix: true,
  labels: true,
  createdAt: true,
} as const;

export type EvaluationRecord = Prisma.EvaluationGetPayload<{ select: typeof EVALUATION_FIELDS }>;

const OUTCOME_FIELDS = { ...EVALUATION_FIELDS, targets: true, predictions: true, scores: true } as const;
export type EvaluationWithOutcomes = Prisma.EvaluationGetPayload<{ select: typeof OUTCOME_FIELDS }>;

export class EvaluationRepository {
  constructor(private readonly db: Prisma.TransactionClient) {}

  create(data: Prisma.EvaluationUncheckedCreateInput) {
    return this.db.evaluation.create({ data, select: EVALUATION_FIELDS });
  }

  listForVersions(modelVersionIds: readonly string[]) {
    return this.db.evaluation.findMany({
      where: { modelVersionId: { in: [...modelVersionIds] } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: EVALUATION_FIELDS,
    });
  }

  /** With per-example outcomes, which can be large: only for comparisons. */
  listWithOutcomes(modelVersionIds: readonly string[]) {
    return this.db.evaluation.findMany({
      where: { modelVersionId: { in: [...modelVersionIds] } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: OUTCOME_FIELDS,
    });
  }

  byIds(ids: readonly string[]) {
    return this.db.evaluation.findMany({ where: { id: { in: [...ids] } }, select: EVALUATION_FIELDS });
  }

  /** Per-example outcomes by evaluation id (for curves). */
  outcomesByIds(ids: readonly string[]) {
    return this.db.evaluation.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, labels: true, targets: true, scores: true },
    });
  }

  listForModel(modelId: string, versionNumber?: number) {
    return this.db.evaluation.findMany({
      where: { modelVersion: { modelId, ...(versionNumber === undefined ? {} : { number: versionNumber }) } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: EVALUATION_FIELDS,
    });
  }
}
