import { DatasetImportError } from '../shared/dataset-import-error';
import type { SplitOptions } from '../splits/split-options';
import { splitKeepingTest, stratifiedSplit } from '../splits/stratified-split';
import { classCounts, splitCounts } from './dataset-stats';
import type { DatasetFormat, PreparedDataset } from './prepared-dataset';

/** 8-bit pixels are scaled to 0..1. */
export const PIXEL_SCALE = 1 / 255;

/** The images' feature transform, at import and at inference: out[offset + i] = pixels[i] × scale. */
export function scalePixels(pixels: Uint8Array, scale: number, out: Float32Array, offset: number): void {
  for (let i = 0; i < pixels.length; i++) out[offset + i] = pixels[i]! * scale;
}

// 2^28 float32 values = 1 GiB of features; beyond that one process cannot train on it anyway.
const MAX_FEATURE_VALUES = 2 ** 28;

export interface ImageShape {
  height: number;
  width: number;
  channels: number;
}

/** Refuses, before allocating, a dataset whose features would not fit in memory. */
export function assertImageDatasetFits(exampleCount: number, shape: ImageShape): void {
  const values = exampleCount * shape.height * shape.width * shape.channels;
  if (values > MAX_FEATURE_VALUES) {
    throw new DatasetImportError(
      `${exampleCount} images of ${shape.height}×${shape.width}×${shape.channels} are ${values} values, more than the ${MAX_FEATURE_VALUES} one dataset may hold`,
    );
  }
}

export interface ImageExamples {
  /** exampleCount × height × width × channels bytes, HWC. */
  pixels: Uint8Array;
  labels: Int32Array;
  shape: ImageShape;
  classes: string[];
  format: DatasetFormat;
  files: string[];
  /**
   * The upload's own test split (CIFAR-10's test_batch, MNIST's t10k files): which examples, from which
   * files; and its own validation split when it has one (MedMNIST's val-* files).
   */
  ownTestSplit?: { isTest: Uint8Array; files: string[]; isValidation?: Uint8Array; validationFiles?: string[] };
  /** Set when the labels were made binary with the positiveLabels option (recorded in the stats). */
  positiveLabels?: string[];
}

/** The common tail of every image importer: split (keeping the upload's own test split), scale to 0..1, summarise. */
export function buildImageDataset(examples: ImageExamples, split: SplitOptions): PreparedDataset {
  const { pixels, labels, shape, classes, ownTestSplit } = examples;
  const splits = ownTestSplit
    ? splitKeepingTest(labels, ownTestSplit.isTest, split, ownTestSplit.isValidation)
    : stratifiedSplit(labels, split);
  const features = new Float32Array(pixels.length);
  scalePixels(pixels, PIXEL_SCALE, features, 0);
  return {
    kind: 'image',
    featureShape: [shape.height, shape.width, shape.channels],
    classes,
    features,
    labels,
    splits,
    preprocessing: { kind: 'image', scale: PIXEL_SCALE, ...shape },
    schema: { features: [{ name: 'image', type: 'image' }], label: { name: 'label', classes } },
    stats: {
      examples: labels.length,
      classCounts: classCounts(labels, classes),
      splitCounts: splitCounts(splits),
      // Recorded so that the hash changes with the options even when a tiny dataset splits the same.
      splitOptions: !ownTestSplit
        ? split
        : ownTestSplit.validationFiles
          ? { testFiles: ownTestSplit.files, validationFiles: ownTestSplit.validationFiles }
          : { validationFraction: split.validationFraction, seed: split.seed, testFiles: ownTestSplit.files },
      ...(examples.positiveLabels ? { positiveLabels: examples.positiveLabels } : {}),
      ...channelStats(pixels, shape.channels),
    },
    source: { format: examples.format, files: examples.files },
  };
}

/** Per-channel mean and standard deviation on the 0..1 scale, for users who want to normalise further. */
function channelStats(pixels: Uint8Array, channels: number): { channelMean: number[]; channelStd: number[] } {
  const sums = new Array<number>(channels).fill(0);
  const squares = new Array<number>(channels).fill(0);
  for (let i = 0; i < pixels.length; i++) {
    const value = pixels[i]!;
    sums[i % channels]! += value;
    squares[i % channels]! += value * value;
  }
  const perChannel = pixels.length / channels;
  const mean = sums.map((sum) => (perChannel === 0 ? 0 : sum / perChannel));
  const std = squares.map((square, c) =>
    perChannel === 0 ? 0 : Math.sqrt(Math.max(square / perChannel - mean[c]! ** 2, 0)),
  );
  return { channelMean: mean.map((m) => m * PIXEL_SCALE), channelStd: std.map((s) => s * PIXEL_SCALE) };
}
