import { importDataset, type PreparedDataset } from '@lepton/datasets';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InferenceError } from '../inference-error';
import { instanceEncoder } from './instance-encoder';

const CSV =
  'age,city,income,label\n31,Paris,1200.5,a\n45,,980,b\nNA,Lyon,1500,a\n60,Paris,?,b\n22,Nice,2000,a\n38,Lyon,870,b\n';
const ROWS = [
  { age: '31', city: 'Paris', income: '1200.5' },
  { age: 45, city: '', income: 980 },
  { age: 'NA', city: 'Lyon', income: 1500 },
  { age: 60, city: 'Paris', income: null },
  { age: '22', city: 'Nice', income: '2000', label: 'a' },
  { age: 38, city: 'Lyon', income: 870 },
];

let dir: string;
let tabular: PreparedDataset;
let images: PreparedDataset;
const pngs: Buffer[] = [];

function grayPng(level: number): Buffer {
  const png = new PNG({ width: 3, height: 2 });
  for (let p = 0; p < 6; p++) png.data.set([level + p, level + p, level + p, 255], p * 4);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 6 });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lepton-encoder-'));
  await writeFile(path.join(dir, 'people.csv'), CSV);
  tabular = await importDataset({ path: path.join(dir, 'people.csv') }, 'CSV', {
    testFraction: 0.2,
    validationFraction: 0,
  });
  for (const [index, level] of [10, 50, 90, 130].entries()) {
    const file = path.join(dir, 'digits', index % 2 ? 'odd' : 'even', `${index}.png`);
    pngs.push(grayPng(level));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, pngs[index]!);
  }
  images = await importDataset({ path: path.join(dir, 'digits') }, 'IMAGE_FOLDER', {
    testFraction: 0.25,
    validationFraction: 0,
  });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function refusal(run: () => unknown): InferenceError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InferenceError);
    expect((error as InferenceError).reason).toBe('INVALID_INPUT');
    return error as InferenceError;
  }
  throw new Error('expected a refusal');
}

describe('instanceEncoder for tabular models', () => {
  it('turns the CSV rows as JSON (numbers or strings, missing markers, the label along) into the imported features', () => {
    const encoder = instanceEncoder(tabular);
    expect(encoder.features).toEqual([
      { name: 'age', type: 'numeric' },
      { name: 'city', type: 'categorical' },
      { name: 'income', type: 'numeric' },
    ]);
    expect(encoder.encode(ROWS)).toEqual(tabular.features);
  });

  it('names the field of every refusal', () => {
    const encoder = instanceEncoder(tabular);
    const row = { age: 31, city: 'Paris', income: 1 };
    expect(refusal(() => encoder.encode([row, { city: 'Paris', income: 1 }])).field).toBe('instances[1].age');
    const unknown = refusal(() => encoder.encode([{ ...row, height: 180 }]));
    expect(unknown.field).toBe('instances[0].height');
    expect(unknown.message).toBe('instances[0].height: unknown feature; the model takes age, city, income');
    const wrongType = refusal(() => encoder.encode([row, row, { ...row, age: true }]));
    expect(wrongType.field).toBe('instances[2].age');
    expect(wrongType.message).toContain('expected a number or null, got a boolean');
    expect(refusal(() => encoder.encode([{ ...row, city: ['Paris'] }])).message).toContain(
      'expected a string or null, got an array',
    );
    const notNumeric = refusal(() => encoder.encode([{ ...row, income: 'lots' }]));
    expect(notNumeric.field).toBe('instances[0].income');
    expect(notNumeric.message).toContain(`is numeric but got "lots"`);
    expect(refusal(() => encoder.encode([42])).message).toMatch(
      /^instances\[0\]: expected an object of named features/,
    );
    expect(refusal(() => encoder.encode([null])).field).toBe('instances[0]');
    const columnar = refusal(() => encoder.encode([row, { ...row, age: 'x' }], (i, f) => `inputs[${f}].data[${i}]`));
    expect(columnar.field).toBe('inputs[age].data[1]');
  });
});

describe('instanceEncoder for image models', () => {
  it('decodes base64 PNGs (bare, in an object, or as a data URL) into the imported features', () => {
    const encoder = instanceEncoder(images);
    expect(encoder.features).toEqual([{ name: 'image', type: 'image' }]);
    // The import orders files by class folder, then name.
    const order = images.source.files.map((file) => Number(path.basename(file, '.png')));
    const instances = order.map((index, i) => {
      const base64 = pngs[index]!.toString('base64');
      return [base64, { image: base64 }, `data:image/png;base64,${base64}`][i % 3]!;
    });
    expect(encoder.encode(instances)).toEqual(images.features);
  });

  it('refuses other sizes, non-images, non-base64 and unknown keys, naming the field', () => {
    const encoder = instanceEncoder(images);
    const wide = new PNG({ width: 4, height: 2 });
    const wrongSize = refusal(() =>
      encoder.encode([pngs[0]!.toString('base64'), PNG.sync.write(wide).toString('base64')]),
    );
    expect(wrongSize.field).toBe('instances[1]');
    expect(wrongSize.message).toBe('instances[1]: is 4×2 but the model takes 3×2 grayscale images');
    expect(refusal(() => encoder.encode([{ image: Buffer.from('GIF89a').toString('base64') }])).message).toBe(
      'instances[0].image: is neither a PNG nor a JPEG image',
    );
    expect(refusal(() => encoder.encode(['not base64!'])).message).toBe(
      'instances[0]: is not base64 (PNG or JPEG bytes)',
    );
    expect(refusal(() => encoder.encode([{ picture: 'AAAA' }])).field).toBe('instances[0].picture');
    expect(refusal(() => encoder.encode([{ image: 7 }])).message).toContain(
      'expected a base64 PNG or JPEG string, got a number',
    );
    expect(refusal(() => encoder.encode([[1, 2]])).field).toBe('instances[0]');
  });
});
