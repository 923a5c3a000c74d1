import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDataset } from '../import/import-dataset';
import type { Preprocessing } from '../prepared/prepared-dataset';
import { useTempDir } from '../testing/temp-dir';
import { applyTabularPreprocessing, fitNumericColumn } from './tabular-preprocessing';

const preprocessing: Preprocessing = {
  kind: 'tabular',
  columns: [
    { name: 'age', type: 'numeric', mean: 40, std: 10, fill: 40 },
    { name: 'city', type: 'categorical', categories: ['Lyon', 'Paris'], missing: 'all-zero' },
  ],
  labelColumn: 'label',
};

describe('applyTabularPreprocessing', () => {
  const dir = useTempDir();

  it('applies the training transform: standardise, one-hot, fill, unseen → zeros', () => {
    const out = applyTabularPreprocessing(preprocessing, [
      { age: 50, city: 'Paris' },
      { age: '30', city: ' Lyon ', label: 'ignored' },
      { age: null, city: 'Berlin' },
      { age: 'NA', city: null },
      { age: Number.NaN, city: '' },
    ]);
    expect(Array.from(out)).toEqual([1, 0, 1, -1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('reproduces the features computed at import', async () => {
    const path = join(dir(), 'data.csv');
    await writeFile(path, 'age,city,label\n31,Paris,a\n45,,b\nNA,Lyon,a\n60,Paris,b\n22,Nice,a\n');
    const dataset = await importDataset({ path }, 'CSV', { testFraction: 0.2, validationFraction: 0 });
    const rows = [
      { age: '31', city: 'Paris' },
      { age: '45', city: '' },
      { age: 'NA', city: 'Lyon' },
      { age: '60', city: 'Paris' },
      { age: '22', city: 'Nice' },
    ];
    expect(applyTabularPreprocessing(dataset.preprocessing, rows)).toEqual(dataset.features);
  });

  it('refuses absent columns, non-numbers in numeric columns and image preprocessing', () => {
    expect(() => applyTabularPreprocessing(preprocessing, [{ age: 1, city: 'Paris' }, { city: 'Paris' }])).toThrow(
      "row 1: no value for column 'age' (use null when it is unknown)",
    );
    expect(() => applyTabularPreprocessing(preprocessing, [{ age: 'old', city: 'Paris' }])).toThrow(
      expect.objectContaining({ message: `row 0: column 'age' is numeric but got "old"`, column: 'age' }),
    );
    expect(() =>
      applyTabularPreprocessing({ kind: 'image', scale: 1 / 255, height: 1, width: 1, channels: 1 }, []),
    ).toThrow('needs tabular preprocessing, not image');
  });
});

describe('fitNumericColumn', () => {
  it('gives a constant column its value as mean and std 1, so it standardises to exactly 0', () => {
    const values = Float64Array.from([0.1, 0.1, 0.1, Number.NaN]);
    expect(fitNumericColumn('c', values, Int32Array.from([0, 1, 2, 3]))).toEqual({
      name: 'c',
      type: 'numeric',
      mean: 0.1,
      std: 1,
      fill: 0.1,
    });
  });

  it('falls back to mean 0 and std 1 when training has no values', () => {
    expect(fitNumericColumn('c', Float64Array.from([Number.NaN, 5]), Int32Array.from([0]))).toMatchObject({
      mean: 0,
      std: 1,
    });
  });
});
