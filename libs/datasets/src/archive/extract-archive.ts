import { createReadStream } from 'node:fs';
import { mkdir, readdir, realpath, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { DatasetImportError } from '../shared/dataset-import-error';
import type { InputFile } from '../shared/input-files';
import { compareNatural } from '../shared/natural-order';
import { archiveError } from './archive-error';
import { detectArchive } from './archive-kind';
import { safeEntrySegments } from './entry-path';
import { ExtractionBudget, type ExtractionLimits } from './extraction-budget';
import { extractTar } from './extract-tar';
import { extractZip } from './extract-zip';
import { writeEntry } from './write-entry';

/**
 * Extracts a .tar.gz/.tgz, .tar or .zip archive, or gunzips a single .gz, into `destinationDir`
 * (created if missing; it must be empty). The kind is read from magic bytes. Returns the extracted
 * files as '/'-separated paths relative to the destination, in natural order.
 */
export async function extractArchive(
  archivePath: string,
  destinationDir: string,
  limits: ExtractionLimits = {},
): Promise<string[]> {
  return extractUpload({ path: archivePath, name: basename(archivePath) }, destinationDir, limits);
}

/** As extractArchive, with the archive's name as the user knows it, for messages and a single .gz. */
export async function extractUpload(
  archive: InputFile,
  destinationDir: string,
  limits: ExtractionLimits = {},
): Promise<string[]> {
  const archiveBytes =
    limits.maxCompressionRatio !== undefined ? (limits.archiveBytes ?? (await stat(archive.path)).size) : undefined;
  const budget = new ExtractionBudget({ ...limits, archiveBytes }, archive.name);
  const kind = await detectArchive(archive);
  if (!kind) throw new DatasetImportError('is not a .tar.gz, .tgz, .tar, .zip or .gz archive', { file: archive.name });
  const destination = await emptyDestination(destinationDir);
  const files =
    kind === 'zip'
      ? await extractZip(archive, destination, budget)
      : kind === 'gz'
        ? [await gunzipSingle(archive, destination, budget)]
        : await extractTar(archive, kind === 'tar.gz', destination, budget);
  return files.sort(compareNatural);
}

/** A plain .gz holds one file: it keeps the upload's name without the .gz. */
export function gunzippedName(name: string): string {
  return (
    name
      .split(/[/\\]/)
      .pop()!
      .replace(/\.(gz|gzip)$/i, '') || 'data'
  );
}


async function gunzipSingle(archive: InputFile, destination: string, budget: ExtractionBudget): Promise<string> {
  const name = gunzippedName(archive.name);
  const segments = safeEntrySegments(name, archive.name);
  budget.addFile(name, 0);
  try {
    await writeEntry(
      { destination, archive: archive.name, entry: name, segments },
      async () => [createReadStream(archive.path), createGunzip()],
      budget,
    );
  } catch (error) {
    throw archiveError(error, archive, 'gzip');
  }
  return segments.join('/');
}

// A pre-existing link inside the destination could redirect writes; an empty folder has none.
async function emptyDestination(directory: string): Promise<string> {
  await mkdir(directory, { recursive: true });
  const real = await realpath(directory);
  if ((await readdir(real)).length > 0) throw new Error(`extraction destination ${directory} is not empty`);
  return real;
}
