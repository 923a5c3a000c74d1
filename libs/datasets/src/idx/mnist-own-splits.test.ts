import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { importDataset } from '../import/import-dataset';
import { idxFile, writeTree } from '../testing/fixtures';
import { useTempDir } from '../testing/temp-dir';

/** `count` 2×2 images whose pixels all equal `value`, with the given labels. */
function pair(prefix: string, labels: number[], value: number) {
  return {
    [`${prefix}-images-idx3-ubyte.gz`]: gzipSync(idxFile([labels.length, 2, 2], new Array(labels.length * 4).fill(value))),
    [`${prefix}-labels-idx1-ubyte.gz`]: gzipSync(idxFile([labels.length], labels)),
  };
}

// MedMNIST layout: train, val and test pairs; pixel value tells the pair apart.
const TRAIN = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1];
const VAL = [0, 1, 1];
const TEST = [1, 0, 0, 1];

describe('MNIST IDX import with its own validation split (PneumoniaMNIST)', () => {
  const dir = useTempDir();

  it('keeps the val-* pair as the validation split and the test pair as the test split, as given', async () => {
    await writeTree(dir(), { ...pair('train', TRAIN, 10), ...pair('val', VAL, 20), ...pair('test', TEST, 30) });
    const dataset = await importDataset({ path: dir() }, 'MNIST_IDX');
    const pixelOf = (indices: Int32Array) => [...new Set(Array.from(indices, (index) => Math.round(dataset.features[index * 4]! * 255)))];
    expect([dataset.splits.train.length, dataset.splits.validation.length, dataset.splits.test.length]).toEqual([10, 3, 4]);
    expect(pixelOf(dataset.splits.train)).toEqual([10]);
    expect(pixelOf(dataset.splits.validation)).toEqual([20]);
    expect(pixelOf(dataset.splits.test)).toEqual([30]);
    expect(dataset.stats).toMatchObject({
      splitOptions: {
        testFiles: ['test-images-idx3-ubyte.gz', 'test-labels-idx1-ubyte.gz'],
        validationFiles: ['val-images-idx3-ubyte.gz', 'val-labels-idx1-ubyte.gz'],
      },
    });
  });

  it('positiveLabels makes the digits binary: negative/positive', async () => {
    await writeTree(dir(), { ...pair('train', TRAIN, 10), ...pair('val', VAL, 20), ...pair('test', TEST, 30) });
    const dataset = await importDataset({ path: dir() }, 'MNIST_IDX', { positiveLabels: ['1'] });
    expect(dataset.classes).toEqual(['negative', 'positive']);
    expect(dataset.stats).toMatchObject({ classCounts: { negative: 8, positive: 9 }, positiveLabels: ['1'] });
    await expect(importDataset({ path: dir() }, 'MNIST_IDX', { positiveLabels: ['7'] })).rejects.toThrow(/positiveLabels "7": none is a value/);
  });

  it('an explicit testFraction pools every pair and splits afresh', async () => {
    await writeTree(dir(), { ...pair('train', TRAIN, 10), ...pair('val', VAL, 20), ...pair('test', TEST, 30) });
    const dataset = await importDataset({ path: dir() }, 'MNIST_IDX', { testFraction: 0.25, validationFraction: 0 });
    expect(dataset.splits.validation.length).toBe(0);
    expect(dataset.splits.test.length).toBeGreaterThan(0);
  });
});
