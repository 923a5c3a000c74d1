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
}
