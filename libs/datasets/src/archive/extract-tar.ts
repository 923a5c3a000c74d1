import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { DatasetImportError } from '../shared/dataset-import-error';
import type { InputFile } from '../shared/input-files';
import { archiveError } from './archive-error';
import { safeEntrySegments } from './entry-path';
import type { ExtractionBudget } from './extraction-budget';
import { makeDirectory, writeEntry } from './write-entry';

/** Regular files and folders only: links could point anywhere, devices and FIFOs are never data. */
export async function extractTar(
  archive: InputFile,
  gzipped: boolean,
  destination: string,
  budget: ExtractionBudget,
): Promise<string[]> {
  const extract = tar.extract();
  const stages = [createReadStream(archive.path), ...(gzipped ? [createGunzip()] : [])];
  const feeding = pipeline([...stages, extract]);
  // A failure here also ends the iteration below, which reports it.
  feeding.catch(() => undefined);
  const written: string[] = [];
  try {
    for await (const entry of extract) {
      const { name, type, size } = entry.header;
      const target = {
        destination,
        archive: archive.name,
        entry: name,
        segments: safeEntrySegments(name, archive.name),
      };
      if (type === 'directory') {
        entry.resume();
        await makeDirectory(target);
        continue;
      }
      if (type !== 'file' && type !== 'contiguous-file') {
        throw new DatasetImportError(
          `entry ${JSON.stringify(name)} is a ${type ?? 'special entry'}; archives may hold only files and folders`,
          { file: archive.name },
        );
      }
      budget.addFile(name, size ?? 0);
      // tar-stream entries are streamx streams; Readable.from adapts them for Node's pipeline.
      await writeEntry(target, async () => [Readable.from(entry)], budget);
      written.push(target.segments.join('/'));
    }
    await feeding;
  } catch (error) {
    throw archiveError(error, archive, gzipped ? 'tar.gz' : 'tar');
  }
  return written;
}
