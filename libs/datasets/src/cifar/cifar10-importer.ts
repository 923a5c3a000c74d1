import { readFile, stat } from 'node:fs/promises';
import { assertImageDatasetFits, buildImageDataset } from '../prepared/image-dataset';
import type { PreparedDataset } from '../prepared/prepared-dataset';
import { DatasetImportError } from '../shared/dataset-import-error';
import { baseName, type InputFile } from '../shared/input-files';
import { compareNatural } from '../shared/natural-order';
import type { SplitOptions } from '../splits/split-options';

const SIDE = 32;
const PLANE = SIDE * SIDE;
const PIXELS = 3 * PLANE;
const RECORD = 1 + PIXELS;
const BATCH = /^(data_batch_\d+|test_batch)\.bin$/i;
const DEFAULT_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/**
 * CIFAR-10's binary version: records of 1 label byte + 3072 pixel bytes stored channel by channel
 * (1024 red, 1024 green, 1024 blue), converted to height × width × channel. With data batches and
 * test_batch.bin (as in cifar-10-binary.tar.gz), test_batch is the test split unless `keepOwnTestSplit`
 * is off (an explicit testFraction), in which case all batches are pooled and split at random.
 */
export async function importCifar10(files: InputFile[], split: SplitOptions, keepOwnTestSplit = true): Promise<PreparedDataset> {
  const batches = pickBatches(files);
  const classes = await readClasses(files);
  const sizes = await Promise.all(batches.map(async (file) => (await stat(file.path)).size));
  batches.forEach((file, index) => {
    const size = sizes[index]!;
    if (size === 0 || size % RECORD !== 0) {
      // CIFAR-100 records carry a coarse and a fine label: 3074 bytes.
      const hint = size > 0 && size % (RECORD + 1) === 0 ? ' (it looks like CIFAR-100, which is not supported)' : '';
      throw new DatasetImportError(
        `has ${size} bytes, which is not a whole number of ${RECORD}-byte CIFAR-10 records (1 label byte + ${PIXELS} pixel bytes)${hint}`,
        { file: file.name },
      );
    }
  });

  const shape = { height: SIDE, width: SIDE, channels: 3 };
  const total = sizes.reduce((sum, size) => sum + size / RECORD, 0);
  assertImageDatasetFits(total, shape);
  const pixels = new Uint8Array(total * PIXELS);
  const labels = new Int32Array(total);
  const testBatches = batches.filter(isTestBatch);
  const ownTestSplit = keepOwnTestSplit && testBatches.length > 0 && testBatches.length < batches.length;
  const isTest = new Uint8Array(ownTestSplit ? total : 0);
  let example = 0;
  for (const file of batches) {
    const bytes = await readFile(file.path);
    if (ownTestSplit && isTestBatch(file)) isTest.fill(1, example, example + bytes.length / RECORD);
    for (let record = 0; record * RECORD < bytes.length; record++, example++) {
      const start = record * RECORD;
      const label = bytes[start]!;
      if (label >= classes.length) {
        throw new DatasetImportError(`record ${record} has label ${label} but there are ${classes.length} classes`, {
          file: file.name,
        });
      }
      labels[example] = label;
      const out = example * PIXELS;
      for (let p = 0; p < PLANE; p++) {
        pixels[out + p * 3] = bytes[start + 1 + p]!;
        pixels[out + p * 3 + 1] = bytes[start + 1 + PLANE + p]!;
        pixels[out + p * 3 + 2] = bytes[start + 1 + 2 * PLANE + p]!;
      }
    }
  }
  return buildImageDataset(
    {
      pixels,
      labels,
      shape,
      classes,
      format: 'CIFAR10_BINARY',
      files: batches.map((file) => file.name),
      ...(ownTestSplit ? { ownTestSplit: { isTest, files: testBatches.map((file) => file.name) } } : {}),
    },
    split,
  );
}

const isTestBatch = (file: InputFile) => baseName(file.name).toLowerCase().startsWith('test');

/** data_batch_1..n then test_batch; a single uploaded file is taken whatever its name. */
function pickBatches(files: InputFile[]): InputFile[] {
  const batches = files.filter((file) => BATCH.test(baseName(file.name)));
  if (batches.length > 0) {
    return batches.sort((a, b) => Number(isTestBatch(a)) - Number(isTestBatch(b)) || compareNatural(a.name, b.name));
  }
  if (files.length === 1) return files;
  throw new DatasetImportError(
    `no CIFAR-10 batch files (data_batch_*.bin, test_batch.bin) among ${files.map((file) => file.name).join(', ')}`,
  );
}

/** One class name per line of batches.meta.txt when it is uploaded, else the standard ten. */
async function readClasses(files: InputFile[]): Promise<string[]> {
  const meta = files.find((file) => baseName(file.name).toLowerCase() === 'batches.meta.txt');
  if (!meta) return DEFAULT_CLASSES;
  const names = (await readFile(meta.path, 'utf8'))
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (names.length < 2 || new Set(names).size !== names.length) {
    throw new DatasetImportError('must list at least two distinct class names, one per line', { file: meta.name });
  }
  return names;
}
