import {
  DatasetImportError,
  validateImport,
  type DatasetFormat,
  type ImportLimits,
  type ImportOptions,
  type PreparedDataset,
} from '@lepton/datasets';
import type { NotificationBus, Prisma, PrismaClient } from '@lepton/db';
import type { JobQueue } from '@lepton/jobs';
import { AuditRepository } from '../audit/audit.repository';
import type { Principal } from '../auth/principal';
import type { ProjectService } from '../project/project.service';
import { badInput, isForeignKeyViolation, isUniqueViolation, notFound } from '../shared/domain-error';
import { inTransaction } from '../shared/transaction';
import { validName } from '../shared/validation';
import type { UploadService } from '../upload/upload.service';
import { DatasetRepository, type DatasetVersionRecord } from './dataset.repository';

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

/** What the worker parses, kept on the version while it is IMPORTING. */
export interface ImportRequest {
  format: DatasetFormat;
  options: ImportOptions;
}

/** What a FAILED version's importError holds. */
export interface StoredImportError {
  message: string;
  file?: string;
  line?: number;
  column?: string;
}

export interface DatasetVersionUpdatedEvent {
  datasetVersionId: string;
  status: string;
}

export const DATASET_VERSION_UPDATED = 'lepton_dataset_version_updated';

export class DatasetImportService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly projects: ProjectService,
    private readonly uploads: UploadService,
    private readonly bus: NotificationBus,
    private readonly queue: () => Promise<JobQueue>,
    private readonly limits: ImportLimits,
  ) {}

  /**
   * Checks what can be checked without reading the upload (access, name, format, options, that the
   * upload is this project's), then in one transaction numbers an IMPORTING version and queues its
   * import: a worker parses the upload, never this process. Creates the dataset on its first import.
   */
  async import(principal: Principal, input: ImportDatasetInput): Promise<DatasetVersionRecord> {
    const project = await this.projects.access(principal, input.project, 'EDITOR');
    const name = validName(input.name, 'name');
    const options = input.options ?? {};
    try {
      validateImport(input.format, options);
    } catch (error) {
      if (error instanceof DatasetImportError) throw badInput(error.message, { field: 'options' });
      throw error;
    }
    const upload = await this.uploads.require(project.id, input.uploadId);
    if (upload.sizeBytes > BigInt(this.limits.maxBytes)) {
      throw badInput(`The upload has ${upload.sizeBytes} bytes; imports read at most ${this.limits.maxBytes} (LEPTON_IMPORT_MAX_BYTES)`, {
        field: 'uploadId',
      });
    }
    const queue = await this.queue();
    const request: ImportRequest = { format: input.format, options };

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
          status: 'IMPORTING',
          importProgress: 0,
          importRequest: request as unknown as Prisma.InputJsonValue,
          uploadId: upload.id,
          source: `upload:${upload.filename} (${upload.sha256}) format=${input.format}`,
        });
        await queue.enqueueImport(version.id, tx);
        await new AuditRepository(tx).record(principal, {
          projectId: project.id,
          action: 'dataset.import',
          targetType: 'datasetVersion',
          targetId: version.id,
          details: { dataset: name, number, format: input.format, uploadId: upload.id },
        });
        return version;
      });
    let version: DatasetVersionRecord;
    try {
      version = await createVersion();
    } catch (error) {
      // Two first imports raced to create the dataset: the loser simply adds the next version.
      if (isUniqueViolation(error)) version = await createVersion();
      // The upload was deleted between the check and the insert.
      else if (isForeignKeyViolation(error)) throw notFound(`Upload ${input.uploadId} does not exist in this project`);
      else throw error;
    }
    queue.wake();
    await publishVersionUpdated(this.bus, version);
    return version;
  }

  /** Live updates; the caller checks access to the version before subscribing. */
  updates(datasetVersionId: string): AsyncIterableIterator<DatasetVersionUpdatedEvent> {
    return this.bus.subscribe<DatasetVersionUpdatedEvent>(DATASET_VERSION_UPDATED, (event) => event.datasetVersionId === datasetVersionId);
  }
}

export async function publishVersionUpdated(bus: NotificationBus, version: { id: string; status: string }): Promise<void> {
  const event: DatasetVersionUpdatedEvent = { datasetVersionId: version.id, status: version.status };
  await bus.publish(DATASET_VERSION_UPDATED, event);
}
