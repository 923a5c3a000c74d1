import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArtifactKeyError, ArtifactNotFoundError } from './artifact-errors';
import { createLocalArtifactStore } from './local-artifact-store';
import { hostileKeys } from './testing/test-keys';

let sandbox: string;
let root: string;

beforeEach(async () => {
  sandbox = await mkdtemp(path.join(os.tmpdir(), 'lepton-local-store-'));
  root = path.join(sandbox, 'store');
});
afterEach(async () => {
  await rm(sandbox, { recursive: true, force: true });
});

/** Every entry under `dir`, symlinks not followed, with a marker for its type. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .map((entry) => {
      const name = path.relative(dir, path.join(entry.parentPath, entry.name));
      return entry.isSymbolicLink() ? `${name} ->` : entry.isDirectory() ? `${name}/` : name;
    })
    .sort();
}

describe('local artifact store', () => {
  it('writes each key as a file under the root and returns its file:// URI', async () => {
    const store = createLocalArtifactStore(root);
    const stored = await store.put('datasets/mnist/v1/train.csv', 'a,b\n1,2\n');
    expect(await readFile(path.join(root, 'datasets', 'mnist', 'v1', 'train.csv'), 'utf8')).toBe('a,b\n1,2\n');
    expect(stored.uri).toBe(pathToFileURL(path.join(root, 'datasets/mnist/v1/train.csv')).href);
    expect(stored.uri).toMatch(/^file:\/\/\//);
  });

  it('does not create the root until something is written', async () => {
    const store = createLocalArtifactStore(root);
    expect(await store.list('')).toEqual([]);
    expect(await store.exists('a')).toBe(false);
    await expect(store.get('a')).rejects.toBeInstanceOf(ArtifactNotFoundError);
    await store.deletePrefix('a');
    expect(await readdir(sandbox)).toEqual([]);
  });

  it('hostile keys write, read and delete nothing inside or outside the root', async () => {
    await mkdir(root);
    await writeFile(path.join(sandbox, 'outside.txt'), 'outside');
    const store = createLocalArtifactStore(root);
    await store.put('inside/file.txt', 'inside');
    const before = await tree(sandbox);
    const source = path.join(sandbox, 'outside.txt');

    for (const [label, key] of hostileKeys(path.join(sandbox, 'escape'))) {
      await expect(store.put(key, 'pwned'), label).rejects.toBeInstanceOf(ArtifactKeyError);
      await expect(store.putFile(key, source), label).rejects.toBeInstanceOf(ArtifactKeyError);
      await expect(store.download(key, path.join(sandbox, 'downloaded')), label).rejects.toBeInstanceOf(
        ArtifactKeyError,
      );
      if (label === 'trailing slash') continue; // a valid folder prefix
      await expect(store.deletePrefix(key), label).rejects.toBeInstanceOf(ArtifactKeyError);
    }
    // Prefixes that would reach the sandbox or the root itself.
    for (const prefix of ['..', '../', '.', './', 'inside/..', `${sandbox}`, '//']) {
      await expect(store.deletePrefix(prefix), prefix).rejects.toBeInstanceOf(ArtifactKeyError);
      await expect(store.list(prefix), prefix).rejects.toBeInstanceOf(ArtifactKeyError);
    }

    expect(await tree(sandbox)).toEqual(before);
    expect(await readFile(path.join(sandbox, 'outside.txt'), 'utf8')).toBe('outside');
  });

  it('refuses keys with segments longer than file names can be', async () => {
    const store = createLocalArtifactStore(root);
    await expect(store.put(`a/${'x'.repeat(256)}`, 'x')).rejects.toBeInstanceOf(ArtifactKeyError);
    await store.put(`a/${'x'.repeat(255)}`, 'x');
    expect(await store.list('a')).toEqual([`a/${'x'.repeat(255)}`]);
  });

  it('refuses a key that would need an artifact to be a folder, or a folder to be an artifact', async () => {
    const store = createLocalArtifactStore(root);
    await store.put('models/m', 'file');
    await store.put('runs/1/model.bin', 'file');

    await expect(store.put('models/m/1', 'x')).rejects.toBeInstanceOf(ArtifactKeyError);
    await expect(store.put('runs/1', 'x')).rejects.toBeInstanceOf(ArtifactKeyError);
    expect(await store.list('')).toEqual(['models/m', 'runs/1/model.bin']);
  });

  it('keeps an unfinished write in a dot-file of the same folder, invisible until it is renamed', async () => {
    const store = createLocalArtifactStore(root);
    const body = new PassThrough();
    const putting = store.put('ckpt/step-1.bin', body);
    body.write('partial');
    const folder = path.join(root, 'ckpt');
    await expect.poll(async () => (await readdir(folder).catch(() => [])).length).toBe(1);

    const [temp] = await readdir(folder);
    expect(temp).toMatch(/^\.tmp-/);
    expect(await store.exists('ckpt/step-1.bin')).toBe(false);
    expect(await store.list('')).toEqual([]);

    body.end(' and the rest');
    await putting;
    expect(await readdir(folder)).toEqual(['step-1.bin']);
    expect((await store.get('ckpt/step-1.bin')).toString()).toBe('partial and the rest');
  });

  // Local only: S3 itself makes each PUT atomic, but s3rver writes concurrent PUTs into one file.
  it('concurrent puts to one key leave one complete body', async () => {
    const store = createLocalArtifactStore(root);
    const a = Buffer.alloc(3_000_000, 'a');
    const b = Buffer.alloc(2_000_000, 'b');
    // Many chunks each, so the two writes interleave.
    const inChunks = (data: Buffer, size = 65_536) =>
      Readable.from(Array.from({ length: data.length / size + 1 }, (_, i) => data.subarray(i * size, (i + 1) * size)));
    await Promise.all([store.put('race', inChunks(a)), store.put('race', inChunks(b))]);
    expect([a, b]).toContainEqual(await store.get('race'));
    expect(await readdir(root)).toEqual(['race']);
  });

  it('a failed write leaves no temp file behind', async () => {
    const store = createLocalArtifactStore(root);
    await store.put('ckpt/kept.bin', 'kept');
    const failing = new Readable({
      read() {
        this.push('some bytes');
        this.destroy(new Error('disk producer died'));
      },
    });
    await expect(store.put('ckpt/lost.bin', failing)).rejects.toThrow('disk producer died');
    expect(await readdir(path.join(root, 'ckpt'))).toEqual(['kept.bin']);
  });

  it('list skips files that are not artifacts (temp files, foreign names)', async () => {
    const store = createLocalArtifactStore(root);
    await store.put('ds/a.bin', 'a');
    await writeFile(path.join(root, 'ds', '.tmp-left-over'), 'x');
    await writeFile(path.join(root, 'ds', 'has space'), 'x');
    expect(await store.list('')).toEqual(['ds/a.bin']);
  });

  it('works when the root itself is a symlink', async () => {
    const real = path.join(sandbox, 'real-store');
    await mkdir(real);
    await symlink(real, root);
    const store = createLocalArtifactStore(root);
    await store.put('a/b', 'through the link');
    expect((await store.get('a/b')).toString()).toBe('through the link');
    expect(await readFile(path.join(real, 'a', 'b'), 'utf8')).toBe('through the link');
    expect(await store.list('')).toEqual(['a/b']);
    await store.deletePrefix('a');
    expect(await readdir(real)).toEqual([]);
  });

  describe('symlinks inside the root that point outside it', () => {
    let outside: string;

    beforeEach(async () => {
      outside = path.join(sandbox, 'outside');
      await mkdir(outside);
      await writeFile(path.join(outside, 'secret.txt'), 'secret');
      await mkdir(root);
      await symlink(outside, path.join(root, 'link'));
      await symlink(path.join(outside, 'secret.txt'), path.join(root, 'secret-link'));
      await symlink(path.join(sandbox, 'nowhere'), path.join(root, 'dangling'));
      await symlink(root, path.join(root, 'self'));
    });

    it('refuses writes through them and creates nothing outside', async () => {
      const store = createLocalArtifactStore(root);
      const source = path.join(outside, 'secret.txt');
      for (const key of ['link/pwned', 'link/sub/pwned', 'dangling/pwned', 'dangling/sub/pwned']) {
        await expect(store.put(key, 'pwned'), key).rejects.toBeInstanceOf(ArtifactKeyError);
        await expect(store.putFile(key, source), key).rejects.toBeInstanceOf(ArtifactKeyError);
      }
      expect(await tree(outside)).toEqual(['secret.txt']);
      expect(await readdir(sandbox)).toEqual(['outside', 'store']);
    });

    it('refuses reads through them', async () => {
      const store = createLocalArtifactStore(root);
      for (const key of ['link/secret.txt', 'secret-link']) {
        await expect(store.get(key), key).rejects.toBeInstanceOf(ArtifactKeyError);
        await expect(store.getStream(key), key).rejects.toBeInstanceOf(ArtifactKeyError);
        await expect(store.exists(key), key).rejects.toBeInstanceOf(ArtifactKeyError);
        await expect(store.download(key, path.join(sandbox, 'copy')), key).rejects.toBeInstanceOf(ArtifactKeyError);
      }
      await expect(store.list('link')).rejects.toBeInstanceOf(ArtifactKeyError);
      expect(await store.list('')).toEqual([]);
      expect(await readdir(sandbox)).toEqual(['outside', 'store']);
    });

    it('refuses deletes through them, including a link back to the root', async () => {
      const store = createLocalArtifactStore(root);
      await store.put('kept', 'kept');
      for (const prefix of ['link', 'link/', 'self']) {
        await expect(store.deletePrefix(prefix), prefix).rejects.toBeInstanceOf(ArtifactKeyError);
      }
      expect(await tree(outside)).toEqual(['secret.txt']);
      expect(await store.list('')).toEqual(['kept']);
    });

    it('writing over a file symlink replaces the link, not its target', async () => {
      const store = createLocalArtifactStore(root);
      await store.put('secret-link', 'new content');
      expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('secret');
      expect((await lstat(path.join(root, 'secret-link'))).isFile()).toBe(true);
      expect((await store.get('secret-link')).toString()).toBe('new content');
    });
  });

  it('keyFromUri rejects a sibling root that shares the name as a prefix', async () => {
    const store = createLocalArtifactStore(root);
    expect(() => store.keyFromUri(pathToFileURL(`${root}-evil/a`).href)).toThrow(ArtifactKeyError);
    expect(() => store.keyFromUri(pathToFileURL(path.join(root, '..', 'a')).href)).toThrow(ArtifactKeyError);
    expect(() => store.keyFromUri(`${pathToFileURL(root).href}/../a`)).toThrow(ArtifactKeyError);
    expect(store.keyFromUri(pathToFileURL(path.join(root, 'a/b')).href)).toBe('a/b');
  });
});
