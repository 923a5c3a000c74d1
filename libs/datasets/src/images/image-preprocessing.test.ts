import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDataset } from '../import/import-dataset';
import { DatasetImportError } from '../shared/dataset-import-error';
import { jpegFile, pngFile, writeTree } from '../testing/fixtures';
import { useTempDir } from '../testing/temp-dir';
import { applyImagePreprocessing } from './image-preprocessing';

const color = (seed: number) => (x: number, y: number) => [(seed * 40 + x * 10) % 256, (y * 50) % 256, seed * 7, 255];

describe('applyImagePreprocessing', () => {
  const dir = useTempDir();

  it('turns each imported image file into exactly the features the import computed', async () => {
    const files = {
      'a/1.png': pngFile(4, 3, color(1), 2),
      'a/2.jpg': jpegFile(4, 3, (x, y) => color(2)(x, y).slice(0, 3)),
      'b/3.png': pngFile(4, 3, (x, y) => [...color(3)(x, y).slice(0, 3), 9], 6),
      'b/4.png': pngFile(4, 3, color(4), 2),
    };
    await writeTree(dir(), files);
    const dataset = await importDataset({ path: dir() }, 'IMAGE_FOLDER');
    if (dataset.preprocessing.kind !== 'image') throw new Error('expected image preprocessing');
    const size = 4 * 3 * 3;
    for (const [index, name] of dataset.source.files.entries()) {
      const out = new Float32Array(size + 2);
      applyImagePreprocessing(dataset.preprocessing, await readFile(join(dir(), name)), name, out, 1);
      expect(out.subarray(1, size + 1)).toEqual(dataset.features.subarray(index * size, (index + 1) * size));
      expect([out[0], out[size + 1]]).toEqual([0, 0]);
    }
  });

  it('refuses an image of another size or channel count, and bytes that are not an image, naming the input', () => {
    const preprocessing = { kind: 'image' as const, scale: 1 / 255, height: 3, width: 4, channels: 3 };
    const out = new Float32Array(36);
    const refusal = (bytes: Uint8Array) => {
      try {
        applyImagePreprocessing(preprocessing, bytes, 'instances[2]', out, 0);
      } catch (error) {
        expect(error).toBeInstanceOf(DatasetImportError);
        return (error as DatasetImportError).message;
      }
      throw new Error('expected a refusal');
    };
    expect(refusal(pngFile(5, 3, color(1), 2))).toBe('instances[2]: is 5×3 but the model takes 4×3 RGB images');
    expect(refusal(jpegFile(4, 4, () => [1, 2, 3]))).toBe('instances[2]: is 4×4 but the model takes 4×3 RGB images');
    expect(refusal(pngFile(4, 3, color(1), 0))).toBe(
      'instances[2]: is 4×3 grayscale but the model takes 4×3 RGB images',
    );
    expect(refusal(new TextEncoder().encode('GIF89a'))).toBe('instances[2]: is neither a PNG nor a JPEG image');
  });
});
