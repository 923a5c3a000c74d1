import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DatasetImportError } from '../shared/dataset-import-error';
import type { ExtractionBudget } from './extraction-budget';

export interface EntryTarget {
  destination: string;
  archive: string;
  /** The entry's name as stored, for messages. */
  entry: string;
  segments: string[];
}

/**
 * Streams one entry to destination/segments. Files are created exclusively ('wx'), so a duplicate
 * entry cannot overwrite an earlier one, and nothing follows a link: extraction never creates one.
 * Sources are opened only once the pipeline can listen to them: yauzl's streams start flowing, and
 * may fail, as soon as they exist.
 */
export async function writeEntry(
  target: EntryTarget,
  openSources: () => Promise<NodeJS.ReadableStream[]>,
  budget: ExtractionBudget,
): Promise<void> {
  if (target.segments.length === 0) {
    throw new DatasetImportError(`entry ${JSON.stringify(target.entry)} is a file without a name`, {
      file: target.archive,
    });
  }
  const path = join(target.destination, ...target.segments);
  // safeEntrySegments already refused '..'; this guards the guarantee itself.
  if (!path.startsWith(target.destination + sep))
    throw new Error(`refusing to write ${path} outside ${target.destination}`);
  try {
    await mkdir(dirname(path), { recursive: true });
    await pipeline([...(await openSources()), budget.meter(target.entry), createWriteStream(path, { flags: 'wx' })]);
  } catch (error) {
    throw collision(error, target);
  }
}

export async function makeDirectory(target: EntryTarget): Promise<void> {
  try {
    await mkdir(join(target.destination, ...target.segments), { recursive: true });
  } catch (error) {
    throw collision(error, target);
  }
}

function collision(error: unknown, target: EntryTarget): unknown {
  const code = (error as { code?: unknown }).code;
  if (code !== 'EEXIST' && code !== 'ENOTDIR' && code !== 'EISDIR') return error;
  return new DatasetImportError(`entry ${JSON.stringify(target.entry)} collides with another entry of the same name`, {
    file: target.archive,
  });
}
