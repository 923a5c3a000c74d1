import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetImportError } from './dataset-import-error';
import { compareNatural } from './natural-order';

export interface InputFile {
  /** Where to read it on this machine. */
  path: string;
  /** Its name inside the upload, '/'-separated: what errors and `source.files` show. */
  name: string;
}

// Operating-system litter that archivers add; never part of a dataset.
const JUNK = new Set(['__MACOSX', 'Thumbs.db', 'desktop.ini']);

/** Every regular file under `root`, in natural name order, skipping dotfiles and OS litter. */
export async function listInputFiles(root: string): Promise<InputFile[]> {
  const files: InputFile[] = [];
  const walk = async (directory: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(directory, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || JUNK.has(entry.name)) continue;
      const name = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      const path = join(directory, entry.name);
      // A link could lead outside the upload.
      if (entry.isSymbolicLink())
        throw new DatasetImportError('is a symbolic link, which uploads may not contain', { file: name });
      if (entry.isDirectory()) await walk(path, name);
      else if (entry.isFile()) files.push({ path, name });
    }
  };
  await walk(root, '');
  return files.sort((a, b) => compareNatural(a.name, b.name));
}

/** The last segment of a '/'-separated name. */
export function baseName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}
