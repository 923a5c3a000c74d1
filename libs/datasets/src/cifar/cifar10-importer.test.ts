import { describe, expect, it } from 'vitest';
import { importDataset } from '../import/import-dataset';
import { cifarRecord, writeTree } from '../testing/fixtures';
import { useTempDir } from '../testing/temp-dir';

/** Channel c of pixel (x, y) in record r: a value that tells all four apart. */
const value = (r: number, x: number, y: number, c: number) => (r * 7 + x * 3 + y * 5 + c * 80) % 256;
const batch = (first: number, labels: number[]) =>
  Buffer.concat(labels.map((label, i) => cifarRecord(label, (x, y, c) => value(first + i, x, y, c))));

describe('CIFAR-10 binary import', () => {
  const dir = useTempDir();

  it('converts CHW records to HWC, scales to 0..1 and orders data batches before the test batch', async () => {
    await writeTree(dir(), {
      'cifar-10-batches-bin/test_batch.bin': batch(4, [9, 0]),
      'cifar-10-batches-bin/data_batch_2.bin': batch(2, [2, 3]),
      'cifar-10-batches-bin/data_batch_1.bin': batch(0, [0, 1]),
      'cifar-10-batches-bin/readme.html': '<p>hi</p>',
    });
    const dataset = await importDataset({ path: dir() }, 'CIFAR10_BINARY');
    expect(dataset.featureShape).toEqual([32, 32, 3]);
    expect(dataset.classes).toEqual([
      'airplane',
      'automobile',
      'bird',
      'cat',
      'deer',
      'dog',
      'frog',
      'horse',
      'ship',
      'truck',
    ]);
    expect([...dataset.labels]).toEqual([0, 1, 2, 3, 9, 0]);
    expect(dataset.source.files).toEqual([
      'cifar-10-batches-bin/data_batch_1.bin',
      'cifar-10-batches-bin/data_batch_2.bin',
      'cifar-10-batches-bin/test_batch.bin',
    ]);
    for (const [r, x, y, c] of [
      [0, 0, 0, 0],
      [1, 5, 7, 2],
      [5, 31, 31, 1],
    ] as const) {
      expect(dataset.features[r * 3072 + (y * 32 + x) * 3 + c]).toBe(Math.fround(value(r, x, y, c) / 255));
    }
  });

  it('takes class names from batches.meta.txt', async () => {
    await writeTree(dir(), {
      'data_batch_1.bin': batch(0, [0, 1, 1]),
      'batches.meta.txt': 'cat\ndog\n\n',
    });
    const dataset = await importDataset({ path: dir() }, 'CIFAR10_BINARY');
    expect(dataset.classes).toEqual(['cat', 'dog']);
  });

  it('accepts a single uploaded batch under any name', async () => {
    await writeTree(dir(), { upload: batch(0, [3, 4]) });
    const dataset = await importDataset({ path: `${dir()}/upload`, originalName: 'mine.bin' }, 'CIFAR10_BINARY');
    expect(dataset.source.files).toEqual(['mine.bin']);
  });

  it('refuses a file that is not a whole number of records', async () => {
    await writeTree(dir(), { 'data_batch_1.bin': batch(0, [0, 1]).subarray(0, 6000) });
    await expect(importDataset({ path: dir() }, 'CIFAR10_BINARY')).rejects.toThrow(
      'data_batch_1.bin: has 6000 bytes, which is not a whole number of 3073-byte CIFAR-10 records (1 label byte + 3072 pixel bytes)',
    );
  });

  it('recognises CIFAR-100 records and says so', async () => {
    await writeTree(dir(), { 'data_batch_1.bin': new Uint8Array(3074 * 2) });
    await expect(importDataset({ path: dir() }, 'CIFAR10_BINARY')).rejects.toThrow('it looks like CIFAR-100');
  });

  it('refuses labels beyond the class list and folders without batches', async () => {
    await writeTree(dir(), { 'a/data_batch_1.bin': batch(0, [0, 12]) });
    await expect(importDataset({ path: `${dir()}/a` }, 'CIFAR10_BINARY')).rejects.toThrow(
      'data_batch_1.bin: record 1 has label 12 but there are 10 classes',
    );
    await writeTree(dir(), { 'b/x.txt': 'x', 'b/y.txt': 'y' });
    await expect(importDataset({ path: `${dir()}/b` }, 'CIFAR10_BINARY')).rejects.toThrow('no CIFAR-10 batch files');
  });
});
