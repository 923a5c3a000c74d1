import { createWriteStream } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

/** Maps a wheel entry name to a path relative to the destination, or null to leave it out. */
export type EntrySelector = (entryName: string) => string | null;

export interface ExtractedFile {
  /** Relative to the destination, '/'-separated. */
  path: string;
  size: number;
}

const FILE_TYPE = 0o170000;
const REGULAR = 0o100000;

/**
 * Streams the entries `select` picks out of a (checksum-verified) wheel into `destination`, keeping the
 * executable bit of the ones that have it. Paths are checked to stay inside the destination.
 */
export async function extractWheel(
  wheel: string,
  destination: string,
  select: EntrySelector,
  onEntry?: (file: ExtractedFile) => void,
): Promise<ExtractedFile[]> {
  const zip = await yauzl.openPromise(wheel, { validateEntrySizes: true, autoClose: false });
  const root = path.resolve(destination);
  const written: ExtractedFile[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      const relative = select(entry.fileName);
      if (relative === null) continue;
      const mode = entry.externalFileAttributes >>> 16;
      if ((mode & FILE_TYPE) !== 0 && (mode & FILE_TYPE) !== REGULAR)
        throw new Error(`${wheel}: ${entry.fileName} is not a regular file`);
      const target = path.resolve(root, relative);
      if (!target.startsWith(root + path.sep))
        throw new Error(`${wheel}: ${entry.fileName} would be written outside ${root}`);
      await mkdir(path.dirname(target), { recursive: true });
      await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(target, { flags: 'wx' }));
      if (mode & 0o111) await chmod(target, 0o755);
      const file = { path: path.relative(root, target).split(path.sep).join('/'), size: entry.uncompressedSize };
      written.push(file);
      onEntry?.(file);
    }
  } finally {
    zip.close();
  }
  return written;
}

/** A wheel's `*.dist-info/METADATA` as text (for its Requires-Dist). */
export async function readWheelMetadata(wheel: string): Promise<string> {
  const zip = await yauzl.openPromise(wheel, { validateEntrySizes: true, autoClose: false });
  try {
    for await (const entry of zip.eachEntry()) {
      if (!/^[^/]+\.dist-info\/METADATA$/.test(entry.fileName)) continue;
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    }
  } finally {
    zip.close();
  }
  throw new Error(`${wheel} has no .dist-info/METADATA`);
}
