import { describe, expect, it } from 'vitest';
import { importDataset } from '../import/import-dataset';
import { grayJpegFile, jpegFile, pngFile, writeTree } from '../testing/fixtures';
import { useTempDir } from '../testing/temp-dir';

const W = 4;
const H = 3;
const rgb = (seed: number) => (x: number, y: number) => [
  (seed * 40 + x * 10) % 256,
  (y * 50) % 256,
  (seed * 7) % 256,
  255,
];

describe('image folder import', () => {
  const dir = useTempDir();

  it('reads one folder per class through a wrapping folder; RGBA becomes RGB; classes sorted', async () => {
    await writeTree(dir(), {
      'pets/dog/1.png': pngFile(W, H, rgb(1), 2),
      'pets/dog/2.png': pngFile(W, H, (x, y) => [...rgb(2)(x, y).slice(0, 3), 17], 6), // alpha is dropped
      'pets/cat/a.jpg': jpegFile(W, H, (x, y) => rgb(3)(x, y).slice(0, 3)),
      'pets/cat/nested/b.PNG': pngFile(W, H, rgb(4), 2),
      'pets/cat/README.txt': 'not an image',
      'pets/.DS_Store': 'litter',
      '__MACOSX/pets/cat/._a.jpg': 'litter',
    });
    const dataset = await importDataset({ path: dir() }, 'IMAGE_FOLDER');
    expect(dataset.classes).toEqual(['cat', 'dog']);
    expect(dataset.featureShape).toEqual([H, W, 3]);
    expect([...dataset.labels]).toEqual([0, 0, 1, 1]);
    expect(dataset.source.files).toEqual([
      'pets/cat/a.jpg',
      'pets/cat/nested/b.PNG',
      'pets/dog/1.png',
      'pets/dog/2.png',
    ]);
    const image = (index: number) => Array.from(dataset.features.subarray(index * W * H * 3, (index + 1) * W * H * 3));
    const expected = (seed: number) =>
      Array.from({ length: W * H }, (_, p) => rgb(seed)(p % W, Math.floor(p / W)).slice(0, 3))
        .flat()
        .map((v) => Math.fround(v / 255));
    expect(image(1)).toEqual(expected(4));
    expect(image(3)).toEqual(expected(2));
    // JPEG is lossy: close, not equal.
    image(0).forEach((value, i) => expect(Math.abs(value - expected(3)[i]!)).toBeLessThan(0.1));
    expect(dataset.schema).toEqual({
      features: [{ name: 'image', type: 'image' }],
      label: { name: 'label', classes: ['cat', 'dog'] },
    });
  });

  it('keeps grayscale images to one channel', async () => {
    const gray = (level: number) => (x: number) => [level + x, level + x, level + x, 255];
    await writeTree(dir(), { '0/a.png': pngFile(2, 2, gray(10), 0), '1/b.png': pngFile(2, 2, gray(200), 0) });
    const dataset = await importDataset({ path: dir() }, 'IMAGE_FOLDER');
    expect(dataset.featureShape).toEqual([2, 2, 1]);
    expect(Array.from(dataset.features)).toEqual([10, 11, 10, 11, 200, 201, 200, 201].map((v) => Math.fround(v / 255)));
  });

  it('keeps grayscale JPEGs to one channel', async () => {
    const gray = (x: number) => [x, x, x, 255];
    await writeTree(dir(), { 'a/1.jpg': grayJpegFile(), 'b/2.png': pngFile(8, 8, gray, 0) });
    const dataset = await importDataset({ path: dir() }, 'IMAGE_FOLDER');
    expect(dataset.featureShape).toEqual([8, 8, 1]);
    expect(Array.from(dataset.features.subarray(0, 64))).toEqual(new Array(64).fill(Math.fround(128 / 255)));
  });

  it.each([
    [
      'sizes differ',
      { 'a/1.png': pngFile(W, H, rgb(1), 2), 'b/2.png': pngFile(H, W, rgb(1), 2) },
      'b/2.png: is 3×4 RGB but a/1.png is 4×3 RGB; all images must share size and channels',
    ],
    [
      'channels differ',
      { 'a/1.png': pngFile(W, H, rgb(1), 2), 'b/2.png': pngFile(W, H, rgb(1), 0) },
      'b/2.png: is 4×3 grayscale but a/1.png is 4×3 RGB',
    ],
    [
      'there is one class',
      { 'only/1.png': pngFile(W, H, rgb(1), 2), 'only/2.png': pngFile(W, H, rgb(2), 2) },
      "found only the class folder 'only'",
    ],
    [
      'an image is outside any class folder',
      { 'a/1.png': pngFile(W, H, rgb(1), 2), 'loose.png': pngFile(W, H, rgb(1), 2) },
      'loose.png: is not inside a class folder',
    ],
    ['there are no images', { 'a/notes.txt': 'x' }, 'no PNG or JPEG images found'],
    [
      'an image is corrupt',
      { 'a/1.png': pngFile(W, H, rgb(1), 2), 'b/2.jpg': Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]) },
      'b/2.jpg: is not a readable JPEG',
    ],
    [
      'a file is not an image at all',
      { 'a/1.png': pngFile(W, H, rgb(1), 2), 'b/2.png': 'text' },
      'b/2.png: is neither a PNG nor a JPEG image',
    ],
  ])('refuses when %s', async (_case, files, message) => {
    await writeTree(dir(), files);
    await expect(importDataset({ path: dir() }, 'IMAGE_FOLDER')).rejects.toThrow(message);
  });

  it('refuses a PNG whose header declares an enormous image before decoding it', async () => {
    const huge = Buffer.from(pngFile(W, H, rgb(1), 2));
    huge.writeUInt32BE(100_000, 16);
    huge.writeUInt32BE(100_000, 20);
    await writeTree(dir(), { 'a/1.png': huge, 'b/2.png': pngFile(W, H, rgb(1), 2) });
    await expect(importDataset({ path: dir() }, 'IMAGE_FOLDER')).rejects.toThrow(
      'a/1.png: is 100000×100000 pixels, more than the 16777216 allowed per image',
    );
  });
});
