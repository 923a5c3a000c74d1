import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatasetFormat } from '../prepared/prepared-dataset';
import { idxFile, pngFile, tarFile } from '../testing/fixtures';
import { useTempDir } from '../testing/temp-dir';
import { zipFile } from '../testing/zip-writer';
import { importDataset } from './import-dataset';

const CSV = 'f,label\n1,a\n2,b\n3,a\n4,b\n';

describe('importDataset', () => {
  const dir = useTempDir();
  // Scratch folders go to TMPDIR; point it at a folder of our own to see that they are removed.
  let previousTmp: string | undefined;
  const scratch = () => join(dir(), 'tmp');
  beforeEach(async () => {
    previousTmp = process.env['TMPDIR'];
    await mkdir(scratch());
    process.env['TMPDIR'] = scratch();
  });
  afterEach(() => {
    if (previousTmp === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previousTmp;
  });

  async function upload(bytes: Uint8Array | string): Promise<string> {
    const path = join(dir(), 'upload-1234');
    await writeFile(path, bytes);
    return path;
  }

  it('extracts a .tar.gz with a wrapping folder and removes the scratch folder', async () => {
    const path = await upload(
      await tarFile(
        [
          { name: 'iris/data.csv', content: CSV },
          { name: 'iris/README', content: 'x' },
        ],
        true,
      ),
    );
    const dataset = await importDataset({ path, originalName: 'iris.tar.gz' }, 'CSV');
    expect(dataset.source).toEqual({ format: 'CSV', files: ['iris/data.csv'] });
    expect(await readdir(scratch())).toEqual([]);
  });

  it('removes the scratch folder when the import fails too', async () => {
    const path = await upload(await tarFile([{ name: 'data.csv', content: 'f,label\n1,a\n' }], true));
    await expect(importDataset({ path }, 'CSV')).rejects.toThrow('single class');
    expect(await readdir(scratch())).toEqual([]);
  });

  it('gunzips a single .gz and names the file after the upload', async () => {
    const path = await upload(gzipSync(CSV));
    const dataset = await importDataset({ path, originalName: 'C:\\fakepath\\table.csv.gz' }, 'CSV');
    expect(dataset.source.files).toEqual(['table.csv']);
  });

  it('reads MNIST from a zip of .gz files', async () => {
    const labels = Array.from({ length: 10 }, (_, i) => i);
    const path = await upload(
      zipFile([
        { name: 'mnist/t10k-images-idx3-ubyte.gz', content: gzipSync(idxFile([10, 2, 2], new Array(40).fill(9))) },
        { name: 'mnist/t10k-labels-idx1-ubyte.gz', content: gzipSync(idxFile([10], labels)), deflate: true },
      ]),
    );
    const dataset = await importDataset({ path, originalName: 'mnist.zip' }, 'MNIST_IDX');
    expect(dataset.featureShape).toEqual([2, 2, 1]);
    expect([...dataset.labels]).toEqual(labels);
  });

  it('reads an image folder from a zip', async () => {
    const red = pngFile(2, 2, () => [255, 0, 0, 255], 2);
    const blue = pngFile(2, 2, () => [0, 0, 255, 255], 2);
    const path = await upload(
      zipFile([
        { name: 'colors/red/1.png', content: red },
        { name: 'colors/red/2.png', content: red },
        { name: 'colors/blue/1.png', content: blue },
      ]),
    );
    const dataset = await importDataset({ path }, 'IMAGE_FOLDER');
    expect(dataset.classes).toEqual(['blue', 'red']);
    expect(Array.from(dataset.features.subarray(0, 3))).toEqual([0, 0, 1]);
  });

  it('refuses an archive with a traversal entry before importing anything', async () => {
    const path = await upload(zipFile([{ name: '../../evil.csv', content: CSV }]));
    await expect(importDataset({ path, originalName: 'x.zip' }, 'CSV')).rejects.toThrow(
      `x.zip: entry "../../evil.csv" climbs out of the archive with '..'`,
    );
    expect(await readdir(scratch())).toEqual([]);
  });

  it('validates options before touching the input', async () => {
    const missing = { path: join(dir(), 'does-not-exist') };
    await expect(importDataset(missing, 'CSV', { testFraction: 0.7, validationFraction: 0.3 })).rejects.toThrow(
      'testFraction + validationFraction must be below 1',
    );
    await expect(importDataset(missing, 'MNIST_IDX', { label: 'digit', header: false })).rejects.toThrow(
      'label, header only apply to CSV imports, not MNIST_IDX',
    );
    await expect(importDataset(missing, 'PARQUET' as DatasetFormat)).rejects.toThrow(
      'unknown dataset format "PARQUET"',
    );
  });

  it('accepts null options as defaults', async () => {
    const path = await upload(CSV);
    const dataset = await importDataset({ path }, 'CSV', {
      label: null,
      ignore: null,
      delimiter: null,
      header: null,
      testFraction: null,
      validationFraction: null,
      seed: null,
    });
    expect(dataset.stats).toMatchObject({ splitOptions: { testFraction: 0.2, validationFraction: 0.1, seed: 42 } });
  });

  it('refuses an empty folder', async () => {
    await mkdir(join(dir(), 'empty'));
    await expect(importDataset({ path: join(dir(), 'empty') }, 'CSV')).rejects.toThrow('the upload contains no files');
  });
});
