import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyTabularPreprocessing } from './tabular-preprocessing';
import { importDataset } from '../import/import-dataset';
import type { ImportOptions } from '../import/import-options';
import { DatasetImportError } from '../shared/dataset-import-error';
import { useTempDir } from '../testing/temp-dir';

// Heart-disease style: floats as codes, `?` for missing, a 0–4 label of which > 0 is "disease".
const HEART = ['age,cp,thal,num', '63.0,1.0,6.0,0', '67.0,4.0,3.0,2', '41.0,2.0,?,0', '56.0,4.0,7.0,1', '57.0,?,3.0,4', '50.0,1.0,3.0,0'].join('\n');
const everythingTrain = { testFraction: 0, validationFraction: 0 };

describe('CSV import options positiveLabels and categorical', () => {
  const dir = useTempDir();

  async function importText(text: string, options: ImportOptions) {
    const path = join(dir(), 'upload');
    await writeFile(path, text);
    return importDataset({ path, originalName: 'heart.csv' }, 'CSV', options);
  }

  async function importError(text: string, options: ImportOptions) {
    const error = await importText(text, options).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DatasetImportError);
    return (error as DatasetImportError).message;
  }

  it('positiveLabels turns a multi-class label into negative/positive, recording the original counts', async () => {
    const dataset = await importText(HEART, { label: 'num', positiveLabels: ['1', '2', '3', '4'], ...everythingTrain });
    expect(dataset.classes).toEqual(['negative', 'positive']);
    expect([...dataset.labels]).toEqual([0, 1, 0, 1, 1, 0]);
    expect(dataset.schema.label).toEqual({ name: 'num', classes: ['negative', 'positive'] });
    expect(dataset.stats).toMatchObject({
      positiveLabels: ['1', '2', '3', '4'],
      labelValueCounts: { '0': 3, '1': 1, '2': 1, '4': 1 },
      classCounts: { negative: 3, positive: 3 },
    });
  });

  it('positiveLabels may name a negative number (phishing Result -1)', async () => {
    const dataset = await importText('a,Result\n1,-1\n-1,1\n0,-1\n1,1\n', { positiveLabels: ['-1'], ...everythingTrain });
    expect([...dataset.labels]).toEqual([1, 0, 1, 0]);
  });

  it('refuses positiveLabels none of which occur or that leave no negative class', async () => {
    expect(await importError(HEART, { label: 'num', positiveLabels: ['5', '9'] })).toMatch(/positiveLabels "5", "9": none is a value of the label \(it has "0", "1", "2", "4"\)/);
    expect(await importError(HEART, { label: 'num', positiveLabels: ['0', '1', '2', '4'] })).toMatch(/negative class would be empty/);
    expect(await importError(HEART, { label: 'num', positiveLabels: [] })).toMatch(/at least one label value/);
  });

  it('categorical one-hot encodes numeric codes, named canonically, with `?` as missing (all zeros)', async () => {
    const dataset = await importText(HEART, { label: 'num', categorical: ['cp', 'thal'], ...everythingTrain });
    const [age, cp, thal] = dataset.preprocessing.kind === 'tabular' ? dataset.preprocessing.columns : [];
    expect(age).toMatchObject({ name: 'age', type: 'numeric' });
    expect(cp).toEqual({ name: 'cp', type: 'categorical', categories: ['1', '2', '4'], missing: 'all-zero', numericCodes: true });
    expect(thal).toEqual({ name: 'thal', type: 'categorical', categories: ['3', '6', '7'], missing: 'all-zero', numericCodes: true });
    expect(dataset.featureShape).toEqual([1 + 3 + 3]);
    const row = (index: number) => Array.from(dataset.features.subarray(index * 7 + 1, index * 7 + 7));
    expect(row(0)).toEqual([1, 0, 0, 0, 1, 0]); // cp 1.0, thal 6.0
    expect(row(2)).toEqual([0, 1, 0, 0, 0, 0]); // cp 2.0, thal ? → all zeros
    expect(row(4)).toEqual([0, 0, 0, 1, 0, 0]); // cp ? → all zeros, thal 3.0
    expect(dataset.stats).toMatchObject({ columns: { cp: { type: 'categorical', missing: 1, distinct: 3 } } });
  });

  it('encodes a served row as at import, whether the code arrives as 4, 4.0 or "4.0"', async () => {
    const dataset = await importText(HEART, { label: 'num', categorical: ['cp', 'thal'], ...everythingTrain });
    const imported = Array.from(dataset.features.subarray(7, 14));
    for (const cp of [4, '4.0', '4']) {
      const served = applyTabularPreprocessing(dataset.preprocessing, [{ age: 67, cp, thal: 3 }]);
      expect(Array.from(served)).toEqual(imported);
    }
  });

  it('without the option the same columns stay numeric', async () => {
    const dataset = await importText(HEART, { label: 'num', ...everythingTrain });
    expect(dataset.featureShape).toEqual([3]);
    expect(dataset.classes).toEqual(['0', '1', '2', '4']);
  });

  it('refuses categorical columns that do not exist or are the label', async () => {
    expect(await importError(HEART, { label: 'num', categorical: ['chol'] })).toMatch(/the categorical column 'chol' does not exist/);
    expect(await importError(HEART, { label: 'num', categorical: ['num'] })).toMatch(/'num' is the label or an ignored column/);
  });

  it('categorical applies to CSV only; positiveLabels to CSV and MNIST only', async () => {
    const path = join(dir(), 'x');
    await writeFile(path, 'x');
    await expect(importDataset({ path }, 'MNIST_IDX', { categorical: ['a'] })).rejects.toThrow(/categorical only apply to CSV/);
    await expect(importDataset({ path }, 'CIFAR10_BINARY', { positiveLabels: ['1'] })).rejects.toThrow(/positiveLabels only apply to CSV and MNIST_IDX/);
  });
});
