import { lstat, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { detectArchive } from '../archive/archive-kind';
import { extractUpload, gunzippedName } from '../archive/extract-archive';
import { importCifar10 } from '../cifar/cifar10-importer';
import { importCsv } from '../csv/csv-importer';
import { parseDelimiterOption } from '../csv/delimiter';
import { importMnist } from '../idx/mnist-importer';
import { importImageFolder } from '../images/image-folder-importer';
import type { DatasetFormat, PreparedDataset } from '../prepared/prepared-dataset';
import { DatasetImportError } from '../shared/dataset-import-error';
import { listInputFiles, type InputFile } from '../shared/input-files';
import type { SplitOptions } from '../splits/split-options';
import { resolveImportLimits, type ImportLimits } from './import-limits';
import { resolveSplitOptions, type ImportOptions } from './import-options';

export interface ImportInput {
  /** A file, or a directory such as an already extracted archive. */
  path: string;
  /** The name the user uploaded it under; shown in errors and recorded in `source.files`. */
  originalName?: string;
}

/** How one import runs: its caps, where its temporary files go, whom it tells how far it got. */
export interface ImportRun {
  /** Caps over DEFAULT_IMPORT_LIMITS. */
  limits?: Partial<ImportLimits>;
  /** Where an archive is extracted (default: the system's temporary folder); removed afterwards either way. */
  scratchDir?: string;
  /** 0..1, the share of the input read so far; called often, throttle downstream. */
  onProgress?: (fraction: number) => void;
  /** Stops the import at the next chunk (the worker shuts down). */
  signal?: AbortSignal;
}

/** What every importer gets besides its files and options. */
export interface ImportContext {
  limits: ImportLimits;
  onProgress: (fraction: number) => void;
  signal?: AbortSignal;
}

const IMPORTERS: Record<
  DatasetFormat,
  (files: InputFile[], options: ImportOptions, split: SplitOptions, context: ImportContext) => Promise<PreparedDataset>
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
  run: ImportRun = {},
): Promise<PreparedDataset> {
  const split = validateImport(format, options);
  const importer = IMPORTERS[format];
  const limits = resolveImportLimits(run.limits);
  const report = run.onProgress ?? (() => undefined);
  const context = (from: number): ImportContext => ({
    limits,
    signal: run.signal,
    onProgress: (fraction) => report(from + (1 - from) * Math.min(1, Math.max(0, fraction))),
  });
  if ((await lstat(input.path)).isDirectory()) return importer(await listUpload(input.path), options, split, context(0));

  const file = { path: input.path, name: displayName(input) };
  const archive = await detectArchive(file);
  if (!archive) return importer([file], options, split, context(0));
  // A gzipped table is read as it inflates, under the same caps, without a copy on disk.
  if (archive === 'gz' && format === 'CSV') {
    return importer([{ path: file.path, name: gunzippedName(file.name) }], options, split, context(0));
  }
  const scratch = await mkdtemp(join(run.scratchDir ?? tmpdir(), 'lepton-import-'));
  try {
    await extractUpload(file, scratch, {
      maxBytes: limits.maxBytes,
      maxFiles: limits.maxFiles,
      maxCompressionRatio: limits.maxCompressionRatio,
      archiveBytes: (await stat(file.path)).size,
    });
    // Extracting is the first fifth or so of the work; reading the extracted files the rest.
    report(EXTRACTED);
    return await importer(await listUpload(scratch), options, split, context(EXTRACTED));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

const EXTRACTED = 0.2;

/**
 * Everything about a request that can be checked without reading the upload: the format and the
 * options. Throws DatasetImportError; the API calls it before it queues the import.
 */
export function validateImport(format: DatasetFormat, options: ImportOptions): SplitOptions {
  if (!Object.hasOwn(IMPORTERS, format)) throw new DatasetImportError(`unknown dataset format ${JSON.stringify(format)}`);
  const split = resolveSplitOptions(format, options);
  if (options.delimiter != null) parseDelimiterOption(options.delimiter);
  return split;
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
