import type { ArtifactStore } from '@lepton/artifacts';
import {
  DatasetImportError,
  importDataset,
  serializePreparedDataset,
  type DatasetFormat,
  type ImportOptions,
  type PreparedDataset,
} from '@lepton/datasets';
import type { Prisma, PrismaClient } from '@lepton/db';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditRepository } from '../audit/audit.repository';
import type { Principal } from '../auth/principal';
import type { ProjectService } from '../project/project.service';
import { badInput, isUniqueViolation } from '../shared/domain-error';
import { inTransaction } from '../shared/transaction';
import { validName } from '../shared/validation';
import type { UploadService } from '../upload/upload.service';
import { DatasetRepository, type DatasetVersionRecord } from './dataset.repository';
import { artifactKeys } from '@lepton/model-contract';

export interface ImportDatasetInput {
  project?: string | null;
  name: string;
  format: DatasetFormat;
  uploadId: string;
  options?: ImportOptions | null;
}

/** What the trainer needs to know about an imported version, kept in DatasetVersion.schema. */
export interface ImportedSchema {
  kind: PreparedDataset['kind'];
  featureShape: number[];
  classes: string[];
  features: PreparedDataset['schema']['features'];
  label: PreparedDataset['schema']['label'];
  preprocessing: PreparedDataset['preprocessing'];
  stats: PreparedDataset['stats'];
  format: DatasetFormat;
}

export class DatasetImportService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly projects: ProjectService,
    private readonly uploads: UploadService,
    private readonly artifacts: ArtifactStore,
  ) {}

  /**
   * Parses an upload into a content-hashed DatasetVersion: the prepared data goes to the artifact
   * store, the schema, splits and fitted preprocessing to the version. Creates the dataset on its
   * first import. A malformed file registers nothing.
   */
  async import(principal: Principal, input: ImportDatasetInput): Promise<DatasetVersionRecord> {
    const project = await this.projects.access(principal, input.project, 'EDITOR');
    const name = validName(input.name, 'name');
    const upload = await this.uploads.require(project.id, input.uploadId);

    const workDir = await mkdtemp(path.join(tmpdir(), 'lepton-import-'));
    let prepared: PreparedDataset;
    try {
      const file = path.join(workDir, upload.filename);
      await this.artifacts.download(upload.storageKey, file);
      prepared = await importDataset({ path: file, originalName: upload.filename }, input.format, input.options ?? {});
    } catch (error) {
      if (error instanceof DatasetImportError) {
        throw badInput(error.message, {
          field: 'upload',
          ...(error.file !== undefined ? { file: error.file } : {}),
          ...(error.line !== undefined ? { line: error.line } : {}),
          ...(error.column !== undefined ? { column: error.column } : {}),
        });
      }
      throw error;
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }

    const serialized = serializePreparedDataset(prepared);
    const prefix = artifactKeys.dataset(project.id, name, serialized.contentSha256);
    for (const [file, bytes] of Object.entries(serialized.files)) {
      await this.artifacts.put(`${prefix}/${file}`, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    }
    const schema: ImportedSchema = {
      kind: prepared.kind,
      featureShape: prepared.featureShape,
      classes: prepared.classes,
      features: prepared.schema.features,
      label: prepared.schema.label,
      preprocessing: prepared.preprocessing,
      stats: prepared.stats,
      format: input.format,
    };
    const options = input.options ?? {};
    const splits = {
      train: prepared.splits.train.length,
      validation: prepared.splits.validation.length,
      test: prepared.splits.test.length,
    };

    const createVersion = () =>
      inTransaction(this.prisma, async (tx) => {
        const repository = new DatasetRepository(tx);
        const dataset =
          (await repository.findByName(project.id, name)) ??
          (await repository.create({ projectId: project.id, name, description: '', tags: [] }));
        const number = await repository.nextVersionNumber(dataset.id);
        const version = await repository.createVersion({
          datasetId: dataset.id,
          number,
          contentSha256: serialized.contentSha256,
          sizeBytes: BigInt(serialized.sizeBytes),
          exampleCount: serialized.exampleCount,
          schema: schema as unknown as Prisma.InputJsonValue,
          splits: { ...splits, seed: options.seed ?? 42, stratified: true } as Prisma.InputJsonValue,
          storageUri: this.artifacts.uri(prefix),
          source: `upload:${upload.filename} (${upload.sha256}) format=${input.format}`,
        });
        await new AuditRepository(tx).record(principal, {
          projectId: project.id,
          action: 'dataset.import',
          targetType: 'datasetVersion',
          targetId: version.id,
          details: { dataset: name, number, format: input.format, uploadId: upload.id },
        });
        return version;
      });
    try {
      return await createVersion();
    } catch (error) {
      // Two first imports raced to create the dataset: the loser simply adds the next version.
      if (isUniqueViolation(error)) return createVersion();
      throw error;
    }
  }
}
