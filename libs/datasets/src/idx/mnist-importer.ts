import { assertImageDatasetFits, buildImageDataset } from '../prepared/image-dataset';
import type { PreparedDataset } from '../prepared/prepared-dataset';
import { BINARY_CLASSES, binarizeLabels } from '../shared/binary-labels';
import { DatasetImportError } from '../shared/dataset-import-error';
import { readContent, readContentHead } from '../shared/gzip';
import { baseName, type InputFile } from '../shared/input-files';
import type { SplitOptions } from '../splits/split-options';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, idxMagic, parseIdx } from './idx-file';

// EMNIST's largest file inflates to about 700 MB; anything beyond is not an MNIST-style set.
const MAX_IDX_BYTES = 1 << 30;

interface IdxPair {
  images: InputFile;
  labels: InputFile;
}

/**
 * MNIST-style IDX files (raw or .gz), recognised by their magic numbers rather than their names.
 * Several pairs are concatenated in name order. A test pair (t10k-* or *test*) beside training pairs
 * is the test split, as MNIST publishes it, and a validation pair (val-* or *valid*) beside them the
 * validation split (PneumoniaMNIST ships train/val/test), unless `keepOwnTestSplit` is off (an explicit
 * testFraction): then everything is split afresh like any dataset. With `positiveLabels` the classes
 * are "negative" and "positive" (see binarizeLabels).
 */
export async function importMnist(
  files: InputFile[],
  split: SplitOptions,
  keepOwnTestSplit = true,
  positiveLabels: string[] | null = null,
): Promise<PreparedDataset> {
  const images: InputFile[] = [];
  const labels: InputFile[] = [];
  for (const file of files) {
    const magic = idxMagic(await readContentHead(file, 4));
    if (magic === IDX_IMAGES_MAGIC) images.push(file);
    else if (magic === IDX_LABELS_MAGIC) labels.push(file);
  }
  if (images.length === 0 || labels.length === 0) {
    throw new DatasetImportError(
      `MNIST needs an IDX images file (magic 0x00000803) and an IDX labels file (magic 0x00000801); found ${images.length} and ${labels.length} among ${files.map((file) => file.name).join(', ')}`,
    );
  }

  const parts: { pixels: Uint8Array; labels: Uint8Array; rows: number; cols: number; pair: IdxPair }[] = [];
  for (const pair of pairFiles(images, labels)) {
    const imageArray = parseIdx(await readContent(pair.images, MAX_IDX_BYTES), pair.images.name, IDX_IMAGES_MAGIC);
    const labelArray = parseIdx(await readContent(pair.labels, MAX_IDX_BYTES), pair.labels.name, IDX_LABELS_MAGIC);
    const [count, rows, cols] = imageArray.dims as [number, number, number];
    if (count === 0 || rows === 0 || cols === 0) {
      throw new DatasetImportError(`holds no pixels (${count} images of ${rows}×${cols})`, { file: pair.images.name });
    }
    if (labelArray.dims[0] !== count) {
      throw new DatasetImportError(`holds ${labelArray.dims[0]} labels but ${pair.images.name} holds ${count} images`, {
        file: pair.labels.name,
      });
    }
    const previous = parts[0];
    if (previous && (previous.rows !== rows || previous.cols !== cols)) {
      throw new DatasetImportError(
        `holds ${rows}×${cols} images but ${previous.pair.images.name} holds ${previous.rows}×${previous.cols}`,
        { file: pair.images.name },
      );
    }
    parts.push({ pixels: imageArray.data, labels: labelArray.data, rows, cols, pair });
  }

  const first = parts[0]!;
  const shape = { height: first.rows, width: first.cols, channels: 1 };
  const total = parts.reduce((sum, part) => sum + part.labels.length, 0);
  assertImageDatasetFits(total, shape);
  const pixels = concat(parts.map((part) => part.pixels));
  const labelBytes = concat(parts.map((part) => part.labels));
  const testParts = parts.filter((part) => isTestPair(part.pair));
  const ownTestSplit = keepOwnTestSplit && testParts.length > 0 && testParts.length < parts.length;
  // A validation pair counts only beside a kept test pair and at least one training pair.
  const validationParts = ownTestSplit ? parts.filter((part) => isValidationPair(part.pair)) : [];
  const ownValidation = validationParts.length > 0 && testParts.length + validationParts.length < parts.length;
  const isTest = new Uint8Array(ownTestSplit ? total : 0);
  const isValidation = new Uint8Array(ownValidation ? total : 0);
  if (ownTestSplit) {
    let offset = 0;
    for (const part of parts) {
      if (isTestPair(part.pair)) isTest.fill(1, offset, offset + part.labels.length);
      else if (ownValidation && isValidationPair(part.pair)) isValidation.fill(1, offset, offset + part.labels.length);
      offset += part.labels.length;
    }
  }
  const maxLabel = labelBytes.reduce((max, label) => Math.max(max, label), 0);
  // Digits 0..9 always; IDX sets with more classes (EMNIST) get one class per label value.
  const classes = positiveLabels
    ? [...BINARY_CLASSES]
    : Array.from({ length: Math.max(10, maxLabel + 1) }, (_, digit) => String(digit));
  const classIndices = positiveLabels
    ? binarizeLabels(Array.from(labelBytes, String), positiveLabels, {})
    : Int32Array.from(labelBytes);
  const namesOf = (chosen: typeof parts) => chosen.flatMap(({ pair }) => [pair.images.name, pair.labels.name]);
  return buildImageDataset(
    {
      pixels,
      labels: classIndices,
      shape,
      classes,
      format: 'MNIST_IDX',
      files: parts.flatMap(({ pair }) => [pair.images.name, pair.labels.name]),
      ...(ownTestSplit
        ? {
            ownTestSplit: {
              isTest,
              files: namesOf(testParts),
              ...(ownValidation ? { isValidation, validationFiles: namesOf(validationParts) } : {}),
            },
          }
        : {}),
      ...(positiveLabels ? { positiveLabels } : {}),
    },
    split,
  );
}

/** MedMNIST names its validation files val-*. */
function isValidationPair(pair: IdxPair): boolean {
  return /^val|valid/i.test(baseName(pair.images.name));
}

/** MNIST's test files are t10k-*; other IDX sets (EMNIST, Fashion-MNIST) name theirs *test*. */
function isTestPair(pair: IdxPair): boolean {
  return /^t10k|test/i.test(baseName(pair.images.name));
}

/** Pairs by name (train-images-idx3 ↔ train-labels-idx1); a lone pair needs no naming convention. */
function pairFiles(images: InputFile[], labels: InputFile[]): IdxPair[] {
  if (images.length === 1 && labels.length === 1) return [{ images: images[0]!, labels: labels[0]! }];
  const byKey = new Map(labels.map((file) => [pairKey(file.name), file]));
  const pairs = images.map((image) => {
    const label = byKey.get(pairKey(image.name));
    if (!label) {
      throw new DatasetImportError(
        'has no labels file with a matching name (e.g. train-images-idx3-ubyte ↔ train-labels-idx1-ubyte)',
        { file: image.name },
      );
    }
    byKey.delete(pairKey(image.name));
    return { images: image, labels: label };
  });
  const unpaired = [...byKey.values()][0];
  if (unpaired) throw new DatasetImportError('is a labels file with no matching images file', { file: unpaired.name });
  return pairs;
}

function pairKey(name: string): string {
  const base = baseName(name)
    .toLowerCase()
    .replace(/\.gz$/, '')
    .replace(/images?|labels?/g, '*')
    .replace(/idx[13]/g, 'idx*');
  return `${name.slice(0, name.length - baseName(name).length)}${base}`;
}

function concat(arrays: Uint8Array[]): Uint8Array {
  if (arrays.length === 1) return arrays[0]!;
  const out = new Uint8Array(arrays.reduce((sum, array) => sum + array.length, 0));
  let offset = 0;
  for (const array of arrays) {
    out.set(array, offset);
    offset += array.length;
  }
  return out;
}
