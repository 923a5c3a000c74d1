import type { Prisma } from '@lepton/db';

export const DATASET_FIELDS = {
  id: true,
  projectId: true,
  name: true,
  description: true,
  tags: true,
  versionCount: true,
  createdAt: true,
  updatedAt: true,
} as const;

export const DATASET_VERSION_FIELDS = {
  id: true,
  datasetId: true,
  number: true,
  contentSha256: true,
  sizeBytes: true,
  exampleCount: true,
  schema: true,
  splits: true,
  storageUri: true,
  source: true,
  description: true,
  createdAt: true,
  status: true,
  importProgress: true,
  importError: true,
  uploadId: true,
} as const;

export type DatasetRecord = Prisma.DatasetGetPayload<{ select: typeof DATASET_FIELDS }>;
export type DatasetVersionRecord = Prisma.DatasetVersionGetPayload<{ select: typeof DATASET_VERSION_FIELDS }>;

export interface DatasetFilter {
  nameContains?: string | null;
  tag?: string | null;
}

export class DatasetRepository {
  constructor(private readonly db: Prisma.TransactionClient) {}

  create(data: { projectId: string; name: string; description: string; tags: string[] }) {
    return this.db.dataset.create({ data, select: DATASET_FIELDS });
  }

  findByName(projectId: string, name: string) {
    return this.db.dataset.findUnique({ where: { projectId_name: { projectId, name } }, select: DATASET_FIELDS });
  }

  findByIds(ids: readonly string[]) {
    return this.db.dataset.findMany({ where: { id: { in: [...ids] } }, select: DATASET_FIELDS });
  }

  list(projectId: string, filter: DatasetFilter, take: number, afterName?: string) {
    return this.db.dataset.findMany({
      where: {
        projectId,
        ...(filter.tag ? { tags: { has: filter.tag } } : {}),
        AND: [
          filter.nameContains ? { name: { contains: filter.nameContains, mode: 'insensitive' } } : {},
          afterName === undefined ? {} : { name: { gt: afterName } },
        ],
      },
      orderBy: { name: 'asc' },
      take,
      select: DATASET_FIELDS,
    });
  }

  /** Takes the next version number under the dataset's row lock: gapless and unique. */
  async nextVersionNumber(datasetId: string): Promise<number> {
    const { versionCount } = await this.db.dataset.update({
      where: { id: datasetId },
      data: { versionCount: { increment: 1 } },
      select: { versionCount: true },
    });
    return versionCount;
  }

  createVersion(data: Prisma.DatasetVersionUncheckedCreateInput) {
    return this.db.datasetVersion.create({ data, select: DATASET_VERSION_FIELDS });
  }

  /** The newest READY version: what "latest" means to training, the CLI and the dashboard. */
  findLatestReadyVersion(datasetId: string) {
    return this.db.datasetVersion.findFirst({
      where: { datasetId, status: 'READY' },
      orderBy: { number: 'desc' },
      select: DATASET_VERSION_FIELDS,
    });
  }

  /** An import as the worker needs it: what to parse and where the upload is. */
  findImport(id: string) {
    return this.db.datasetVersion.findUnique({
      where: { id },
      select: {
        ...DATASET_VERSION_FIELDS,
        importRequest: true,
        dataset: { select: { projectId: true, name: true } },
        upload: { select: { id: true, filename: true, storageKey: true, sha256: true } },
      },
    });
  }

  /**
   * Changes an IMPORTING version (progress, heartbeat, its end); false when it is no longer
   * IMPORTING, e.g. failed as stale meanwhile: the caller's work is then discarded.
   */
  async updateImporting(id: string, data: Prisma.DatasetVersionUncheckedUpdateManyInput): Promise<boolean> {
    const { count } = await this.db.datasetVersion.updateMany({ where: { id, status: 'IMPORTING' }, data });
    return count === 1;
  }

  /** Renews the heartbeat from the database's clock (workers' clocks may differ). */
  async renewImportHeartbeat(id: string, progress?: number): Promise<boolean> {
    const count = await this.db.$executeRaw`
      UPDATE dataset_version SET import_heartbeat_at = now(),
        import_progress = COALESCE(${progress ?? null}::double precision, import_progress)
      WHERE id = ${id}::uuid AND status = 'IMPORTING'`;
    return count === 1;
  }

  /** Fails IMPORTING versions whose worker stopped renewing the heartbeat; returns their ids. */
  async failStaleImports(staleSeconds: number, error: Prisma.InputJsonValue): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      UPDATE dataset_version SET status = 'FAILED', import_error = ${JSON.stringify(error)}::jsonb
      WHERE status = 'IMPORTING' AND import_heartbeat_at < now() - make_interval(secs => ${staleSeconds})
      RETURNING id::text AS id`;
    return rows.map((row) => row.id);
  }

  findVersion(datasetId: string, number: number) {
    return this.db.datasetVersion.findUnique({ where: { datasetId_number: { datasetId, number } }, select: DATASET_VERSION_FIELDS });
  }

  findVersionsByIds(ids: readonly string[]) {
    return this.db.datasetVersion.findMany({ where: { id: { in: [...ids] } }, select: DATASET_VERSION_FIELDS });
  }

  findVersionWithProject(id: string) {
    return this.db.datasetVersion.findUnique({
      where: { id },
      select: { ...DATASET_VERSION_FIELDS, dataset: { select: { projectId: true, name: true } } },
    });
  }

  listVersions(datasetId: string, take: number, beforeNumber?: number) {
    return this.db.datasetVersion.findMany({
      where: { datasetId, ...(beforeNumber === undefined ? {} : { number: { lt: beforeNumber } }) },
      orderBy: { number: 'desc' },
      take,
      select: DATASET_VERSION_FIELDS,
    });
  }
}
