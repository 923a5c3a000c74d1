import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactKeyError, ArtifactNotFoundError } from './artifact-errors';
import type { ArtifactStore } from './artifact-store';
import { createLocalArtifactStore } from './local-artifact-store';
import { createS3ArtifactStore } from './s3-artifact-store';
import { hostileKeys, longKey } from './testing/test-keys';
import { S3RVER_CREDENTIALS, type S3TestServer, startS3TestServer } from './testing/s3-test-server';

/** One store per test, on its own folder or bucket, so tests share nothing. */
interface Fixture {
  store: ArtifactStore;
  /** The longest key this store takes (an S3 prefix uses part of S3's 1024-byte limit). */
  maxKeyLength: number;
  /** Where a hostile absolute key would land if it got through. */
  outsideFile: string;
  /** The URI uri() must produce for `key`, worked out independently of the store. */
  expectedUri(key: string): string;
  /** Everything in the backing storage, including anything outside the store's root or prefix. */
  rawContents(): Promise<string[]>;
  /** Another store of the same kind next to this one (a sibling folder, another bucket). */
  neighbour(): Promise<ArtifactStore>;
}

let s3: S3TestServer;
const tempDirs: string[] = [];

beforeAll(async () => {
  s3 = await startS3TestServer();
});
afterAll(async () => {
  await s3.close();
});
afterEach(async () => {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lepton-artifacts-'));
  tempDirs.push(dir);
  return dir;
}

async function localFixture(): Promise<Fixture> {
  const sandbox = await tempDir();
  const root = path.join(sandbox, 'store');
  return {
    store: createLocalArtifactStore(root),
    maxKeyLength: 1024,
    outsideFile: path.join(sandbox, 'escape'),
    expectedUri: (key) => pathToFileURL(path.join(root, key)).href,
    rawContents: async () => (await readdir(sandbox, { recursive: true })).sort(),
    neighbour: async () => createLocalArtifactStore(`${root}-other`),
  };
}

async function s3Fixture(): Promise<Fixture> {
  const bucket = await s3.createBucket();
  const open = (name: string, prefix?: string) =>
    createS3ArtifactStore({
      bucket: name,
      prefix,
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
    });
  return {
    store: open(bucket, 'lepton/artifacts'),
    maxKeyLength: 1024 - 'lepton/artifacts/'.length,
    outsideFile: '/escape',
    expectedUri: (key) => `s3://${bucket}/lepton/artifacts/${key}`,
    rawContents: async () => {
      const { Contents = [] } = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket }));
      return Contents.map((object) => object.Key ?? '').sort();
    },
    neighbour: async () => open(await s3.createBucket(), 'lepton/artifacts'),
  };
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** Odd-sized chunks, so part boundaries never line up with chunk boundaries. */
function chunked(data: Buffer, chunkSize = 65_521): Readable {
  return Readable.from(
    (function* () {
      for (let start = 0; start < data.length; start += chunkSize) yield data.subarray(start, start + chunkSize);
    })(),
  );
}

/** Sends `head`, then fails: a producer that dies half way. */
function failingStream(head: Buffer, error: Error): Readable {
  return new Readable({
    read() {
      if (head.length > 0) {
        this.push(head);
        head = Buffer.alloc(0);
      } else {
        this.destroy(error);
      }
    },
  });
}

async function hashStream(stream: NodeJS.ReadableStream): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: hash.digest('hex') };
}

describe.each([
  ['local', localFixture],
  ['s3', s3Fixture],
] as const)('%s artifact store', (kind, setup) => {
  it('reports its kind', async () => {
    const { store } = await setup();
    expect(store.kind).toBe(kind);
  });

  it('stores every body type and reports size and sha256 of the bytes', async () => {
    const { store, expectedUri } = await setup();
    const text = 'héllo ✓';
    const bytes = Buffer.from(text, 'utf8');
    const bodies = {
      'string.txt': text,
      'buffer.bin': Buffer.from(bytes),
      'uint8array.bin': new Uint8Array(bytes),
      'string-chunks.txt': Readable.from(['hé', 'llo', ' ✓']),
    };
    for (const [key, body] of Object.entries(bodies)) {
      const stored = await store.put(`bodies/${key}`, body);
      expect(stored).toEqual({
        key: `bodies/${key}`,
        uri: expectedUri(`bodies/${key}`),
        size: bytes.length,
        sha256: sha256(bytes),
      });
      expect(await store.get(`bodies/${key}`)).toEqual(bytes);
    }
  });

  it('stores an empty body', async () => {
    const { store } = await setup();
    expect(await store.put('empty', '')).toMatchObject({ size: 0, sha256: sha256('') });
    expect(await store.get('empty')).toEqual(Buffer.alloc(0));
    expect(await store.exists('empty')).toBe(true);
  });

  it('streams a ~20 MB body in and out with matching size and sha256', async () => {
    const { store } = await setup();
    const data = randomBytes(20 * 1024 * 1024 + 12_345);
    const reference = { size: data.length, sha256: sha256(data) };

    expect(await store.put('checkpoints/run-1/model.bin', chunked(data))).toMatchObject(reference);
    expect(await hashStream(await store.getStream('checkpoints/run-1/model.bin'))).toEqual(reference);
    const whole = await store.get('checkpoints/run-1/model.bin');
    expect({ size: whole.length, sha256: sha256(whole) }).toEqual(reference);
  });

  it('putFile uploads a file, download writes it into a new folder without leftovers', async () => {
    const { store } = await setup();
    const dir = await tempDir();
    const data = randomBytes(100_000);
    await writeFile(path.join(dir, 'source.bin'), data);

    expect(await store.putFile('datasets/d/v1/data.bin', path.join(dir, 'source.bin'))).toMatchObject({
      size: data.length,
      sha256: sha256(data),
    });
    const target = path.join(dir, 'out', 'nested', 'data.bin');
    await store.download('datasets/d/v1/data.bin', target);
    expect(await readFile(target)).toEqual(data);
    expect(await readdir(path.join(dir, 'out', 'nested'))).toEqual(['data.bin']);
  });

  it('putFile of a missing file rejects and stores nothing', async () => {
    const { store } = await setup();
    const dir = await tempDir();
    await expect(store.putFile('a', path.join(dir, 'missing.bin'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await store.exists('a')).toBe(false);
    expect(await store.list('')).toEqual([]);
  });

  it('overwrites a key with the new content', async () => {
    const { store } = await setup();
    await store.put('models/m/1/model.onnx', 'first version');
    await store.put('models/m/1/model.onnx', 'second');
    expect((await store.get('models/m/1/model.onnx')).toString()).toBe('second');
    expect(await store.list('models')).toEqual(['models/m/1/model.onnx']);
  });

  it('a body that fails half way stores nothing and keeps the previous content', async () => {
    const { store } = await setup();
    await store.put('kept', 'previous');
    // Past one 8 MiB part, so the S3 store is in a multipart upload when the body fails.
    const head = randomBytes(9 * 1024 * 1024);
    const failure = new Error('producer crashed');

    await expect(store.put('kept', failingStream(head, failure))).rejects.toBe(failure);
    await expect(store.put('fresh', failingStream(head, failure))).rejects.toBe(failure);

    expect((await store.get('kept')).toString()).toBe('previous');
    expect(await store.exists('fresh')).toBe(false);
    expect(await store.list('')).toEqual(['kept']);
  });

  it('a body still being written is not visible', async () => {
    const { store } = await setup();
    const body = new PassThrough();
    const putting = store.put('in-progress', body);
    body.write(randomBytes(1024 * 1024));
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(await store.exists('in-progress')).toBe(false);
    expect(await store.list('')).toEqual([]);
    body.end('tail');
    expect(await putting).toMatchObject({ size: 1024 * 1024 + 4 });
    expect(await store.exists('in-progress')).toBe(true);
  });

  it('missing keys raise ArtifactNotFoundError, and exists() says false', async () => {
    const { store } = await setup();
    await store.put('folder/child', 'x');
    const dir = await tempDir();
    // Never written, and a "folder": neither is an artifact.
    for (const key of ['never-written', 'folder', 'folder/child/grandchild']) {
      await expect(store.get(key)).rejects.toBeInstanceOf(ArtifactNotFoundError);
      await expect(store.get(key)).rejects.toMatchObject({ code: 'NOT_FOUND', key });
      await expect(store.getStream(key)).rejects.toBeInstanceOf(ArtifactNotFoundError);
      await expect(store.download(key, path.join(dir, 'out', 'file'))).rejects.toBeInstanceOf(ArtifactNotFoundError);
      expect(await store.exists(key)).toBe(false);
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('lists the keys under a folder prefix, sorted', async () => {
    const { store } = await setup();
    const keys = ['ds/b/2.bin', 'ds/a.bin', 'ds/b/1.bin', 'ds-other/x.bin', 'dsx', 'other/ds/y.bin'];
    for (const key of keys) await store.put(key, key);

    expect(await store.list('ds')).toEqual(['ds/a.bin', 'ds/b/1.bin', 'ds/b/2.bin']);
    expect(await store.list('ds/')).toEqual(['ds/a.bin', 'ds/b/1.bin', 'ds/b/2.bin']);
    expect(await store.list('ds/b')).toEqual(['ds/b/1.bin', 'ds/b/2.bin']);
    expect(await store.list('')).toEqual([...keys].sort());
    // A prefix is a folder: an artifact is not under itself, nor under a partial name.
    expect(await store.list('ds/a.bin')).toEqual([]);
    expect(await store.list('d')).toEqual([]);
    expect(await store.list('missing')).toEqual([]);
  });

  it('deletePrefix deletes everything under the folder and nothing else', async () => {
    const { store } = await setup();
    const keep = ['runs/1', 'runs/10/model.bin', 'runs-old/1/model.bin', 'other/runs/1/model.bin'];
    for (const key of [...keep, 'runs/1x/a', 'runs/2/model.bin', 'runs/2/deep/er/file']) await store.put(key, key);

    await store.deletePrefix('runs/2');
    await store.deletePrefix('runs/1x/');
    await store.deletePrefix('runs/1'); // an artifact, not a folder: untouched
    await store.deletePrefix('never/existed');

    expect(await store.list('')).toEqual([...keep].sort());
    expect(await store.exists('runs/2/model.bin')).toBe(false);
  });

  it('deletePrefix refuses to delete the whole store', async () => {
    const { store } = await setup();
    await store.put('a', 'a');
    await expect(store.deletePrefix('')).rejects.toBeInstanceOf(ArtifactKeyError);
    await expect(store.deletePrefix('/')).rejects.toBeInstanceOf(ArtifactKeyError);
    expect(await store.list('')).toEqual(['a']);
  });

  it('accepts keys up to its maximum length and refuses longer ones', async () => {
    const { store, maxKeyLength } = await setup();
    const key = longKey(maxKeyLength);
    expect(key).toHaveLength(maxKeyLength);
    await store.put(key, 'long');
    expect((await store.get(key)).toString()).toBe('long');
    expect(await store.list('')).toEqual([key]);
    await expect(store.put(`${key}z`, 'too long')).rejects.toBeInstanceOf(ArtifactKeyError);
  });

  it('uri and keyFromUri round-trip', async () => {
    const { store, expectedUri } = await setup();
    for (const key of ['a', 'datasets/mnist/v1/train.parquet', 'A-b_c.d/e..f']) {
      expect(store.uri(key)).toBe(expectedUri(key));
      expect(store.keyFromUri(store.uri(key))).toBe(key);
    }
    // uri() works for keys that are not stored yet, and the stored artifact reports the same URI.
    expect((await store.put('m/1', 'x')).uri).toBe(store.uri('m/1'));
  });

  it('keyFromUri rejects URIs of other stores, other roots and malformed ones', async () => {
    const { store, neighbour } = await setup();
    const base = store.uri('x').slice(0, -1);
    const foreign = [
      'file:///etc/passwd',
      's3://other/x',
      's3://other/lepton/artifacts/x',
      'http://example.com/x',
      (await neighbour()).uri('x'),
      `${base.slice(0, -1)}-other/x`,
      base,
      `${base}../escape`,
      `${base}a/../../escape`,
      `${base}%2e%2e/escape`,
      `${base}%252e%252e/escape`,
      `${base}..%2fescape`,
      `${base}/x`,
      `${base}x?version=2`,
      `${base}x#fragment`,
      `${base}x\0`,
      `${base}${'x'.repeat(1025)}`,
      base.toUpperCase() + 'x',
      'x',
      '',
    ];
    for (const uri of foreign) {
      expect(() => store.keyFromUri(uri), uri).toThrow(ArtifactKeyError);
    }
  });

  it('refuses hostile keys in every method and touches no storage', async () => {
    const { store, outsideFile, rawContents } = await setup();
    const dir = await tempDir();
    const source = path.join(dir, 'source.txt');
    await writeFile(source, 'payload');

    for (const [label, key] of hostileKeys(outsideFile)) {
      await expect(store.put(key, 'payload'), label).rejects.toBeInstanceOf(ArtifactKeyError);
      await expect(store.put(key, Readable.from(['payload'])), label).rejects.toBeInstanceOf(ArtifactKeyError);
      await expect(store.putFile(key, source), label).rejects.toBeInstanceOf(ArtifactKeyError);
      expect(() => store.uri(key), label).toThrow(ArtifactKeyError);
      // A folder prefix may end in '/', and '' lists the whole store.
      if (label === 'trailing slash') continue;
      await expect(store.deletePrefix(key), label).rejects.toBeInstanceOf(ArtifactKeyError);
      if (key !== '') await expect(store.list(key), label).rejects.toBeInstanceOf(ArtifactKeyError);
    }
    for (const [label, key] of hostileKeys('/etc/passwd')) {
      await expect(store.get(key), label).rejects.toBeInstanceOf(ArtifactKeyError);
      await expect(store.getStream(key), label).rejects.toBeInstanceOf(ArtifactKeyError);
      await expect(store.exists(key), label).rejects.toBeInstanceOf(ArtifactKeyError);
      await expect(store.download(key, path.join(dir, 'out')), label).rejects.toBeInstanceOf(ArtifactKeyError);
    }

    expect(await rawContents()).toEqual([]);
    expect(await readdir(dir)).toEqual(['source.txt']);
  });
});
