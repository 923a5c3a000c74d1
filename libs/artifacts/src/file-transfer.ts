import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ArtifactStore, StoredArtifact } from './artifact-store';
import { type Digest, DigestStream } from './digest-stream';

/**
 * Writes to a temp file in the target's folder, then renames it over the target: readers never
 * see a half-written file, and a failed write leaves nothing behind. The temp name starts with a
 * dot, which no artifact key segment can, so it never collides with or lists as an artifact.
 */
export async function writeFileAtomically(target: string, source: NodeJS.ReadableStream): Promise<Digest> {
  const temp = path.join(path.dirname(target), `.tmp-${randomUUID()}`);
  const digest = new DigestStream();
  try {
    await pipeline(source, digest, createWriteStream(temp, { flags: 'wx', flush: true }));
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return digest.result();
}

export async function putFile(store: ArtifactStore, key: string, file: string): Promise<StoredArtifact> {
  // Opened up front: a missing file rejects here instead of erroring a stream nobody reads yet.
  const source = (await open(file, 'r')).createReadStream();
  try {
    return await store.put(key, source);
  } finally {
    // Closes the file when put() failed before reading it (a bad key, for instance).
    source.destroy();
  }
}

export async function saveStream(source: Readable, file: string): Promise<void> {
  const target = path.resolve(file);
  try {
    await mkdir(path.dirname(target), { recursive: true });
  } catch (error) {
    source.destroy();
    throw error;
  }
  await writeFileAtomically(target, source);
}
