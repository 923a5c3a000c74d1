import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { startS3TestServer, S3RVER_CREDENTIALS, type S3TestServer } from '@lepton/artifacts/testing';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '@lepton/graphql-api/testing';
import {
  isHealthy,
  REPO_ROOT,
  startApi,
  stopApi,
  PROCESS_TEST_TIMEOUTS,
  temporaryFolders,
} from './testing/platform-process';

/** A small platform: one API process, no training worker. */
const SMALL = { LEPTON_API_PROCESSES: '1', LEPTON_WORKERS: '0' };

/** `npm run db:reset` as a user types it; resolves with its exit code and output. */
function dbReset(dataDir: string, env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LEPTON_DATA_DIR: dataDir, ...env };
  delete childEnv['DATABASE_URL'];
  if (!env['LEPTON_ARTIFACT_STORE']) delete childEnv['LEPTON_ARTIFACT_STORE'];
  const child = spawn('npm', ['run', 'db:reset'], { cwd: REPO_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

describe('npm run db:reset', PROCESS_TEST_TIMEOUTS, () => {
  const folders = temporaryFolders('lepton-reset-');
  const dataDir = () => folders.create();
  afterAll(() => folders.removeAll());

  it('says to stop the server first while it runs, and leaves it serving', async () => {
    const dir = dataDir();
    const api = await startApi({ dataDir: dir, env: SMALL });
    try {
      const reset = await dbReset(dir);
      expect(reset.code).toBe(1);
      expect(reset.output).toContain(
        `The Lepton server (npm start, pid ${api.child.pid}) is running on ${dir}: stop the server first`,
      );
      expect(reset.output).not.toMatch(/\n\s+at /);
      expect(await isHealthy(api.port)).toBe(true);
    } finally {
      expect(await stopApi(api)).toBe(0);
    }
  });

  it('recreates the database and empties the data folder’s artifacts and worker checkpoints', async () => {
    const dir = dataDir();
    const api = await startApi({ dataDir: dir, env: SMALL });
    const token = readFileSync(path.join(dir, 'admin-token'), 'utf8').trim();
    try {
      const upload = await fetch(api.url.replace(/graphql$/, 'v1/uploads'), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/octet-stream',
          'x-filename': 'rows.csv',
        },
        body: 'x,label\n1,a\n2,b\n',
      });
      expect(upload.status).toBe(201);
      await postGraphQL(
        api.url,
        'mutation { registerModel(input: { name: "before-reset" }) { name } }',
        undefined,
        token,
      );
    } finally {
      expect(await stopApi(api)).toBe(0);
    }
    expect(readdirSync(path.join(dir, 'artifacts'))).toContain('uploads');
    mkdirSync(path.join(dir, 'worker', 'run-1'), { recursive: true });
    writeFileSync(path.join(dir, 'worker', 'run-1', 'checkpoint.bin'), 'weights');

    const reset = await dbReset(dir);
    expect(reset.code).toBe(0);
    expect(reset.output).toContain('Recreated database "lepton"');
    expect(readdirSync(path.join(dir, 'artifacts'))).toEqual([]);
    expect(existsSync(path.join(dir, 'worker'))).toBe(false);
    expect(existsSync(path.join(dir, 'admin-token'))).toBe(false);

    const next = await startApi({ dataDir: dir, env: SMALL });
    try {
      const newToken = readFileSync(path.join(dir, 'admin-token'), 'utf8').trim();
      expect(newToken).not.toBe(token);
      const model = await postGraphQL<{ model: unknown }>(
        next.url,
        '{ model(name: "before-reset") { name } }',
        undefined,
        newToken,
      );
      expect(model.data?.model).toBeNull();
    } finally {
      expect(await stopApi(next)).toBe(0);
    }
  });

  describe('with an S3 artifact store', () => {
    let s3: S3TestServer;
    beforeAll(async () => {
      s3 = await startS3TestServer();
    });
    afterAll(async () => {
      await s3?.close();
    });

    it('deletes the keys under Lepton’s folders and nothing else in the bucket', async () => {
      const bucket = await s3.createBucket();
      const keys = [
        'lepton/uploads/p/1/rows.csv',
        'lepton/datasets/p/iris/abc/data.bin',
        'lepton/checkpoints/p/r/epoch-1.json',
        'lepton/models/p/m/r/model.json',
        'lepton/notes/readme.txt',
        'other-app/data.bin',
      ];
      for (const key of keys) await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));

      const reset = await dbReset(dataDir(), {
        LEPTON_ARTIFACT_STORE: `s3://${bucket}/lepton`,
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
        LEPTON_S3_FORCE_PATH_STYLE: 'true',
      });
      expect(reset.code, reset.output).toBe(0);
      const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket }));
      expect((listed.Contents ?? []).map((object) => object.Key).sort()).toEqual([
        'lepton/notes/readme.txt',
        'other-app/data.bin',
      ]);
    });
  });
});
