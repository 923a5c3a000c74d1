import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DatasetImportError } from '../shared/dataset-import-error';
import { tarFile, type TarEntry } from '../testing/fixtures';
import { useTempDir } from '../testing/temp-dir';
import { zipFile, type ZipEntry } from '../testing/zip-writer';
import { extractArchive } from './extract-archive';

describe('extractArchive', () => {
  const dir = useTempDir();
  const out = () => join(dir(), 'out');

  async function archive(name: string, bytes: Uint8Array): Promise<string> {
    const path = join(dir(), name);
    await writeFile(path, bytes);
    return path;
  }

  /** The error, after checking that nothing appeared next to the destination. */
  async function refusal(path: string, limits?: { maxFiles?: number; maxBytes?: number }) {
    const before = await readdir(dir());
    const error = await extractArchive(path, out(), limits).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DatasetImportError);
    const after = (await readdir(dir())).filter((name) => name !== 'out');
    expect(after.sort()).toEqual(before.filter((name) => name !== 'out').sort());
    expect(existsSync(join(dir(), 'evil'))).toBe(false);
    return (error as DatasetImportError).message;
  }

  const content = { 'data/a.csv': 'x,label\n1,a\n', 'data/sub/b.txt': 'hello' };

  it.each([
    ['tar.gz', true],
    ['tar', false],
  ])('extracts a .%s, keeping a wrapping folder', async (_kind, gzip) => {
    const entries: TarEntry[] = [
      { name: 'data/', type: 'directory' },
      ...Object.entries(content).map(([name, text]) => ({ name, content: text })),
    ];
    const path = await archive('upload', await tarFile(entries, gzip));
    expect(await extractArchive(path, out())).toEqual(['data/a.csv', 'data/sub/b.txt']);
    expect(await readFile(join(out(), 'data/sub/b.txt'), 'utf8')).toBe('hello');
  });

  it('extracts a .zip with stored and deflated entries', async () => {
    const path = await archive(
      'upload',
      zipFile([
        { name: 'data/' },
        { name: 'data/a.csv', content: content['data/a.csv'] },
        { name: 'data/sub/b.txt', content: content['data/sub/b.txt'], deflate: true },
      ]),
    );
    expect(await extractArchive(path, out())).toEqual(['data/a.csv', 'data/sub/b.txt']);
    expect(await readFile(join(out(), 'data/a.csv'), 'utf8')).toBe(content['data/a.csv']);
  });

  it('gunzips a single .gz under its name without .gz', async () => {
    const path = await archive('table.csv.gz', gzipSync('a,b\n'));
    expect(await extractArchive(path, out())).toEqual(['table.csv']);
    expect(await readFile(join(out(), 'table.csv'), 'utf8')).toBe('a,b\n');
  });

  describe('refuses hostile archives and writes nothing outside the destination', () => {
    it.each<[string, TarEntry[], string]>([
      ['a ../ entry', [{ name: '../evil', content: 'x' }], `entry "../evil" climbs out of the archive with '..'`],
      [
        'a nested ../ entry',
        [{ name: 'ok/../../evil', content: 'x' }],
        `entry "ok/../../evil" climbs out of the archive`,
      ],
      ['an absolute path', [{ name: '/tmp/evil', content: 'x' }], 'entry "/tmp/evil" is an absolute path'],
      [
        'a symbolic link',
        [
          { name: 'link', type: 'symlink', linkname: '/etc' },
          { name: 'link/evil', content: 'x' },
        ],
        'entry "link" is a symlink',
      ],
      [
        'a hard link',
        [
          { name: 'a', content: 'x' },
          { name: 'b', type: 'link', linkname: '../../etc/passwd' },
        ],
        'entry "b" is a link',
      ],
    ])('tar.gz with %s', async (_case, entries, message) => {
      const path = await archive('evil.tar.gz', await tarFile(entries, true));
      expect(await refusal(path)).toContain(`evil.tar.gz: ${message}`);
    });

    it.each<[string, ZipEntry[], string]>([
      ['a ../ entry', [{ name: '../evil', content: 'x' }], "climbs out of the archive with '..'"],
      ['a backslash ..\\ entry', [{ name: '..\\evil', content: 'x' }], "climbs out of the archive with '..'"],
      ['an absolute path', [{ name: '/tmp/evil', content: 'x' }], 'is an absolute path'],
      ['a drive letter', [{ name: 'C:/evil', content: 'x' }], 'is an absolute path'],
      ['a symbolic link', [{ name: 'link', content: '/etc', mode: 0o120777 }], 'entry "link" is a symbolic link'],
    ])('zip with %s', async (_case, entries, message) => {
      const path = await archive('evil.zip', zipFile(entries));
      expect(await refusal(path)).toContain(`evil.zip: entry`);
      expect(await refusal(path)).toContain(message);
    });

    it('duplicate entries do not overwrite each other', async () => {
      const path = await archive(
        'dup.zip',
        zipFile([
          { name: 'a', content: 'first' },
          { name: 'a', content: 'second' },
        ]),
      );
      expect(await refusal(path)).toBe('dup.zip: entry "a" collides with another entry of the same name');
      expect(await readFile(join(out(), 'a'), 'utf8')).toBe('first');
    });
  });

  describe('limits', () => {
    it('caps the number of files', async () => {
      const path = await archive(
        'many.tar.gz',
        await tarFile(
          [1, 2, 3].map((i) => ({ name: `f${i}`, content: 'x' })),
          true,
        ),
      );
      expect(await refusal(path, { maxFiles: 2 })).toBe('many.tar.gz: holds more than 2 files');
    });

    it('caps total bytes, by declared size before writing', async () => {
      const path = await archive('big.zip', zipFile([{ name: 'zeros', content: new Uint8Array(5000), deflate: true }]));
      expect(await refusal(path, { maxBytes: 1000 })).toBe(
        'big.zip: expands to more than 1000 bytes (at entry "zeros")',
      );
    });

    it('stops a zip bomb that understates its size', async () => {
      const bomb = zipFile([{ name: 'bomb', content: new Uint8Array(2_000_000), deflate: true, declaredSize: 100 }]);
      expect(bomb.length).toBeLessThan(5000);
      const path = await archive('bomb.zip', bomb);
      // yauzl checks actual against declared sizes (validateEntrySizes); the byte meter backs it up.
      expect(await refusal(path, { maxBytes: 10_000 })).toMatch(
        /^bomb\.zip: is not a valid zip archive \(too many bytes in the stream\. expected 100\./,
      );
    });

    it('stops a .gz bomb while inflating', async () => {
      const path = await archive('bomb.gz', gzipSync(new Uint8Array(2_000_000)));
      expect(await refusal(path, { maxBytes: 10_000 })).toBe(
        'bomb.gz: expands to more than 10000 bytes (at entry "bomb")',
      );
    });

    it('stops a tar.gz whose entries add up beyond the limit', async () => {
      const entries = [1, 2, 3].map((i) => ({ name: `f${i}`, content: new Uint8Array(4000) }));
      const path = await archive('sum.tar.gz', await tarFile(entries, true));
      expect(await refusal(path, { maxBytes: 10_000 })).toBe(
        'sum.tar.gz: expands to more than 10000 bytes (at entry "f3")',
      );
    });
  });

  it('refuses files that are not archives, and corrupt archives', async () => {
    const plain = await archive('data.csv', new TextEncoder().encode('a,b\n'));
    expect(await refusal(plain)).toBe('data.csv: is not a .tar.gz, .tgz, .tar, .zip or .gz archive');
    // Incompressible content, so that the cut falls inside the tar stream, not the gzip header.
    const tar = await tarFile([{ name: 'a', content: randomBytes(5000) }], true);
    const truncated = await archive('cut.tar.gz', tar.subarray(0, tar.length - 40));
    expect(await refusal(truncated)).toMatch(/^cut\.tar\.gz: is not a valid tar\.gz archive/);
  });

  it('insists on an empty destination, where no link can redirect writes', async () => {
    const path = await archive('a.zip', zipFile([{ name: 'a', content: 'x' }]));
    await extractArchive(path, out());
    await expect(extractArchive(path, out())).rejects.toThrow('is not empty');
  });
});
