import yauzl from 'yauzl';
import { DatasetImportError } from '../shared/dataset-import-error';
import type { InputFile } from '../shared/input-files';
import { archiveError } from './archive-error';
import { safeEntrySegments } from './entry-path';
import type { ExtractionBudget } from './extraction-budget';
import { makeDirectory, writeEntry } from './write-entry';

// Unix file type bits, stored in the high 16 bits of the external attributes by Unix zip tools.
const FILE_TYPE = 0o170000;
const REGULAR = 0o100000;
const DIRECTORY = 0o040000;
const SYMLINK = 0o120000;

export async function extractZip(archive: InputFile, destination: string, budget: ExtractionBudget): Promise<string[]> {
  let zip: yauzl.ZipFile;
  try {
    // decodeStrings off: yauzl would refuse unsafe names itself, but with an error we could not
    // tell apart from corruption; names are decoded and checked below instead.
    zip = await yauzl.openPromise(archive.path, { decodeStrings: false, validateEntrySizes: true, autoClose: false });
  } catch (error) {
    throw archiveError(error, archive, 'zip');
  }
  const written: string[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      const target = {
        destination,
        archive: archive.name,
        entry: name,
        segments: safeEntrySegments(name, archive.name),
      };
      const type = (entry.externalFileAttributes >>> 16) & FILE_TYPE;
      if (name.endsWith('/') || type === DIRECTORY) {
        await makeDirectory(target);
        continue;
      }
      if (type !== 0 && type !== REGULAR) {
        throw new DatasetImportError(
          `entry ${JSON.stringify(name)} is a ${type === SYMLINK ? 'symbolic link' : 'special file'}; archives may hold only files and folders`,
          { file: archive.name },
        );
      }
      budget.addFile(name, entry.uncompressedSize);
      await writeEntry(target, async () => [await zip.openReadStreamPromise(entry, {})], budget);
      written.push(target.segments.join('/'));
    }
  } catch (error) {
    throw archiveError(error, archive, 'zip');
  } finally {
    zip.close();
  }
  return written;
}
