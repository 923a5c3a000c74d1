import { describe, expect, it } from 'vitest';
import { importDataset } from '../import/import-dataset';
import { cifarRecord, tarFile, writeTree } from '../testing/fixtures';
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

  describe('its own test split, as cifar-10-binary.tar.gz ships it', () => {
    // The official archive's layout in miniature: five data batches and test_batch of 20 records each
    // (two per class), the class names, and the readme.
    const records = (first: number) => Buffer.concat(Array.from({ length: 20 }, (_, i) => cifarRecord(i % 10, (x, y, c) => value(first + i, x, y, c))));
    async function officialArchive(): Promise<string> {
      const archive = await tarFile(
        [
          { name: 'cifar-10-batches-bin/', type: 'directory' },
          { name: 'cifar-10-batches-bin/batches.meta.txt', content: 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n' },
          ...[1, 2, 3, 4, 5].map((n) => ({ name: `cifar-10-batches-bin/data_batch_${n}.bin`, content: records((n - 1) * 20) })),
          { name: 'cifar-10-batches-bin/test_batch.bin', content: records(100) },
          { name: 'cifar-10-batches-bin/readme.html', content: '<p>CIFAR-10</p>' },
        ],
        true,
      );
      await writeTree(dir(), { 'cifar-10-binary.tar.gz': archive });
      return `${dir()}/cifar-10-binary.tar.gz`;
    }

    it('keeps test_batch as the test split and holds validation out of the data batches only', async () => {
      const dataset = await importDataset({ path: await officialArchive() }, 'CIFAR10_BINARY', { validationFraction: 0.1, seed: 5 });
      expect(dataset.labels).toHaveLength(120);
      expect([...dataset.splits.test]).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));
      // 10 % of each class's 10 training records, from the data batches.
      expect(dataset.splits.validation).toHaveLength(10);
      expect(new Set([...dataset.splits.validation].map((i) => dataset.labels[i]))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
      expect(dataset.splits.train).toHaveLength(90);
      expect([...dataset.splits.train, ...dataset.splits.validation].every((i) => i < 100)).toBe(true);
      expect(dataset.stats['splitOptions']).toEqual({ validationFraction: 0.1, seed: 5, testFiles: ['cifar-10-batches-bin/test_batch.bin'] });
      expect(dataset.stats['splitCounts']).toEqual({ train: 90, validation: 10, test: 20 });
    });

    it('pools every batch and splits at random when a testFraction is given', async () => {
      const dataset = await importDataset({ path: await officialArchive() }, 'CIFAR10_BINARY', { testFraction: 0.25, validationFraction: 0, seed: 5 });
      expect(dataset.splits.test).toHaveLength(30);
      expect([...dataset.splits.test].some((i) => i < 100)).toBe(true);
      expect(dataset.stats['splitOptions']).toEqual({ testFraction: 0.25, validationFraction: 0, seed: 5 });
    });

    it('splits at random when only the data batches (or only test_batch) are uploaded', async () => {
      await writeTree(dir(), { 'data_batch_1.bin': records(0), 'data_batch_2.bin': records(20) });
      const dataset = await importDataset({ path: dir() }, 'CIFAR10_BINARY', { testFraction: 0.5, validationFraction: 0, seed: 1 });
      expect(dataset.splits.test).toHaveLength(20);
      expect(dataset.stats['splitOptions']).toMatchObject({ testFraction: 0.5 });
    });
  });
});
