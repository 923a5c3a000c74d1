import type { Prisma } from '@lepton/db';

const UPLOAD_FIELDS = {
  id: true,
  projectId: true,
  userId: true,
  filename: true,
  sizeBytes: true,
  sha256: true,
  storageKey: true,
  createdAt: true,
} as const;

export type UploadRecord = Prisma.UploadGetPayload<{ select: typeof UPLOAD_FIELDS }>;

export class UploadRepository {
  constructor(private readonly db: Prisma.TransactionClient) {}

  create(data: { id: string; projectId: string; userId: string; filename: string; sizeBytes: bigint; sha256: string; storageKey: string }) {
    return this.db.upload.create({ data, select: UPLOAD_FIELDS });
  }

  findById(id: string) {
    return this.db.upload.findUnique({ where: { id }, select: UPLOAD_FIELDS });
  }

  /** Whether a version is still being imported from the upload (its files must stay). */
  async isBeingImported(id: string): Promise<boolean> {
    return (await this.db.datasetVersion.count({ where: { uploadId: id, status: 'IMPORTING' } })) > 0;
  }

  /** Locks the row until the transaction ends: an import that refers to it waits (and then finds it gone). */
  async lock(id: string): Promise<void> {
    await this.db.$executeRaw`SELECT 1 FROM upload WHERE id = ${id}::uuid FOR UPDATE`;
  }

  delete(id: string) {
    return this.db.upload.deleteMany({ where: { id } });
  }

  /**
   * Uploads older than `before` that nothing READY or IMPORTING was imported from: never imported,
   * or only rejected (FAILED). Oldest first.
   */
  findExpired(before: Date, take: number, id?: string) {
    return this.db.upload.findMany({
      where: { ...(id ? { id } : {}), createdAt: { lt: before }, datasetVersions: { none: { status: { in: ['READY', 'IMPORTING'] } } } },
      orderBy: { createdAt: 'asc' },
      take,
      select: UPLOAD_FIELDS,
    });
  }
}
