import type { ArtifactStore } from '@lepton/artifacts';
import type { PrismaClient } from '@lepton/db';
import { randomUUID } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { AuditRepository } from '../audit/audit.repository';
import type { ProjectService } from '../project/project.service';
import { atLeast, effectiveRole, type Principal } from '../auth/principal';
import { badInput, conflict, DomainError, forbidden, notFound } from '../shared/domain-error';
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

/** Uploads the maintenance loop deletes per pass (the rest go at the next one). */
const PURGE_BATCH = 100;
/** LEPTON_UPLOAD_RETENTION_HOURS' default: how long an unused or rejected upload is kept. */
export const DEFAULT_UPLOAD_RETENTION_HOURS = 24;

/** LEPTON_UPLOAD_RETENTION_HOURS (hours, may be fractional), else the default; a bad value throws naming it. */
export function uploadRetentionHoursFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['LEPTON_UPLOAD_RETENTION_HOURS']?.trim();
  if (!raw) return DEFAULT_UPLOAD_RETENTION_HOURS;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours <= 0) {
    throw new Error(`LEPTON_UPLOAD_RETENTION_HOURS must be a positive number of hours (got ${JSON.stringify(raw)})`);
  }
  return hours;
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

  /**
   * Deletes an upload and its file (EDITOR). Versions imported from it keep their data; CONFLICT
   * while one is still IMPORTING it. Another project's upload is NOT_FOUND, as a missing one.
   */
  async delete(principal: Principal, uploadId: string): Promise<void> {
    if (!isUuid(uploadId)) throw badInput(`"${uploadId}" is not a valid upload id`, { field: 'id' });
    const upload = await this.uploads.findById(uploadId.toLowerCase());
    // Another project's upload reads as a missing one: its existence is not revealed.
    const held = upload ? effectiveRole(principal, upload.projectId) : null;
    if (!upload || !held) throw notFound(`Upload ${uploadId} does not exist`);
    if (!atLeast(held, 'EDITOR')) throw forbidden(`Deleting an upload needs the EDITOR role in its project; the token has ${held}`);
    await inTransaction(this.prisma, async (tx) => {
      const uploads = new UploadRepository(tx);
      await uploads.lock(upload.id);
      if (await uploads.isBeingImported(upload.id)) {
        throw conflict(`Upload ${upload.id} is being imported; delete it once its dataset version is READY or FAILED`);
      }
      await uploads.delete(upload.id);
      await new AuditRepository(tx).record(principal, {
        projectId: upload.projectId,
        action: 'upload.delete',
        targetType: 'upload',
        targetId: upload.id,
        details: { filename: upload.filename },
      });
    });
    await this.artifacts.deletePrefix(artifactKeys.upload(upload.projectId, upload.id));
  }

  /**
   * Deletes uploads older than `retentionHours` that nothing READY or IMPORTING was imported from
   * (never imported, or rejected); run by the maintenance loop. Returns how many went.
   */
  async purgeExpired(retentionHours: number, now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - retentionHours * 3_600_000);
    let purged = 0;
    for (const upload of await this.uploads.findExpired(before, PURGE_BATCH)) {
      const deleted = await inTransaction(this.prisma, async (tx) => {
        const uploads = new UploadRepository(tx);
        await uploads.lock(upload.id);
        // An import may have started from it since it was listed.
        if ((await uploads.findExpired(before, 1, upload.id)).length === 0) return false;
        await uploads.delete(upload.id);
        return true;
      });
      if (!deleted) continue;
      await this.artifacts.deletePrefix(artifactKeys.upload(upload.projectId, upload.id));
      purged += 1;
    }
    return purged;
  }

  /** An upload of this project, or NOT_FOUND. */
  async require(projectId: string, uploadId: string): Promise<UploadRecord> {
    const upload = isUuid(uploadId) ? await this.uploads.findById(uploadId.toLowerCase()) : null;
    if (!upload || upload.projectId !== projectId) throw notFound(`Upload ${uploadId} does not exist in this project`);
    return upload;
  }
}
