import type { ArtifactStore } from '@lepton/artifacts';
import type { PrismaClient } from '@lepton/db';
import { randomUUID } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { AuditRepository } from '../audit/audit.repository';
import type { Principal } from '../auth/principal';
import type { ProjectService } from '../project/project.service';
import { badInput, DomainError, notFound } from '../shared/domain-error';
import { inTransaction } from '../shared/transaction';
import { isUuid } from '../shared/validation';
import { UploadRepository, type UploadRecord } from './upload.repository';
import { artifactKeys } from '@lepton/model-contract';

/** 2 GiB: CIFAR-10's whole binary set is ~170 MB; this leaves room without inviting abuse. */
export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

export class UploadTooLargeError extends DomainError {
  constructor(limit: number) {
    super('BAD_USER_INPUT', `The upload is larger than ${limit} bytes`);
  }
}

/** A name safe as one artifact key segment, keeping the extension (it tells archives apart). */
export function safeFilename(name: string | undefined | null): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._-]+/, '').slice(-200);
  if (!cleaned) throw badInput('X-Filename (or the multipart file name) must name the file, e.g. "train.csv"', { field: 'filename' });
  return cleaned;
}

export class UploadService {
  private readonly uploads: UploadRepository;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly projects: ProjectService,
    private readonly artifacts: ArtifactStore,
  ) {
    this.uploads = new UploadRepository(prisma);
  }

  /** Streams `body` into the artifact store (never into memory), enforcing `maxBytes`. */
  async create(
    principal: Principal,
    input: { project?: string | null; filename: string | undefined | null; body: Readable; maxBytes?: number },
  ): Promise<UploadRecord> {
    const project = await this.projects.access(principal, input.project, 'EDITOR');
    const filename = safeFilename(input.filename);
    const limit = input.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
    const id = randomUUID();
    const key = artifactKeys.uploadFile(project.id, id, filename);
    let received = 0;
    const limiter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        callback(received > limit ? new UploadTooLargeError(limit) : null, chunk);
      },
    });
    input.body.on('error', (error) => limiter.destroy(error));
    let stored;
    try {
      stored = await this.artifacts.put(key, input.body.pipe(limiter));
    } catch (error) {
      await this.artifacts.deletePrefix(artifactKeys.upload(project.id, id)).catch(() => undefined);
      throw error instanceof DomainError ? error : limiter.errored instanceof DomainError ? limiter.errored : error;
    }
    if (stored.size === 0) {
      await this.artifacts.deletePrefix(artifactKeys.upload(project.id, id)).catch(() => undefined);
      throw badInput('The upload is empty', { field: 'body' });
    }
    return inTransaction(this.prisma, async (tx) => {
      const upload = await new UploadRepository(tx).create({
        id,
        projectId: project.id,
        userId: principal.userId,
        filename,
        sizeBytes: BigInt(stored.size),
        sha256: stored.sha256,
        storageKey: key,
      });
      await new AuditRepository(tx).record(principal, {
        projectId: project.id,
        action: 'upload.create',
        targetType: 'upload',
        targetId: id,
        details: { filename, sizeBytes: stored.size },
      });
      return upload;
    });
  }

  /** An upload of this project, or NOT_FOUND. */
  async require(projectId: string, uploadId: string): Promise<UploadRecord> {
    const upload = isUuid(uploadId) ? await this.uploads.findById(uploadId.toLowerCase()) : null;
    if (!upload || upload.projectId !== projectId) throw notFound(`Upload ${uploadId} does not exist in this project`);
    return upload;
  }
}
