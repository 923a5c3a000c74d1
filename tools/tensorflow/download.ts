import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stagingName } from './cache-lock';
import { get } from './http';
import { downloadProgress } from './progress';
import type { IndexFile } from './python-index';

export class ChecksumError extends Error {
  constructor(
    readonly file: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${file} has sha256 ${actual}, but the index lists ${expected} (a corrupted or tampered download)`);
    this.name = 'ChecksumError';
  }
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * `downloads/<filename>` exists only once its sha256 matched the index: bytes arrive in a staging file, are
 * hashed on the way, and only a match is renamed into place. A download that a killed install left complete
 * is reused after re-hashing it.
 */
export async function downloadVerified(
  file: IndexFile,
  downloads: string,
  log: (line: string) => void,
): Promise<string> {
  if (!file.sha256) throw new Error(`${file.index} gives no sha256 for ${file.filename}, so it cannot be verified`);
  await mkdir(downloads, { recursive: true });
  const target = path.join(downloads, file.filename);
  const existing = await stat(target).catch(() => null);
  if (existing) {
    if ((await fileSha256(target)) === file.sha256) {
      log(`  ${file.filename}: already downloaded and verified`);
      return target;
    }
    await rm(target, { force: true });
  }
  const partial = path.join(downloads, stagingName(file.filename));
  try {
    const { response } = await get(file.url);
    const total = Number(response.headers['content-length'] ?? file.size ?? 0);
    const progress = downloadProgress(file.filename, total, log);
    const hash = createHash('sha256');
    let received = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        received += chunk.length;
        progress.update(received);
        done(null, chunk);
      },
    });
    try {
      await pipeline(response, meter, createWriteStream(partial, { flags: 'wx' }));
    } finally {
      progress.stop();
    }
    if (total && received !== total) throw new Error(`${file.filename}: received ${received} of ${total} bytes`);
    const actual = hash.digest('hex');
    if (actual !== file.sha256) throw new ChecksumError(file.filename, file.sha256, actual);
    await rename(partial, target);
    return target;
  } finally {
    await rm(partial, { force: true });
  }
}
