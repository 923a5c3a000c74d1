import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDataset } from '../import/import-dataset';
import type { ImportOptions } from '../import/import-options';
import { DatasetImportError } from '../shared/dataset-import-error';
import { idxFile, writeTree } from '../testing/fixtures';
import { useTempDir } from '../testing/temp-dir';
import type { PreparedDataset } from './prepared-dataset';
import {
  DATASET_MANIFEST,
  deserializePreparedDataset,
  readDatasetDescription,
  serializePreparedDataset,
} from './serialize-prepared-dataset';

const CSV = 'age,city,label\n31,Paris,a\n45,,b\nNA,Lyon,a\n60,Paris,b\n22,Nice,a\n38,Lyon,b\n';

describe('serializePreparedDataset / deserializePreparedDataset', () => {
  const dir = useTempDir();

  async function tabular(text = CSV, options: ImportOptions = {}): Promise<PreparedDataset> {
    const path = join(dir(), 'upload');
    await writeFile(path, text);
    return importDataset({ path, originalName: 'people.csv' }, 'CSV', options);
  }

  async function image(): Promise<PreparedDataset> {
    const pixels = Array.from({ length: 20 * 16 }, (_, i) => (i * 37) % 256);
    await writeTree(dir(), {
      'mnist/images-idx3-ubyte': idxFile([20, 4, 4], pixels),
      'mnist/labels-idx1-ubyte': idxFile(
        [20],
        Array.from({ length: 20 }, (_, i) => i % 10),
      ),
    });
    return importDataset({ path: join(dir(), 'mnist') }, 'MNIST_IDX');
  }

  it('round-trips a tabular dataset exactly, storing float32 features', async () => {
    const dataset = await tabular();
    const serialized = serializePreparedDataset(dataset);
    expect(Object.keys(serialized.files).sort()).toEqual([
      'features.f32',
      'labels.i32',
      'manifest.json',
      'splits/test.i32',
      'splits/train.i32',
      'splits/validation.i32',
    ]);
    expect(serialized.exampleCount).toBe(6);
    expect(serialized.sizeBytes).toBe(Object.values(serialized.files).reduce((sum, bytes) => sum + bytes.length, 0));
    expect(serialized.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(deserializePreparedDataset(serialized.files)).toEqual(dataset);
  });

  it('describes a dataset from its manifest alone: kind, shape, classes, preprocessing and schema', async () => {
    const dataset = await tabular();
    const { files } = serializePreparedDataset(dataset);
    expect(readDatasetDescription(files[DATASET_MANIFEST]!)).toEqual({
      kind: dataset.kind,
      featureShape: dataset.featureShape,
      classes: dataset.classes,
      preprocessing: dataset.preprocessing,
      schema: dataset.schema,
    });
    expect(() => readDatasetDescription(new TextEncoder().encode('{}'))).toThrow(DatasetImportError);
  });

  it('stores image features as bytes + scale and restores the same float32 values', async () => {
    const dataset = await image();
    const serialized = serializePreparedDataset(dataset);
    expect(serialized.files['features.u8']).toHaveLength(20 * 16);
    expect(serialized.files['features.f32']).toBeUndefined();
    expect(deserializePreparedDataset(serialized.files)).toEqual(dataset);
  });

  it('falls back to float32 when image features are no longer whole multiples of the scale', async () => {
    const dataset = await image();
    dataset.features[3] = 0.123;
    const serialized = serializePreparedDataset(dataset);
    expect(serialized.files['features.f32']).toHaveLength(20 * 16 * 4);
    expect(deserializePreparedDataset(serialized.files).features).toEqual(dataset.features);
  });

  it('gives the same hash for the same input and options, run after run', async () => {
    const first = serializePreparedDataset(await tabular());
    const second = serializePreparedDataset(await tabular());
    expect(second.contentSha256).toBe(first.contentSha256);
    // The manifest is canonical: keys sorted at every depth, no whitespace.
    const manifest = new TextDecoder().decode(first.files['manifest.json']);
    expect(manifest.startsWith('{"arrays":{"features":{"dtype":"float32","file":"features.f32","length":')).toBe(true);
    expect(JSON.parse(manifest)).toMatchObject({ formatVersion: 1, kind: 'tabular', exampleCount: 6 });
  });

  it('changes the hash when any input or option changes', async () => {
    const base = serializePreparedDataset(await tabular()).contentSha256;
    const variants = [
      await tabular(CSV.replace('31,Paris', '32,Paris')),
      await tabular(CSV, { seed: 7 }),
      await tabular(CSV, { testFraction: 0.3 }),
      await tabular(CSV, { ignore: ['city'] }),
      await tabular(CSV.replace('city', 'town')),
    ];
    const hashes = variants.map((dataset) => serializePreparedDataset(dataset).contentSha256);
    expect(new Set([base, ...hashes]).size).toBe(variants.length + 1);
  });

  describe('refuses damaged or foreign files', () => {
    async function serialized() {
      return serializePreparedDataset(await tabular()).files;
    }

    function manifestWith(files: Record<string, Uint8Array>, change: (manifest: Record<string, unknown>) => void) {
      const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Record<string, unknown>;
      change(manifest);
      return { ...files, 'manifest.json': new TextEncoder().encode(JSON.stringify(manifest)) };
    }

    it('an unknown format version', async () => {
      const files = manifestWith(await serialized(), (manifest) => {
        manifest['formatVersion'] = 2;
      });
      expect(() => deserializePreparedDataset(files)).toThrow(
        'manifest.json: has format version 2; this reader understands version 1',
      );
    });

    it('a missing or truncated array', async () => {
      const { 'labels.i32': _labels, ...withoutLabels } = await serialized();
      expect(() => deserializePreparedDataset(withoutLabels)).toThrow(
        'labels.i32: is missing from the serialized dataset',
      );
      const files = await serialized();
      expect(() =>
        deserializePreparedDataset({ ...files, 'features.f32': files['features.f32']!.subarray(4) }),
      ).toThrow('features.f32: has 68 bytes, expected 72 (18 × float32)');
    });

    it('corrupted bytes', async () => {
      const files = await serialized();
      const labels = Uint8Array.from(files['labels.i32']!);
      labels[0] = 1 - labels[0]!;
      expect(() => deserializePreparedDataset({ ...files, 'labels.i32': labels })).toThrow(
        'labels.i32: does not match the sha256 recorded in the manifest',
      );
    });

    it('a manifest that is not JSON or lacks fields', async () => {
      const files = await serialized();
      expect(() => deserializePreparedDataset({ ...files, 'manifest.json': new Uint8Array([1, 2]) })).toThrow(
        DatasetImportError,
      );
      const broken = manifestWith(files, (manifest) => {
        delete manifest['classes'];
      });
      expect(() => deserializePreparedDataset(broken)).toThrow('manifest.json: has a missing or invalid classes');
    });

    it('arrays that disagree with each other', async () => {
      const dataset = await tabular();
      const overlapping = { ...dataset, splits: { ...dataset.splits, test: dataset.splits.train } };
      expect(() => serializePreparedDataset(overlapping)).toThrow('prepared dataset has example');
      expect(() => serializePreparedDataset({ ...dataset, featureShape: [4] })).toThrow(
        'prepared dataset has 18 feature values for 6 examples of shape [4]',
      );
    });
  });
});
