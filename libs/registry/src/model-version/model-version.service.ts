import type { ModelVersionStatus, Prisma, PrismaClient } from '@lepton/db';
import { AuditRepository } from '../audit/audit.repository';
import type { Principal, ProjectRef } from '../auth/principal';
import { DatasetRepository } from '../dataset/dataset.repository';
import { ModelRepository } from '../model/model.repository';
import { requireModel } from '../model/model.service';
import type { ProjectService } from '../project/project.service';
import { RunRepository } from '../run/run.repository';
import { badInput, notFound } from '../shared/domain-error';
import { decodeCursor, pageSize, toPage, type PageRequest, decodeTimeIdCursor, timeIdKey } from '../shared/pagination';
import { inTransaction } from '../shared/transaction';
import { validAlias, validJsonObject, validName, validTags, validText, validUri, validUuid } from '../shared/validation';
import { ModelVersionRepository, type ModelAliasRecord, type ModelVersionRecord } from './model-version.repository';

export interface CreateModelVersionInput {
  project?: string | null;
  model: string;
  artifactUri: string;
  runId?: string | null;
  datasetVersionId?: string | null;
  description?: string | null;
  tags?: string[] | null;
  framework?: string | null;
  inputSignature?: unknown;
  outputSignature?: unknown;
  status?: ModelVersionStatus | null;
}

export interface UpdateModelVersionInput {
  project?: string | null;
  model: string;
  version: number;
  description?: string | null;
  tags?: string[] | null;
  status?: ModelVersionStatus | null;
}

export interface AliasTarget {
  project?: string | null;
  model: string;
  alias: string;
}

/** An alias now points at `version` (inside the move's transaction). */
export interface AliasMove {
  project: ProjectRef;
  alias: string;
  version: ModelVersionRecord;
}

/**
 * Runs inside the transaction that moves an alias, so what follows the alias (deployments) moves
 * with it or not at all.
 */
export type AliasMoveListener = (tx: Prisma.TransactionClient, principal: Principal, move: AliasMove) => Promise<void>;

export class ModelVersionService {
  private readonly versions: ModelVersionRepository;
  private readonly aliasListeners: AliasMoveListener[] = [];

  constructor(
    private readonly prisma: PrismaClient,
    private readonly projects: ProjectService,
  ) {
    this.versions = new ModelVersionRepository(prisma);
  }

  async create(principal: Principal, input: CreateModelVersionInput): Promise<ModelVersionRecord> {
    const project = await this.projects.access(principal, input.project, 'EDITOR');
    const modelName = validName(input.model, 'model');
    const data = {
      artifactUri: validUri(input.artifactUri, 'artifactUri'),
      description: validText(input.description, 'description'),
      tags: validTags(input.tags),
      framework: validText(input.framework ?? 'tfjs-layers', 'framework', 64) || 'tfjs-layers',
      status: input.status ?? 'READY',
      ...signature('inputSignature', input.inputSignature),
      ...signature('outputSignature', input.outputSignature),
    };
    const runId = input.runId ? validUuid(input.runId, 'runId') : null;
    const datasetVersionId = input.datasetVersionId ? validUuid(input.datasetVersionId, 'datasetVersionId') : null;

    return inTransaction(this.prisma, async (tx) => {
      const model = await requireModel(new ModelRepository(tx), project, modelName);
      if (runId) {
        const run = await new RunRepository(tx).findById(runId);
        if (!run || run.projectId !== project.id) throw notFound(`Run ${runId} does not exist in project "${project.name}"`);
      }
      if (datasetVersionId) {
        const datasetVersion = await new DatasetRepository(tx).findVersionWithProject(datasetVersionId);
        if (!datasetVersion || datasetVersion.dataset.projectId !== project.id) {
          throw notFound(`Dataset version ${datasetVersionId} does not exist in project "${project.name}"`);
        }
      }
      const number = await new ModelRepository(tx).nextVersionNumber(model.id);
      const version = await new ModelVersionRepository(tx).create({
        ...data,
        modelId: model.id,
        number,
        sourceRunId: runId,
        trainingDatasetVersionId: datasetVersionId,
      });
      await new AuditRepository(tx).record(principal, {
        projectId: project.id,
        action: 'modelVersion.create',
        targetType: 'modelVersion',
        targetId: version.id,
        details: { model: modelName, number },
      });
      return version;
    });
  }

  async update(principal: Principal, input: UpdateModelVersionInput): Promise<ModelVersionRecord> {
    const project = await this.projects.access(principal, input.project, 'EDITOR');
    const changes = {
      ...(input.description != null ? { description: validText(input.description, 'description') } : {}),
      ...(input.tags != null ? { tags: validTags(input.tags) } : {}),
      ...(input.status != null ? { status: input.status } : {}),
    };
    return inTransaction(this.prisma, async (tx) => {
      const version = await this.requireVersion(tx, project, input.model, input.version);
      const updated = await new ModelVersionRepository(tx).update(version.id, changes);
      await new AuditRepository(tx).record(principal, {
        projectId: project.id,
        action: 'modelVersion.update',
        targetType: 'modelVersion',
        targetId: version.id,
        details: changes,
      });
      return updated;
    });
  }

  onAliasMoved(listener: AliasMoveListener): void {
    this.aliasListeners.push(listener);
  }

  /** Points the alias at the version in one upsert: readers see the old or the new target, never none. */
  async setAlias(principal: Principal, target: AliasTarget & { version: number }): Promise<ModelAliasRecord> {
    const project = await this.projects.access(principal, target.project, 'EDITOR');
    const alias = validAlias(target.alias);
    return inTransaction(this.prisma, async (tx) => {
      const version = await this.requireVersion(tx, project, target.model, target.version);
      const previous = await new ModelVersionRepository(tx).findAlias(version.modelId, alias);
      const record = await this.moveAlias(tx, principal, { project, alias, version });
      await new AuditRepository(tx).record(principal, {
        projectId: project.id,
        action: 'modelAlias.set',
        targetType: 'registeredModel',
        targetId: version.modelId,
        details: { alias, version: target.version, previousVersionId: previous?.versionId ?? null },
      });
      return record;
    });
  }

  async deleteAlias(principal: Principal, target: AliasTarget): Promise<boolean> {
    const project = await this.projects.access(principal, target.project, 'EDITOR');
    const alias = validAlias(target.alias);
    return inTransaction(this.prisma, async (tx) => {
      const model = await requireModel(new ModelRepository(tx), project, validName(target.model, 'model'));
      if (!(await new ModelVersionRepository(tx).deleteAlias(model.id, alias))) {
        throw notFound(`Model "${model.name}" has no alias "${alias}"`);
      }
      await new AuditRepository(tx).record(principal, {
        projectId: project.id,
        action: 'modelAlias.delete',
        targetType: 'registeredModel',
        targetId: model.id,
        details: { alias },
      });
      return true;
    });
  }

  // Reads for nested fields: the caller already proved access to the parent model.

  async versionsOfModels(modelIds: readonly string[], page: PageRequest) {
    const size = pageSize(page.first);
    const rows = await this.versions.listForModels(modelIds, size + 1, decodeCursor<number>(page.after, 'number'));
    return new Map(
      modelIds.map((id) => [id, toPage(rows.filter((row) => row.modelId === id), size, (row) => row.number)] as const),
    );
  }

  /** Lineage: versions trained on a dataset version (the caller proved access to it), newest first. */
  async ofTrainingDatasetVersion(datasetVersionId: string, page: PageRequest) {
    const size = pageSize(page.first);
    const rows = await this.versions.listForTrainingDatasetVersion(
      datasetVersionId,
      size + 1,
      decodeTimeIdCursor(page.after),
    );
    return toPage(rows, size, timeIdKey);
  }

  latestReadyOfModels(modelIds: readonly string[]) {
    return this.versions.latestReadyForModels(modelIds);
  }

  byNumber(modelId: string, number: number) {
    return this.versions.findByNumber(modelId, number);
  }

  async byAlias(modelId: string, alias: string) {
    const record = await this.versions.findAlias(modelId, alias);
    if (!record) return null;
    const [version] = await this.versions.findByIds([record.versionId]);
    return version ?? null;
  }

  byIds(ids: readonly string[]) {
    return this.versions.findByIds(ids);
  }

  bySourceRuns(runIds: readonly string[]) {
    return this.versions.findBySourceRuns(runIds);
  }

  aliasesOfModels(modelIds: readonly string[]) {
    return this.versions.aliasesOfModels(modelIds);
  }

  aliasesOfVersions(versionIds: readonly string[]) {
    return this.versions.aliasesOfVersions(versionIds);
  }

  /** Moves the alias inside the caller's transaction and lets its followers (deployments) follow. */
  async moveAlias(tx: Prisma.TransactionClient, principal: Principal, move: AliasMove): Promise<ModelAliasRecord> {
    const record = await new ModelVersionRepository(tx).setAlias(move.version.modelId, move.alias, move.version.id);
    for (const listener of this.aliasListeners) await listener(tx, principal, move);
    return record;
  }

  /** The version `alias` points at, or NOT_FOUND. */
  async requireAliasTarget(tx: Prisma.TransactionClient, project: ProjectRef, modelName: string, aliasName: string) {
    const model = await requireModel(new ModelRepository(tx), project, validName(modelName, 'model'));
    const alias = validAlias(aliasName);
    const record = await new ModelVersionRepository(tx).findAlias(model.id, alias);
    const [version] = record ? await new ModelVersionRepository(tx).findByIds([record.versionId]) : [];
    if (!version) throw notFound(`Model "${model.name}" has no alias "${alias}"`);
    return version;
  }

  /** A version of a model known by id (a deployment's model), or NOT_FOUND. */
  async requireVersionOfModel(tx: Prisma.TransactionClient, modelId: string, number: number) {
    if (!Number.isInteger(number) || number < 1) throw badInput('version must be a positive integer', { field: 'version' });
    const version = await new ModelVersionRepository(tx).findByNumber(modelId, number);
    if (!version) throw notFound(`The deployment's model has no version ${number}`, { field: 'version' });
    return version;
  }

  /** Versions by id inside a transaction (nested reads go through byIds). */
  byIdsIn(tx: Prisma.TransactionClient, ids: readonly string[]) {
    return new ModelVersionRepository(tx).findByIds(ids);
  }

  /** Resolves (project, model name, version number) or NOT_FOUND; shared with evaluations. */
  async requireVersion(tx: Prisma.TransactionClient, project: ProjectRef, modelName: string, number: number) {
    const model = await requireModel(new ModelRepository(tx), project, validName(modelName, 'model'));
    if (!Number.isInteger(number) || number < 1) throw badInput('version must be a positive integer', { field: 'version' });
    const version = await new ModelVersionRepository(tx).findByNumber(model.id, number);
    if (!version) throw notFound(`Model "${model.name}" has no version ${number}`);
    return version;
  }
}

function signature(field: 'inputSignature' | 'outputSignature', value: unknown) {
  if (value === null || value === undefined) return {};
  return { [field]: validJsonObject(value, field) as Prisma.InputJsonValue };
}
