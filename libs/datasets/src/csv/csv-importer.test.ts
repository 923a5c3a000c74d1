import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { importDataset } from '../import/import-dataset';
import type { ImportLimits } from '../import/import-limits';
import type { ImportOptions } from '../import/import-options';
import { DatasetImportError } from '../shared/dataset-import-error';
import { useTempDir } from '../testing/temp-dir';

describe('CSV import', () => {
  const dir = useTempDir();

  /** Uploads arrive under temporary names; the user's name comes separately. */
  async function importText(
    text: string | Uint8Array,
    options: ImportOptions = {},
    originalName = 'data.csv',
    limits: Partial<ImportLimits> = {},
  ) {
    const path = join(dir(), 'upload-7f3a');
    await writeFile(path, text);
    return importDataset({ path, originalName }, 'CSV', options, { limits });
  }

  async function importError(text: string | Uint8Array, options: ImportOptions = {}, limits: Partial<ImportLimits> = {}) {
    const error = await importText(text, options, 'data.csv', limits).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DatasetImportError);
    const { message, file, line, column, code } = error as DatasetImportError;
    return { message, file, line, column, code };
  }

  const everythingTrain = { testFraction: 0, validationFraction: 0 };

  it('standardises numeric columns and one-hot encodes categorical ones (numbers checked by hand)', async () => {
    const dataset = await importText('x,color,label\n1,red,a\n2,blue,b\n3,,a\nNA,red,b\n6,green,a\n', everythingTrain);
    // x: present values 1, 2, 3, 6 → mean 3, population std √((4 + 1 + 0 + 9) / 4) = √3.5; NA → mean → 0.
    const std = Math.sqrt(3.5);
    expect(dataset.preprocessing).toEqual({
      kind: 'tabular',
      columns: [
        { name: 'x', type: 'numeric', mean: 3, std, fill: 3 },
        { name: 'color', type: 'categorical', categories: ['blue', 'green', 'red'], missing: 'all-zero' },
      ],
      labelColumn: 'label',
    });
    expect(dataset.kind).toBe('tabular');
    expect(dataset.featureShape).toEqual([4]);
    expect(dataset.classes).toEqual(['a', 'b']);
    expect([...dataset.labels]).toEqual([0, 1, 0, 1, 0]);
    const expected = [
      [(1 - 3) / std, 0, 0, 1],
      [(2 - 3) / std, 1, 0, 0],
      [0, 0, 0, 0], // color missing → all zeros
      [0, 0, 0, 1], // x missing → filled with the mean → 0
      [(6 - 3) / std, 0, 1, 0],
    ];
    expect(Array.from(dataset.features)).toEqual(expected.flat().map(Math.fround));
    expect(dataset.schema).toEqual({
      features: [
        { name: 'x', type: 'numeric' },
        { name: 'color', type: 'categorical', categories: ['blue', 'green', 'red'] },
      ],
      label: { name: 'label', classes: ['a', 'b'] },
    });
    expect(dataset.stats).toMatchObject({
      rows: 5,
      delimiter: ',',
      header: true,
      classCounts: { a: 3, b: 2 },
      splitCounts: { train: 5, validation: 0, test: 0 },
      columns: {
        x: { type: 'numeric', missing: 1, min: 1, max: 6, mean: 3, std },
        color: { type: 'categorical', missing: 1, distinct: 3 },
      },
    });
    expect(dataset.source).toEqual({ format: 'CSV', files: ['data.csv'] });
  });

  it('recognises every missing-value spelling in numeric and categorical columns', async () => {
    const dataset = await importText(
      'n,c,label\n1,x,a\n,y,b\nNA,NA,a\nNaN,nan,b\nnull,NULL,a\n?,?,b\n3,,a\n',
      everythingTrain,
    );
    const [n, c] = dataset.preprocessing.kind === 'tabular' ? dataset.preprocessing.columns : [];
    expect(n).toEqual({ name: 'n', type: 'numeric', mean: 2, std: 1, fill: 2 });
    expect(c).toMatchObject({ type: 'categorical', categories: ['x', 'y'] });
    expect(dataset.stats).toMatchObject({ columns: { n: { missing: 5 }, c: { missing: 5 } } });
  });

  it('treats a column as categorical when any present value is not a number', async () => {
    const dataset = await importText('v,label\n1,a\n2,b\n0x10,a\n1e3,b\n', everythingTrain);
    expect(dataset.schema.features).toEqual([
      { name: 'v', type: 'categorical', categories: ['1', '2', '1e3', '0x10'] },
    ]);
  });

  it('fits standardisation and vocabularies on the training split only', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${i * i},id${i},${i % 2 === 0 ? 'even' : 'odd'}`);
    const dataset = await importText(`square,id,parity\n${rows.join('\n')}\n`, {
      testFraction: 0.25,
      validationFraction: 0.25,
    });
    const train = [...dataset.splits.train];
    expect(train.length).toBe(20);
    const [square, id] = dataset.preprocessing.kind === 'tabular' ? dataset.preprocessing.columns : [];
    const trainSquares = train.map((i) => i * i);
    const mean = trainSquares.reduce((a, b) => a + b, 0) / train.length;
    const std = Math.sqrt(trainSquares.reduce((sum, v) => sum + (v - mean) ** 2, 0) / train.length);
    expect(square).toMatchObject({ mean, fill: mean });
    expect((square as { std: number }).std).toBeCloseTo(std, 9);
    // Every id is unique, so the vocabulary is exactly the training rows' ids.
    expect(id).toMatchObject({
      categories: train.map((i) => `id${i}`).sort((a, b) => Number(a.slice(2)) - Number(b.slice(2))),
    });
    // A held-out row's id was never seen in training: its one-hot block is all zeros.
    const width = dataset.featureShape[0]!;
    const heldOut = dataset.splits.test[0]!;
    expect(
      Array.from(dataset.features.subarray(heldOut * width + 1, (heldOut + 1) * width)).every((v) => v === 0),
    ).toBe(true);
  });

  it('maps labels to classes in numeric-aware order', async () => {
    const dataset = await importText('f,label\n1,10\n2,9\n3,2\n4,10\n', everythingTrain);
    expect(dataset.classes).toEqual(['2', '9', '10']);
    expect([...dataset.labels]).toEqual([2, 1, 0, 2]);
  });

  it('takes a column named label wherever it is, else the last column, or the one given', async () => {
    expect((await importText('label,f\na,1\nb,2\n', everythingTrain)).schema.label.name).toBe('label');
    expect((await importText('f,g,target\n1,2,a\n3,4,b\n', everythingTrain)).schema.label.name).toBe('target');
    const chosen = await importText('f,g,h\na,1,2\nb,3,4\n', { ...everythingTrain, label: 'f' });
    expect(chosen.schema.label).toEqual({ name: 'f', classes: ['a', 'b'] });
    expect(chosen.schema.features.map((feature) => feature.name)).toEqual(['g', 'h']);
  });

  it('drops ignored columns', async () => {
    const dataset = await importText('id,f,label\n1,5,a\n2,6,b\n', { ...everythingTrain, ignore: ['id'] });
    expect(dataset.schema.features.map((feature) => feature.name)).toEqual(['f']);
    expect(dataset.featureShape).toEqual([1]);
  });

  it('names columns c0..cN without a header row', async () => {
    const dataset = await importText('5.1,3.5,setosa\n7.0,3.2,versicolor\n6.3,3.3,virginica\n', {
      ...everythingTrain,
      header: false,
      label: 'c2',
    });
    expect(dataset.schema.features.map((feature) => feature.name)).toEqual(['c0', 'c1']);
    expect(dataset.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(dataset.stats).toMatchObject({ rows: 3, header: false });
  });

  it.each([
    ['semicolon', 'a;b;label\n1,5;x;p\n2,5;y;q\n', ';'],
    ['tab', 'a\tb\tlabel\n1\tx y\tp\n2\tz\tq\n', 'tab'],
    ['whitespace', 'a    b   label\n1.5  x   p\n2.5  y   q\n', 'whitespace'],
  ])('imports %s-delimited text', async (_name, text, delimiter) => {
    const dataset = await importText(text, everythingTrain);
    expect(dataset.stats).toMatchObject({ delimiter });
    expect(dataset.schema.features.map((feature) => feature.name)).toEqual(['a', 'b']);
    expect(dataset.classes).toEqual(['p', 'q']);
  });

  it('honours a given delimiter', async () => {
    const dataset = await importText('a|label\n1|p\n2|q\n', { ...everythingTrain, delimiter: '|' });
    expect(dataset.schema.features).toEqual([{ name: 'a', type: 'numeric' }]);
  });

  it('keeps quoted delimiters, quotes and newlines inside categorical values', async () => {
    const dataset = await importText(
      'city,label\n"Paris, FR",a\n"say ""hi""\nthere",b\n"Paris, FR",b\n',
      everythingTrain,
    );
    expect(dataset.schema.features[0]!.categories).toEqual(['Paris, FR', 'say "hi"\nthere']);
  });

  it('strips a UTF-8 byte order mark', async () => {
    const dataset = await importText('\ufefff,label\n1,a\n2,b\n', everythingTrain);
    expect(dataset.schema.features[0]!.name).toBe('f');
  });

  describe('malformed input names file, line and column', () => {
    it('ragged rows', async () => {
      const good = Array.from({ length: 15 }, (_, i) => `${i},${i},${i},${i % 2}`);
      const text = `a,b,c,label\n${good.join('\n')}\n1,2,3,4,5\n`;
      expect(await importError(text)).toEqual({
        message: 'data.csv: line 17 has 5 fields, expected 4 (delimiter ",")',
        file: 'data.csv',
        line: 17,
        column: undefined,
        code: 'BAD_USER_INPUT',
      });
    });

    it('line numbers count the newlines inside quoted fields', async () => {
      expect(await importError('a,label\n"multi\nline",x\n1\n')).toMatchObject({
        line: 4,
        message: expect.stringContaining('line 4 has 1 fields, expected 2'),
      });
    });

    it('an unknown label column', async () => {
      expect(await importError('a,b\n1,2\n', { label: 'target' })).toMatchObject({
        message: "data.csv: the label column 'target' does not exist; the columns are 'a', 'b'",
        file: 'data.csv',
        column: 'target',
      });
    });

    it('an unknown ignored column', async () => {
      expect(await importError('a,b,label\n1,2,x\n', { ignore: ['a', 'zz'] })).toMatchObject({
        message: "data.csv: the ignored column 'zz' does not exist; the columns are 'a', 'b', 'label'",
        column: 'zz',
      });
    });

    it('ignoring the label', async () => {
      expect(await importError('a,label\n1,x\n', { ignore: ['label'] })).toMatchObject({ column: 'label' });
    });

    it('an empty file', async () => {
      expect(await importError('')).toMatchObject({ message: 'data.csv: is empty', file: 'data.csv' });
      expect(await importError(' \n\r\n')).toMatchObject({ message: 'data.csv: is empty' });
    });

    it('a header without data rows', async () => {
      expect(await importError('a,label\n')).toMatchObject({ message: 'data.csv: has a header row but no data rows' });
    });

    it('no feature columns left', async () => {
      expect(await importError('id,label\n1,a\n2,b\n', { ignore: ['id'] })).toMatchObject({
        message: "data.csv: no feature columns left besides the label 'label' and the ignored columns",
      });
      expect(await importError('label\na\nb\n')).toMatchObject({
        message: expect.stringContaining('no feature columns left'),
      });
    });

    it('a single class', async () => {
      expect(await importError('f,label\n1,a\n2,a\n')).toMatchObject({
        message: `data.csv: label column 'label' has the single class "a"; classification needs at least two`,
        column: 'label',
      });
    });

    it('a missing label', async () => {
      expect(await importError('f,species\n1,a\n2,NA\n3,b\n')).toMatchObject({
        message: "data.csv: line 3: the label 'species' is missing",
        file: 'data.csv',
        line: 3,
        column: 'species',
      });
    });

    it('an unterminated quote', async () => {
      expect(await importError('f,label\n1,a\n2,"b\n3,c\n')).toMatchObject({
        message: 'data.csv: line 3: the quoted value in field 2 is never closed',
        line: 3,
        column: 2,
      });
    });

    it('a repeated column name', async () => {
      expect(await importError('f,g,f,label\n1,2,3,a\n')).toMatchObject({ line: 1, column: 'f' });
    });

    it('binary content and invalid UTF-8', async () => {
      expect(await importError(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]))).toMatchObject({
        message: 'data.csv: is a binary file, not delimited text',
      });
      expect(await importError(new Uint8Array([0x61, 0x2c, 0xff, 0x0a]))).toMatchObject({
        message: expect.stringContaining('is not UTF-8 text'),
      });
    });

    it('an unsupported delimiter option', async () => {
      expect(await importError('a,b\n', { delimiter: '::' })).toMatchObject({
        message: expect.stringContaining('is not supported'),
      });
    });
  });

  describe('caps, each stopping the import at the first line past it', () => {
    const rows = (count: number) => 'x,label\n' + Array.from({ length: count }, (_, i) => `${i},${i % 2}`).join('\n') + '\n';

    it('rows', async () => {
      await expect(importText(rows(10), {}, 'data.csv', { maxRows: 10 })).resolves.toMatchObject({ stats: { rows: 10 } });
      expect(await importError(rows(11), {}, { maxRows: 10 })).toMatchObject({
        message: 'data.csv: has more than 10 rows (LEPTON_IMPORT_MAX_ROWS); the first one past it is line 12',
        line: 12,
      });
    });

    it('columns', async () => {
      expect(await importError('a,b,c,label\n1,2,3,x\n', {}, { maxColumns: 3 })).toMatchObject({
        message: 'data.csv: line 1 has more than 3 fields (LEPTON_IMPORT_MAX_COLUMNS)',
        line: 1,
      });
    });

    it('distinct categories of a feature and of the label', async () => {
      const colors = 'color,label\n' + ['red,a', 'blue,b', 'green,a', 'red,b', 'pink,a'].join('\n') + '\n';
      await expect(importText(colors, everythingTrain, 'data.csv', { maxCategories: 4 })).resolves.toBeDefined();
      expect(await importError(colors, everythingTrain, { maxCategories: 3 })).toMatchObject({
        message: expect.stringMatching(/^data\.csv: line 6: column 'color' has more than 3 distinct values \(LEPTON_IMPORT_MAX_CATEGORIES\)/),
        line: 6,
        column: 'color',
      });
      expect(await importError('f,label\n1,a\n2,b\n3,c\n', {}, { maxCategories: 2 })).toMatchObject({ line: 4, column: 'label' });
    });

    it('cell length', async () => {
      expect(await importError(`f,label\n1,a\n${'9'.repeat(21)},b\n`, {}, { maxCellLength: 20 })).toMatchObject({
        message: 'data.csv: line 3: field 1 is longer than 20 characters (LEPTON_IMPORT_MAX_CELL_LENGTH)',
        line: 3,
        column: 1,
      });
    });

    it('bytes of content, plain and gzipped', async () => {
      const text = rows(100);
      expect(await importError(text, {}, { maxBytes: 100 })).toMatchObject({
        message: 'data.csv: has more than 100 bytes (LEPTON_IMPORT_MAX_BYTES)',
      });
      const gzipped = await importText(gzipSync(text), {}, 'data.csv.gz', { maxBytes: 100 }).catch((error: unknown) => error);
      expect(gzipped).toMatchObject({ message: 'data.csv: decompresses to more than 100 bytes (LEPTON_IMPORT_MAX_BYTES)' });
    });

    it('the compression ratio of a gzipped table, past 1 MiB of text', async () => {
      // 2 MiB of one repeated row gzips to a few KB: a ratio in the hundreds.
      const bomb = gzipSync('x,label\n' + '1,a\n2,b\n'.repeat(256 * 1024));
      const refused = await importText(bomb, {}, 'bomb.csv.gz', { maxCompressionRatio: 50 }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(DatasetImportError);
      expect((refused as Error).message).toMatch(/^bomb\.csv: expands more than 50 times its \d+ compressed bytes.*LEPTON_IMPORT_MAX_COMPRESSION_RATIO/);
      await expect(importText(bomb, {}, 'bomb.csv.gz', { maxCompressionRatio: 5000 })).resolves.toMatchObject({ stats: { rows: 512 * 1024 } });
    });
  });
});
