import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactKeyError } from './artifact-errors';
import { createS3ArtifactStore, type S3ArtifactStoreOptions } from './s3-artifact-store';
import { longKey } from './testing/test-keys';
import { S3RVER_CREDENTIALS, type S3TestServer, startS3TestServer } from './testing/s3-test-server';

let s3: S3TestServer;

beforeAll(async () => {
  s3 = await startS3TestServer();
});
afterAll(async () => {
  await s3.close();
});

const open = (options: S3ArtifactStoreOptions) =>
  createS3ArtifactStore({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    ...options,
  });

async function objectKeys(bucket: string): Promise<string[]> {
  const { Contents = [] } = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return Contents.map((object) => object.Key ?? '').sort();
}

describe('S3 artifact store', () => {
  it('stores keys under the prefix and names them s3://bucket/prefix/key', async () => {
    const bucket = await s3.createBucket();
    const store = open({ bucket, prefix: '/team/artifacts/' });
    const stored = await store.put('models/m/1/model.onnx', 'onnx');

    expect(stored.uri).toBe(`s3://${bucket}/team/artifacts/models/m/1/model.onnx`);
    expect(await objectKeys(bucket)).toEqual(['team/artifacts/models/m/1/model.onnx']);
    const raw = await s3.client.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'team/artifacts/models/m/1/model.onnx' }),
    );
    expect(await raw.Body?.transformToString()).toBe('onnx');
  });

  it('without a prefix, keys are object keys at the bucket root', async () => {
    const bucket = await s3.createBucket();
    const store = open({ bucket });
    const longest = longKey(1024);
    await store.put('a/b', 'x');
    await store.put(longest, 'x');
    expect(store.uri('a/b')).toBe(`s3://${bucket}/a/b`);
    expect(await objectKeys(bucket)).toEqual(['a/b', longest]);
  });

  it('stores with neighbouring prefixes in one bucket do not see or delete each other', async () => {
    const bucket = await s3.createBucket();
    const team = open({ bucket, prefix: 'team' });
    const teamB = open({ bucket, prefix: 'team-b' });
    const whole = open({ bucket });
    await team.put('runs/1/model.bin', 'team');
    await teamB.put('runs/1/model.bin', 'team-b');

    expect(await team.list('')).toEqual(['runs/1/model.bin']);
    expect(await whole.list('')).toEqual(['team-b/runs/1/model.bin', 'team/runs/1/model.bin']);
    expect(() => team.keyFromUri(teamB.uri('runs/1/model.bin'))).toThrow(ArtifactKeyError);
    expect(() => teamB.keyFromUri(team.uri('runs/1/model.bin'))).toThrow(ArtifactKeyError);
    expect(() => team.keyFromUri(whole.uri('x'))).toThrow(ArtifactKeyError);

    await team.deletePrefix('runs');
    expect(await objectKeys(bucket)).toEqual(['team-b/runs/1/model.bin']);
  });

  it('list leaves out objects no key can name, deletePrefix removes them with the rest', async () => {
    const bucket = await s3.createBucket();
    const store = open({ bucket, prefix: 'p' });
    await store.put('ds/ok.bin', 'ok');
    for (const Key of ['p/ds/folder-marker/', 'p/ds/has space', 'p/ds/.hidden']) {
      await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'foreign' }));
    }

    expect(await store.list('ds')).toEqual(['ds/ok.bin']);
    await store.deletePrefix('ds');
    expect(await objectKeys(bucket)).toEqual([]);
  });

  it('deletePrefix handles more than one DeleteObjects batch', async () => {
    const bucket = await s3.createBucket();
    const store = open({ bucket });
    const keys = Array.from({ length: 1005 }, (_, i) => `many/${String(i).padStart(4, '0')}`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((key) => store.put(key, key)));
    }
    await store.put('kept', 'kept');
    expect(await store.list('many')).toEqual(keys);

    await store.deletePrefix('many');
    expect(await store.list('')).toEqual(['kept']);
  });

  it('rejects invalid bucket names and prefixes up front', () => {
    for (const bucket of ['', 'Upper', 'under_score', 'a', 'x'.repeat(64), 'bucket/key', '../x']) {
      expect(() => open({ bucket }), bucket).toThrow(/Invalid S3 bucket name/);
    }
    for (const prefix of ['../x', 'a/../b', 'a//b', '%2e%2e', 'a b']) {
      expect(() => open({ bucket: 'valid-bucket', prefix }), prefix).toThrow(ArtifactKeyError);
    }
  });
});
