import type { ArtifactStore } from '@lepton/artifacts';
import {
  DatasetImportError,
  importDataset,
  serializePreparedDataset,
  type ImportLimits,
  type PreparedDataset,
} from '@lepton/datasets';
import type { NotificationBus, Prisma, PrismaClient } from '@lepton/db';
import { artifactKeys } from '@lepton/model-contract';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  publishVersionUpdated,
  type ImportedSchema,
  type ImportRequest,
  type StoredImportError,
} from './dataset-import.service';
import { DatasetRepository } from './dataset.repository';

/** The worker renews an import's heartbeat this often; progress is written at most this often too. */
export const IMPORT_HEARTBEAT_MS = 2_000;
/** An IMPORTING version whose heartbeat is this old lost its worker (killed, crashed): it is FAILED. */
export const IMPORT_STALE_SECONDS = 60;

export type ImportOutcome = 'READY' | 'FAILED' | 'SKIPPED';

export interface ImportJobRun {
  datasetVersionId: string;
  /** Aborted when the worker shuts down. */
  signal?: AbortSignal;
  /** A folder of this worker's own; the import's temporary files go in a subfolder removed at the end. */
  scratchRoot: string;
  log?: (line: string) => void;
}

/**
 * The worker's half of an import: parses the upload (streaming, under the caps), stores the
 * prepared data and ends the version READY, or FAILED with what was wrong and where. Only an
 * IMPORTING version is written, so a version failed as stale meanwhile stays failed.
 */
export class DatasetImportWorkerService {
  private readonly datasets: DatasetRepository;

  constructor(
    prisma: PrismaClient,
    private readonly bus: NotificationBus,
    private readonly artifacts: ArtifactStore,
    private readonly limits: ImportLimits,
  ) {
    this.datasets = new DatasetRepository(prisma);
  }

  async run(job: ImportJobRun): Promise<ImportOutcome> {
    const version = await this.datasets.findImport(job.datasetVersionId);
    // Delivered again after it ended (or its dataset was deleted): nothing to do.
    if (!version || version.status !== 'IMPORTING') return 'SKIPPED';
    const request = version.importRequest as unknown as ImportRequest | null;
    if (!request || !version.upload) {
      return this.fail(version.id, { message: 'the upload was deleted before it could be imported; upload it again' });
    }
    if (!(await this.datasets.renewImportHeartbeat(version.id, 0))) return 'SKIPPED';

    await mkdir(job.scratchRoot, { recursive: true });
    const scratch = await mkdtemp(path.join(job.scratchRoot, `${version.id}-`));
    let progress = 0;
    let lastWritten = 0;
    const heartbeat = setInterval(() => void this.beat(version.id, progress), IMPORT_HEARTBEAT_MS);
    try {
      let parsed: PreparedDataset | StoredImportError;
      // The temporary files go before the outcome is written: whoever sees READY or FAILED sees them gone.
      try {
        const file = path.join(scratch, version.upload.filename);
        await this.artifacts.download(version.upload.storageKey, file);
        parsed = await this.parse(file, version.upload.filename, request, scratch, job, (fraction) => {
          progress = Math.min(0.99, fraction);
          if (Date.now() - lastWritten >= IMPORT_HEARTBEAT_MS / 4) {
            lastWritten = Date.now();
            void this.beat(version.id, progress);
          }
        });
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
      if (!('kind' in parsed)) return await this.fail(version.id, parsed);
      const prepared = parsed;

      const serialized = serializePreparedDataset(prepared);
      const prefix = artifactKeys.dataset(version.dataset.projectId, version.dataset.name, serialized.contentSha256);
      for (const [name, bytes] of Object.entries(serialized.files)) {
        await this.artifacts.put(`${prefix}/${name}`, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      }
      const schema: ImportedSchema = {
        kind: prepared.kind,
        featureShape: prepared.featureShape,
        classes: prepared.classes,
        features: prepared.schema.features,
        label: prepared.schema.label,
        preprocessing: prepared.preprocessing,
        stats: prepared.stats,
        format: request.format,
      };
      const splits = {
        train: prepared.splits.train.length,
        validation: prepared.splits.validation.length,
        test: prepared.splits.test.length,
        seed: request.options.seed ?? 42,
        stratified: true,
      };
      // One conditional update: the version becomes READY with all its data at once, or not at all.
      const ready = await this.datasets.updateImporting(version.id, {
        status: 'READY',
        importProgress: 1,
        contentSha256: serialized.contentSha256,
        sizeBytes: BigInt(serialized.sizeBytes),
        exampleCount: serialized.exampleCount,
        schema: schema as unknown as Prisma.InputJsonValue,
        splits: splits as Prisma.InputJsonValue,
        storageUri: this.artifacts.uri(prefix),
      });
      if (!ready) return 'SKIPPED';
      await publishVersionUpdated(this.bus, { id: version.id, status: 'READY' });
      return 'READY';
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** The prepared dataset, or why the upload cannot be one (a problem with the data, or with the worker). */
  private async parse(
    file: string,
    originalName: string,
    request: ImportRequest,
    scratch: string,
    job: ImportJobRun,
    onProgress: (fraction: number) => void,
  ): Promise<PreparedDataset | StoredImportError> {
    try {
      return await importDataset({ path: file, originalName }, request.format, request.options, {
        limits: this.limits,
        scratchDir: scratch,
        signal: job.signal,
        onProgress,
      });
    } catch (error) {
      if (error instanceof DatasetImportError) return storedError(error);
      if (job.signal?.aborted) return { message: 'the worker shut down during the import; import the upload again' };
      job.log?.(`import of ${originalName} failed: ${error instanceof Error ? error.stack : String(error)}`);
      return { message: 'the worker could not import it (an internal error, logged by the worker)' };
    }
  }

  /**
   * FAILs IMPORTING versions whose worker stopped renewing the heartbeat (killed, crashed, lost the
   * database); run by the maintenance loop. Returns their ids.
   */
  async failStale(staleSeconds = IMPORT_STALE_SECONDS): Promise<string[]> {
    const error: StoredImportError = {
      message: 'the worker importing it stopped (killed or crashed) before it finished; import the upload again',
    };
    const ids = await this.datasets.failStaleImports(staleSeconds, error as unknown as Prisma.InputJsonValue);
    for (const id of ids) await publishVersionUpdated(this.bus, { id, status: 'FAILED' });
    return ids;
  }

  private async beat(id: string, progress: number): Promise<void> {
    try {
      if (await this.datasets.renewImportHeartbeat(id, progress)) {
        await publishVersionUpdated(this.bus, { id, status: 'IMPORTING' });
      }
    } catch {
      // A missed beat is retried at the next one; only a long silence fails the import.
    }
  }

  private async fail(id: string, error: StoredImportError): Promise<ImportOutcome> {
    const failed = await this.datasets.updateImporting(id, {
      status: 'FAILED',
      importError: error as unknown as Prisma.InputJsonValue,
    });
    if (!failed) return 'SKIPPED';
    await publishVersionUpdated(this.bus, { id, status: 'FAILED' });
    return 'FAILED';
  }
}

function storedError(error: DatasetImportError): StoredImportError {
  return {
    message: error.message,
    ...(error.file !== undefined ? { file: error.file } : {}),
    ...(error.line !== undefined ? { line: error.line } : {}),
    ...(error.column !== undefined ? { column: String(error.column) } : {}),
  };
}
