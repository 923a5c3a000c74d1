import type { Prisma, PrismaClient } from '@lepton/db';
import { AuditRepository } from '../audit/audit.repository';
import type { Principal } from '../auth/principal';
import { DatasetRepository } from '../dataset/dataset.repository';
import { ModelRepository } from '../model/model.repository';
import { requireModel } from '../model/model.service';
import type { ModelVersionService } from '../model-version/model-version.service';
import type { ProjectService } from '../project/project.service';
import { badInput, conflict, isUniqueViolation, notFound } from '../shared/domain-error';
import { inTransaction } from '../shared/transaction';
import { validName, validText, validUuid } from '../shared/validation';
import { EvaluationRepository, type EvaluationRecord } from './evaluation.repository';
import { binaryOutcomes, type BinaryOutcomes } from './threshold-curve';

export interface RecordEvaluationInput {
  project?: string | null;
  model: string;
  version: number;
  datasetVersionId: string;
  split: string;
  metrics: unknown;
  confusionMatrix?: number[][] | null;
  labels?: string[] | null;
  /** Per example of the split: true class, predicted class, positive-class score (binary). */
  targets?: number[] | null;
  predictions?: number[] | null;
  scores?: number[] | null;
}

const SPLIT = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const METRIC_NAME = /^[A-Za-z0-9_\-./:]{1,128}$/;
const MAX_METRICS = 200;
const MAX_CLASSES = 1000;

export class EvaluationService {
  private readonly evaluations: EvaluationRepository;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly projects: ProjectService,
    private readonly versions: ModelVersionService,
  ) {
    this.evaluations = new EvaluationRepository(prisma);
  }

  /** One evaluation per (model version, dataset version, split); evaluations are immutable. */
  async record(principal: Principal, input: RecordEvaluationInput): Promise<EvaluationRecord> {
    const project = await this.projects.access(principal, input.project, 'EDITOR');
    if (!SPLIT.test(input.split)) throw badInput(`split "${input.split}" is invalid`, { field: 'split' });
    const metrics = validMetrics(input.metrics);
    if ((input.labels?.length ?? 0) > MAX_CLASSES) throw badInput(`at most ${MAX_CLASSES} labels are allowed`, { field: 'labels' });
    const labels = (input.labels ?? []).map((label) => validText(label, 'labels'));
    const confusionMatrix = input.confusionMatrix ? validConfusionMatrix(input.confusionMatrix, labels) : null;
    const datasetVersionId = validUuid(input.datasetVersionId, 'datasetVersionId');
    const outcomes = validOutcomes(input);
    try {
      return await inTransaction(this.prisma, async (tx) => {
        const version = await this.versions.requireVersion(tx, project, input.model, input.version);
        const datasetVersion = await new DatasetRepository(tx).findVersionWithProject(datasetVersionId);
        if (!datasetVersion || datasetVersion.dataset.projectId !== project.id) {
          throw notFound(`Dataset version ${datasetVersionId} does not exist in project "${project.name}"`);
        }
        const evaluation = await new EvaluationRepository(tx).create({
          modelVersionId: version.id,
          datasetVersionId,
          split: input.split,
          metrics,
          labels,
          ...outcomes,
          ...(confusionMatrix ? { confusionMatrix } : {}),
        });
        await new AuditRepository(tx).record(principal, {
          projectId: project.id,
          action: 'evaluation.record',
          targetType: 'evaluation',
          targetId: evaluation.id,
          details: { model: input.model, version: input.version, split: input.split },
        });
        return evaluation;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw conflict(`Version ${input.version} of "${input.model}" already has an evaluation on this dataset version and split "${input.split}"`);
      }
      throw error;
    }
  }

  async list(principal: Principal, projectName: string | null | undefined, modelName: string, version?: number | null) {
    const project = await this.projects.access(principal, projectName, 'VIEWER');
    const model = await requireModel(new ModelRepository(this.prisma), project, validName(modelName, 'model'));
    return this.evaluations.listForModel(model.id, version ?? undefined);
  }

  forVersions(modelVersionIds: readonly string[]) {
    return this.evaluations.listForVersions(modelVersionIds);
  }

  byIds(ids: readonly string[]) {
    return this.evaluations.byIds(ids);
  }

  /** Binary outcomes (true class, positive-class score) of evaluations whose access was already checked. */
  async binaryOutcomesOf(ids: readonly string[]): Promise<Map<string, BinaryOutcomes | null>> {
    const rows = await this.evaluations.outcomesByIds(ids);
    return new Map(rows.map((row) => [row.id, binaryOutcomes(row)]));
  }
}

function validMetrics(value: unknown): Prisma.InputJsonValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badInput('metrics must be an object of metric name to number', { field: 'metrics' });
  }
  const entries = Object.entries(value);
  if (entries.length === 0 || entries.length > MAX_METRICS) {
    throw badInput(`metrics must hold between 1 and ${MAX_METRICS} values`, { field: 'metrics' });
  }
  for (const [name, metric] of entries) {
    if (!METRIC_NAME.test(name)) throw badInput(`metric name "${name.slice(0, 40)}" is invalid`, { field: 'metrics' });
    if (typeof metric !== 'number' || !Number.isFinite(metric)) {
      throw badInput(`metric "${name}" must be a finite number`, { field: 'metrics' });
    }
  }
  return value as Prisma.InputJsonValue;
}

const MAX_OUTCOMES = 1_000_000;

function validOutcomes(input: RecordEvaluationInput): { targets: number[]; predictions: number[]; scores: number[] } {
  const targets = input.targets ?? [];
  const predictions = input.predictions ?? [];
  const scores = input.scores ?? [];
  if (targets.length !== predictions.length) {
    throw badInput(`targets has ${targets.length} entries but predictions has ${predictions.length}`, { field: 'predictions' });
  }
  if (targets.length > MAX_OUTCOMES) throw badInput(`at most ${MAX_OUTCOMES} per-example outcomes`, { field: 'targets' });
  if (scores.length > 0 && scores.length !== targets.length) {
    throw badInput(`scores has ${scores.length} entries but targets has ${targets.length}`, { field: 'scores' });
  }
  if ([...targets, ...predictions].some((value) => !Number.isInteger(value) || value < 0 || value >= MAX_CLASSES)) {
    throw badInput(`targets and predictions must be class indices between 0 and ${MAX_CLASSES - 1}`, { field: 'predictions' });
  }
  if (scores.some((score) => !Number.isFinite(score))) throw badInput('scores must be finite numbers', { field: 'scores' });
  return { targets, predictions, scores };
}

function validConfusionMatrix(matrix: number[][], labels: string[]): number[][] {
  const size = matrix.length;
  if (size === 0 || size > MAX_CLASSES) throw badInput(`confusionMatrix must have 1 to ${MAX_CLASSES} rows`, { field: 'confusionMatrix' });
  for (const row of matrix) {
    if (row.length !== size) throw badInput('confusionMatrix must be square', { field: 'confusionMatrix' });
    if (row.some((cell) => !Number.isInteger(cell) || cell < 0)) {
      throw badInput('confusionMatrix cells must be non-negative integers', { field: 'confusionMatrix' });
    }
  }
  if (labels.length > 0 && labels.length !== size) {
    throw badInput(`labels has ${labels.length} entries but confusionMatrix is ${size}x${size}`, { field: 'labels' });
  }
  return matrix;
}
