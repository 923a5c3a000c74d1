import type { Prisma, PrismaClient } from '@lepton/db';
import { AuditRepository } from '../audit/audit.repository';
import { canRead, type Principal } from '../auth/principal';
import type { ProjectService } from '../project/project.service';
import { badInput, conflict, isUniqueViolation, notFound } from '../shared/domain-error';
import { decodeCursor, pageSize, toPage, type PageRequest } from '../shared/pagination';
import { inTransaction } from '../shared/transaction';
import {
  isUuid,
  LIMITS,
  validJsonObject,
  validName,
  validNonNegativeInt,
  validSha256,
  validTags,
  validText,
  validUri,
} from '../shared/validation';
import { DatasetRepository, type DatasetFilter, type DatasetRecord } from './dataset.repository';

export interface CreateDatasetInput {
  project?: string | null;
  name: string;
  description?: string | null;
  tags?: string[] | null;
}

export interface CreateDatasetVersionInput {
  project?: string | null;
  dataset: string;
  contentSha256: string;
  sizeBytes: number;
  exampleCount: number;
  schema?: unknown;
  splits?: unknown;
  storageUri: string;
  source?: string | null;
  description?: string | null;
}

export class DatasetService {
  private readonly datasets: DatasetRepository;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly projects: ProjectService,
  ) {
    this.datasets = new DatasetRepository(prisma);
  }

  async create(principal: Principal, input: CreateDatasetInput): Promise<DatasetRecord> {
    const project = await this.projects.access(principal, input.project, 'EDITOR');
    const name = validName(input.name, 'name');
    const description = validText(input.description, 'description');
    const tags = validTags(input.tags);
    try {
      return await inTransaction(this.prisma, async (tx) => {
        const dataset = await new DatasetRepository(tx).create({ projectId: project.id, name, description, tags });
        await new AuditRepository(tx).record(principal, {
          projectId: project.id,
          action: 'dataset.create',
          targetType: 'dataset',
          targetId: dataset.id,
          details: { name },
        });
        return dataset;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`Dataset "${name}" already exists in project "${project.name}"`);
      throw error;
    }
  }

  async createVersion(principal: Principal, input: CreateDatasetVersionInput) {
    const project = await this.projects.access(principal, input.project, 'EDITOR');
    const datasetName = validName(input.dataset, 'dataset');
    const data = {
      contentSha256: validSha256(input.contentSha256, 'contentSha256'),
      sizeBytes: BigInt(validNonNegativeInt(input.sizeBytes, 'sizeBytes')),
      exampleCount: validNonNegativeInt(input.exampleCount, 'exampleCount', 2_147_483_647),
      schema: validJsonObject(input.schema, 'schema') as Prisma.InputJsonValue,
      splits: validSplits(input.splits, input.exampleCount),
      storageUri: validUri(input.storageUri, 'storageUri'),
      source: validText(input.source, 'source', LIMITS.uri),
      description: validText(input.description, 'description'),
    };
    return inTransaction(this.prisma, async (tx) => {
      const repository = new DatasetRepository(tx);
      const dataset = await repository.findByName(project.id, datasetName);
      if (!dataset) throw notFound(`Dataset "${datasetName}" does not exist in project "${project.name}"`);
      const number = await repository.nextVersionNumber(dataset.id);
      const version = await repository.createVersion({ ...data, datasetId: dataset.id, number });
      await new AuditRepository(tx).record(principal, {
        projectId: project.id,
        action: 'datasetVersion.create',
        targetType: 'datasetVersion',
        targetId: version.id,
        details: { dataset: datasetName, number, contentSha256: data.contentSha256 },
      });
      return version;
    });
  }

  async list(principal: Principal, projectName: string | null | undefined, page: PageRequest, filter: DatasetFilter = {}) {
    const project = await this.projects.access(principal, projectName, 'VIEWER');
    const size = pageSize(page.first);
    const rows = await this.datasets.list(project.id, filter, size + 1, decodeCursor<string>(page.after, 'string'));
    return toPage(rows, size, (row) => row.name);
  }

  async get(principal: Principal, projectName: string | null | undefined, name: string) {
    const project = await this.projects.access(principal, projectName, 'VIEWER');
    return this.datasets.findByName(project.id, name);
  }

  /** For nested fields: the caller already proved access to the parent dataset. */
  async versionsOf(datasetId: string, page: PageRequest) {
    const size = pageSize(page.first);
    const rows = await this.datasets.listVersions(datasetId, size + 1, decodeCursor<number>(page.after, 'number'));
    return toPage(rows, size, (row) => row.number);
  }

  /** The newest READY version: IMPORTING and FAILED ones are not "latest" to anyone. */
  latestReadyVersion(datasetId: string) {
    return this.datasets.findLatestReadyVersion(datasetId);
  }

  /** A version the caller may read; another project's reads as a missing one. */
  async requireVersionAccessible(principal: Principal, id: string) {
    if (!isUuid(id)) throw badInput(`"${id}" is not a valid dataset version id`, { field: 'id' });
    const version = await this.datasets.findVersionWithProject(id.toLowerCase());
    if (!version || !canRead(principal, version.dataset.projectId)) throw notFound(`Dataset version ${id} does not exist`);
    return version;
  }

  /** The version as stored, for a caller that already proved access (a subscription's events). */
  async versionById(id: string) {
    const [version] = await this.datasets.findVersionsByIds([id]);
    return version ?? null;
  }

  versionOf(datasetId: string, number: number) {
    return this.datasets.findVersion(datasetId, number);
  }

  versionsByIds(ids: readonly string[]) {
    return this.datasets.findVersionsByIds(ids);
  }

  datasetsByIds(ids: readonly string[]) {
    return this.datasets.findByIds(ids);
  }
}

function validSplits(value: unknown, exampleCount: number): Prisma.InputJsonValue {
  const splits = validJsonObject(value, 'splits');
  let total = 0;
  for (const [name, count] of Object.entries(splits)) {
    if (!/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(name)) throw badInput(`split name "${name}" is invalid`, { field: 'splits' });
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      throw badInput(`split "${name}" must map to a non-negative example count`, { field: 'splits' });
    }
    total += count;
  }
  if (total > exampleCount) {
    throw badInput(`splits hold ${total} examples but the version has ${exampleCount}`, { field: 'splits' });
  }
  return splits as Prisma.InputJsonValue;
}
