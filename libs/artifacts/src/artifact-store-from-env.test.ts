import { GetObjectCommand } from '@aws-sdk/client-s3';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createArtifactStoreFromEnv } from './artifact-store-from-env';
import { type S3TestServer, startS3TestServer } from './testing/s3-test-server';

let s3: S3TestServer;
let dir: string;

beforeAll(async () => {
  s3 = await startS3TestServer();
});
afterAll(async () => {
  await s3.close();
});
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lepton-artifacts-env-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createArtifactStoreFromEnv', () => {
  it('defaults to <LEPTON_DATA_DIR>/artifacts', async () => {
    const store = createArtifactStoreFromEnv({ LEPTON_DATA_DIR: dir });
    expect(store.kind).toBe('local');
    await store.put('a/b.txt', 'data');
    expect(await readFile(path.join(dir, 'artifacts', 'a', 'b.txt'), 'utf8')).toBe('data');
  });

  it('without LEPTON_DATA_DIR, uses .data/artifacts at the repository root', () => {
    const repoRoot = path.resolve(__dirname, '../../..');
    for (const env of [{}, { LEPTON_ARTIFACT_STORE: '', LEPTON_DATA_DIR: '' }]) {
      const store = createArtifactStoreFromEnv(env);
      expect(store.uri('x')).toBe(pathToFileURL(path.join(repoRoot, '.data', 'artifacts', 'x')).href);
    }
  });

  it('takes a file:// URI or a path (relative to the working directory) as a local root', () => {
    const fromUri = createArtifactStoreFromEnv({ LEPTON_ARTIFACT_STORE: pathToFileURL(dir).href });
    expect(fromUri.kind).toBe('local');
    expect(fromUri.uri('x')).toBe(pathToFileURL(path.join(dir, 'x')).href);
    expect(createArtifactStoreFromEnv({ LEPTON_ARTIFACT_STORE: dir }).uri('x')).toBe(fromUri.uri('x'));
    expect(createArtifactStoreFromEnv({ LEPTON_ARTIFACT_STORE: 'some/folder' }).uri('x')).toBe(
      pathToFileURL(path.resolve('some/folder', 'x')).href,
    );
  });

  it('connects to S3 from s3://bucket/prefix and the AWS variables', async () => {
    const bucket = await s3.createBucket();
    const store = createArtifactStoreFromEnv({
      LEPTON_ARTIFACT_STORE: `s3://${bucket}/lepton/artifacts`,
      // The S3-specific endpoint wins over the general one, which points nowhere.
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      LEPTON_S3_FORCE_PATH_STYLE: 'true',
    });
    expect(store.kind).toBe('s3');
    expect((await store.put('m/1', 'weights')).uri).toBe(`s3://${bucket}/lepton/artifacts/m/1`);
    const raw = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: 'lepton/artifacts/m/1' }));
    expect(await raw.Body?.transformToString()).toBe('weights');
  });

  it('rejects unsupported schemes and invalid buckets or prefixes', () => {
    for (const location of [
      'gs://bucket/x',
      'https://example.com/x',
      's3://',
      's3://Bad_Bucket',
      's3://ok-bucket/../x',
    ]) {
      expect(() => createArtifactStoreFromEnv({ LEPTON_ARTIFACT_STORE: location }), location).toThrow();
    }
  });
});
