import { lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { detectArchive } from '../archive/archive-kind';
import { extractUpload } from '../archive/extract-archive';
import { importCifar10 } from '../cifar/cifar10-importer';
import { importCsv } from '../csv/csv-importer';
import { importMnist } from '../idx/mnist-importer';
import { importImageFolder } from '../images/image-folder-importer';
import type { DatasetFormat, PreparedDataset } from '../prepared/prepared-dataset';
import { DatasetImportError } from '../shared/dataset-import-error';
import { listInputFiles, type InputFile } from '../shared/input-files';
import type { SplitOptions } from '../splits/split-options';
import { resolveSplitOptions, type ImportOptions } from './import-options';

export interface ImportInput {
  /** A file, or a directory such as an already extracted archive. */
  path: string;
  /** The name the user uploaded it under; shown in errors and recorded in `source.files`. */
  originalName?: string;
}

const IMPORTERS: Record<
  DatasetFormat,
  (files: InputFile[], options: ImportOptions, split: SplitOptions) => Promise<PreparedDataset>
> = {
  CSV: importCsv,
  // An explicit testFraction pools an upload's own test files with the rest and splits at random.
  MNIST_IDX: (files, options, split) => importMnist(files, split, options.testFraction == null, options.positiveLabels ?? null),
  CIFAR10_BINARY: (files, options, split) => importCifar10(files, split, options.testFraction == null),
  IMAGE_FOLDER: (files, _options, split) => importImageFolder(files, split),
};

/**
 * Turns an upload into a prepared dataset. An archive (.tar.gz, .tgz, .tar, .zip or a single .gz,
 * recognised by magic bytes) is first extracted safely into a temporary folder, removed afterwards.
 * Throws DatasetImportError, naming file, line and column where it can, for anything wrong with the data.
 */
export async function importDataset(
  input: ImportInput,
  format: DatasetFormat,
  options: ImportOptions = {},
): Promise<PreparedDataset> {
  const importer = IMPORTERS[format];
  if (!importer) throw new DatasetImportError(`unknown dataset format ${JSON.stringify(format)}`);
  const split = resolveSplitOptions(format, options);
  if ((await lstat(input.path)).isDirectory()) return importer(await listUpload(input.path), options, split);

  const file = { path: input.path, name: displayName(input) };
  if (!(await detectArchive(file))) return importer([file], options, split);
  const scratch = await mkdtemp(join(tmpdir(), 'lepton-import-'));
  try {
    await extractUpload(file, scratch);
    return await importer(await listUpload(scratch), options, split);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Browsers may send 'C:\fakepath\data.csv'; only the last segment is the user's name for it. */
function displayName(input: ImportInput): string {
  const name = input.originalName?.split(/[/\\]/).pop();
  return name || basename(input.path);
}

async function listUpload(root: string): Promise<InputFile[]> {
  const files = await listInputFiles(root);
  if (files.length === 0) throw new DatasetImportError('the upload contains no files');
  return files;
}
