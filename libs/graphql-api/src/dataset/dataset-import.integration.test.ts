import { createClient } from 'graphql-ws';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeploymentMaintenance } from '@lepton/registry';
import WebSocket from 'ws';
import {
  createProject,
  dataOf,
  errorCode,
  importFinished,
  startTestApi,
  tokenFor,
  uniqueName,
  type TestApi,
} from '../testing';

const CSV =
  'x,y,label\n' + Array.from({ length: 40 }, (_, i) => `${i},${i % 7},${i % 2 ? 'a' : 'b'}`).join('\n') + '\n';

const IMPORT = `mutation($input: ImportDatasetInput!) {
  importDataset(input: $input) { id number status importProgress importError { message } contentSha256 exampleCount storageUri }
}`;
const VERSION = `query($project: String!, $name: String!, $number: Int!) {
  dataset(project: $project, name: $name) {
    latestVersion { number }
    version(number: $number) { id status importProgress exampleCount contentSha256 importError { message file line column } }
  }
}`;

async function anUpload(
  api: TestApi,
  body: string | Uint8Array,
  options: { project?: string; filename?: string; token?: string } = {},
) {
  const query = options.project ? `?project=${encodeURIComponent(options.project)}` : '';
  const response = await fetch(`${api.url.replace(/\/graphql$/, '/v1/uploads')}${query}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${options.token ?? api.adminToken}`,
      'content-type': 'application/octet-stream',
      'x-filename': options.filename ?? 'data.csv',
    },
    body,
  });
  if (response.status !== 201) throw new Error(`upload failed (${response.status}): ${await response.text()}`);
  return ((await response.json()) as { uploadId: string }).uploadId;
}

function importInput(name: string, uploadId: string, extra: Record<string, unknown> = {}) {
  return { input: { name, format: 'CSV', uploadId, options: { label: 'label' }, ...extra } };
}

describe('importDataset as a job on the worker queue', () => {
  describe('with no worker', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi({ importWorker: false });
    });
    afterAll(() => api.close());

    it('answers an IMPORTING version at once and leaves parsing to a worker', async () => {
      const name = uniqueName('pending');
      const uploadId = await anUpload(api, 'not,a\ncsv that "parses');
      const { importDataset } = dataOf(
        await api.gql<{ importDataset: Record<string, unknown> }>(IMPORT, importInput(name, uploadId)),
      );
      expect(importDataset).toMatchObject({
        number: 1,
        status: 'IMPORTING',
        importProgress: 0,
        importError: null,
        contentSha256: '',
        exampleCount: 0,
        storageUri: '',
      });
      // The malformed file would fail at once if this process parsed it.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const { dataset } = dataOf(
        await api.gql<{ dataset: { latestVersion: null; version: { status: string } } }>(VERSION, {
          project: 'default',
          name,
          number: 1,
        }),
      );
      expect(dataset.version.status).toBe('IMPORTING');
      expect(dataset.latestVersion).toBeNull();
      const { rows } = await api.db.pool.query(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'lepton-import' AND data->>'datasetVersionId' = $1`,
        [importDataset['id']],
      );
      expect(rows[0].n).toBe(1);
    });

    it('publishes datasetVersionUpdated with the version as stored, through to READY', async () => {
      const name = uniqueName('watched');
      const uploadId = await anUpload(api, CSV);
      const { importDataset } = dataOf(
        await api.gql<{ importDataset: { id: string } }>(IMPORT, importInput(name, uploadId)),
      );
      const client = createClient({
        url: api.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${api.adminToken}` },
        retryAttempts: 0,
        lazy: true,
      });
      const events: { status: string; importProgress: number; exampleCount: number }[] = [];
      const before = api.bus.subscriberCount();
      const done = new Promise<void>((resolve, reject) => {
        const unsubscribe = client.subscribe<{ datasetVersionUpdated: (typeof events)[number] }>(
          {
            query: `subscription($id: ID!) { datasetVersionUpdated(id: $id) { status importProgress exampleCount } }`,
            variables: { id: importDataset.id },
          },
          {
            next: (result) => {
              if (result.errors) return reject(new Error(JSON.stringify(result.errors)));
              events.push(result.data!.datasetVersionUpdated);
              if (result.data!.datasetVersionUpdated.status !== 'IMPORTING') {
                unsubscribe();
                resolve();
              }
            },
            error: reject,
            complete: () => resolve(),
          },
        );
      });
      while (api.bus.subscriberCount() <= before) await new Promise((resolve) => setTimeout(resolve, 10));
      // What a worker does with the job, run here so that no event can come before the subscription.
      const scratchRoot = path.join(api.artifactsDir, '.scratch');
      const outcome = await api.server.registry.datasetImportWorker.run({
        datasetVersionId: importDataset.id,
        scratchRoot,
      });
      expect(outcome).toBe('READY');
      await done;
      await client.dispose();
      expect(events.at(-1)).toEqual({ status: 'READY', importProgress: 1, exampleCount: 40 });
      expect(readdirSync(scratchRoot)).toEqual([]);
      // Another project's token cannot follow it.
      const outsider = await tokenFor(api, await createProject(api), 'ADMIN');
      const other = createClient({
        url: api.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${outsider}` },
        retryAttempts: 0,
        lazy: true,
      });
      const refused = await new Promise<unknown>((resolve) => {
        other.subscribe(
          {
            query: `subscription($id: ID!) { datasetVersionUpdated(id: $id) { status } }`,
            variables: { id: importDataset.id },
          },
          { next: (result) => resolve(result.errors), error: resolve, complete: () => resolve(null) },
        );
      });
      await other.dispose();
      expect(JSON.stringify(refused)).toContain('NOT_FOUND');
    });

    it('refuses to train on or evaluate an IMPORTING version (BAD_USER_INPUT)', async () => {
      const uploadId = await anUpload(api, CSV);
      const { importDataset } = dataOf(
        await api.gql<{ importDataset: { id: string } }>(IMPORT, importInput(uniqueName('busy'), uploadId)),
      );
      const training = await api.gql(`mutation($input: StartTrainingInput!) { startTraining(input: $input) { id } }`, {
        input: {
          model: uniqueName('m'),
          datasetVersionId: importDataset.id,
          spec: { architecture: 'MLP' },
          hyperparameters: { epochs: 1 },
        },
      });
      expect(errorCode(training)).toBe('BAD_USER_INPUT');
      expect(training.errors?.[0]?.message).toMatch(/is still IMPORTING; wait until it is READY/);
    });

    it('checks options and the upload before queueing anything', async () => {
      const uploadId = await anUpload(api, CSV);
      const name = uniqueName('refused');
      const badSplit = await api.gql(
        IMPORT,
        importInput(name, uploadId, { options: { testFraction: 0.7, validationFraction: 0.3 } }),
      );
      expect(errorCode(badSplit)).toBe('BAD_USER_INPUT');
      const badDelimiter = await api.gql(IMPORT, importInput(name, uploadId, { options: { delimiter: '""' } }));
      expect(errorCode(badDelimiter)).toBe('BAD_USER_INPUT');
      const missing = await api.gql(IMPORT, importInput(name, '00000000-0000-4000-8000-000000000000'));
      expect(errorCode(missing)).toBe('NOT_FOUND');
      const { dataset } = dataOf(await api.gql<{ dataset: unknown }>(VERSION, { project: 'default', name, number: 1 }));
      expect(dataset).toBeNull();
    });

    it("lets an EDITOR delete an upload, answers NOT_FOUND for another project's, and CONFLICT while it is being imported", async () => {
      const project = await createProject(api);
      const editor = await tokenFor(api, project, 'EDITOR');
      const viewer = await tokenFor(api, project, 'VIEWER');
      const outsider = await tokenFor(api, await createProject(api), 'EDITOR');
      const DELETE = `mutation($id: ID!) { deleteUpload(id: $id) }`;

      const uploadId = await anUpload(api, CSV, { project, token: editor });
      const folder = path.join(api.artifactsDir, 'uploads');
      const stored = () => readdirSync(folder, { recursive: true }).some((entry) => String(entry).includes(uploadId));
      expect(stored()).toBe(true);
      expect(errorCode(await api.gql(DELETE, { id: uploadId }, outsider))).toBe('NOT_FOUND');
      expect(errorCode(await api.gql(DELETE, { id: uploadId }, viewer))).toBe('FORBIDDEN');
      expect(dataOf(await api.gql(DELETE, { id: uploadId }, editor))).toEqual({ deleteUpload: true });
      expect(stored()).toBe(false);
      expect(errorCode(await api.gql(DELETE, { id: uploadId }, editor))).toBe('NOT_FOUND');
      expect(
        errorCode(await api.gql(IMPORT, { input: { ...importInput('gone', uploadId).input, project } }, editor)),
      ).toBe('NOT_FOUND');

      const importing = await anUpload(api, CSV, { project, token: editor });
      dataOf(await api.gql(IMPORT, { input: { ...importInput(uniqueName('d'), importing).input, project } }, editor));
      const refused = await api.gql(DELETE, { id: importing }, editor);
      expect(errorCode(refused)).toBe('CONFLICT');
    });

    it('deletes unused and rejected uploads after the retention period, keeps imported and importing ones', async () => {
      const unused = await anUpload(api, CSV);
      const rejected = await anUpload(api, CSV);
      const imported = await anUpload(api, CSV);
      const importing = await anUpload(api, CSV);
      const fresh = await anUpload(api, CSV);
      for (const [uploadId, status] of [
        [rejected, 'FAILED'],
        [imported, 'READY'],
        [importing, 'IMPORTING'],
      ] as const) {
        const { importDataset } = dataOf(
          await api.gql<{ importDataset: { id: string } }>(IMPORT, importInput(uniqueName('kept'), uploadId)),
        );
        await api.db.pool.query(`UPDATE dataset_version SET status = $2 WHERE id = $1`, [importDataset.id, status]);
      }
      await api.db.pool.query(`UPDATE upload SET created_at = now() - interval '25 hours' WHERE id = ANY($1::uuid[])`, [
        [unused, rejected, imported, importing],
      ]);
      const purged = await api.server.registry.uploads.purgeExpired(24);
      expect(purged).toBeGreaterThanOrEqual(2);
      const { rows } = await api.db.pool.query<{ id: string }>(`SELECT id FROM upload WHERE id = ANY($1::uuid[])`, [
        [unused, rejected, imported, importing, fresh],
      ]);
      expect(rows.map((row) => row.id).sort()).toEqual([imported, importing, fresh].sort());
      const files = readdirSync(path.join(api.artifactsDir, 'uploads'), { recursive: true }).map(String);
      expect(files.some((entry) => entry.includes(unused) || entry.includes(rejected))).toBe(false);
      expect(files.some((entry) => entry.includes(imported))).toBe(true);
    });

    it('has the maintenance loop (under its advisory lock) delete expired uploads and fail stale imports', async () => {
      const uploadId = await anUpload(api, CSV);
      const { importDataset } = dataOf(await api.gql<{ importDataset: { id: string } }>(IMPORT, importInput(uniqueName('stale'), uploadId)));
      await api.db.pool.query(`UPDATE dataset_version SET import_heartbeat_at = now() - interval '5 minutes' WHERE id = $1`, [importDataset.id]);
      const unused = await anUpload(api, CSV);
      await api.db.pool.query(`UPDATE upload SET created_at = now() - interval '2 hours' WHERE id = $1`, [unused]);
      const lines: string[] = [];
      const loop = startDeploymentMaintenance(api.db, api.server.registry, {
        log: (line) => lines.push(line),
        tickMs: 50,
        cleanupEveryMs: 100,
        uploadRetentionHours: 1,
      });
      try {
        const deadline = Date.now() + 20_000;
        const gone = async () => (await api.db.pool.query(`SELECT 1 FROM upload WHERE id = $1`, [unused])).rowCount === 0;
        while (!(await gone()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(await gone()).toBe(true);
        const { rows } = await api.db.pool.query(`SELECT status FROM dataset_version WHERE id = $1`, [importDataset.id]);
        expect(rows[0].status).toBe('FAILED');
        expect(lines.join('\n')).toMatch(/deleted \d+ unused or rejected upload\(s\) older than 1 h/);
      } finally {
        await loop.stop();
      }
    });

    it('fails an import whose worker stopped renewing its heartbeat', async () => {
      const uploadId = await anUpload(api, CSV);
      const name = uniqueName('orphan');
      const { importDataset } = dataOf(
        await api.gql<{ importDataset: { id: string } }>(IMPORT, importInput(name, uploadId)),
      );
      // Not started by any worker yet: a queued import is never stale.
      expect(await api.server.registry.datasetImportWorker.failStale(0)).not.toContain(importDataset.id);
      await api.db.pool.query(
        `UPDATE dataset_version SET import_heartbeat_at = now() - interval '2 minutes' WHERE id = $1`,
        [importDataset.id],
      );
      expect(await api.server.registry.datasetImportWorker.failStale()).toContain(importDataset.id);
      const { dataset } = dataOf(
        await api.gql<{ dataset: { version: { status: string; importError: { message: string } } } }>(VERSION, {
          project: 'default',
          name,
          number: 1,
        }),
      );
      expect(dataset.version.status).toBe('FAILED');
      expect(dataset.version.importError.message).toMatch(/worker importing it stopped/);
    });
  });

  describe('with a worker', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi({ importLimits: { maxRows: 1000 } });
    });
    afterAll(() => api.close());

    it('ends READY with the content hash, schema and splits, and publishes datasetVersionUpdated until then', async () => {
      const name = uniqueName('ready');
      const uploadId = await anUpload(api, CSV);
      const { importDataset } = dataOf(
        await api.gql<{ importDataset: { id: string; status: string } }>(IMPORT, importInput(name, uploadId)),
      );
      expect(importDataset.status).toBe('IMPORTING');
      const version = await importFinished(api, importDataset.id);
      expect(version.status).toBe('READY');
      expect(version.contentSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(version.exampleCount).toBe(40);
      expect(version.importProgress).toBe(1);
      expect(version.splits).toMatchObject({ train: 28, validation: 4, test: 8 });
    });

    it('ends FAILED with the file, line and column of a malformed row, and refuses to train on it', async () => {
      const name = uniqueName('broken');
      const uploadId = await anUpload(api, 'x,y,label\n1,2,a\n3,4\n5,6,b\n', { filename: 'table.csv' });
      const { importDataset } = dataOf(
        await api.gql<{ importDataset: { id: string } }>(IMPORT, importInput(name, uploadId)),
      );
      expect((await importFinished(api, importDataset.id)).status).toBe('FAILED');
      const { dataset } = dataOf(
        await api.gql<{
          dataset: { latestVersion: null; version: { status: string; importError: Record<string, unknown> } };
        }>(VERSION, { project: 'default', name, number: 1 }),
      );
      expect(dataset.latestVersion).toBeNull();
      expect(dataset.version.importError).toMatchObject({ file: 'table.csv', line: 3 });
      expect(dataset.version.importError['message']).toMatch(/^table\.csv: line 3 has 2 fields, expected 3/);
      const training = await api.gql(`mutation($input: StartTrainingInput!) { startTraining(input: $input) { id } }`, {
        input: {
          model: uniqueName('m'),
          datasetVersionId: importDataset.id,
          spec: { architecture: 'MLP' },
          hyperparameters: { epochs: 1 },
        },
      });
      expect(errorCode(training)).toBe('BAD_USER_INPUT');
      expect(training.errors?.[0]?.message).toMatch(/FAILED to import/);
    });

    it('ends FAILED at the row cap, naming the cap and its variable', async () => {
      const rows = 'x,label\n' + Array.from({ length: 1500 }, (_, i) => `${i},${i % 2}`).join('\n');
      const uploadId = await anUpload(api, rows, { filename: 'big.csv' });
      const { importDataset } = dataOf(
        await api.gql<{ importDataset: { id: string } }>(IMPORT, importInput(uniqueName('capped'), uploadId)),
      );
      const version = await importFinished(api, importDataset.id);
      expect(version.status).toBe('FAILED');
      expect((version.importError as { message: string }).message).toMatch(
        /more than 1000 rows .*LEPTON_IMPORT_MAX_ROWS/,
      );
    });

    it('leaves no temporary files behind, whether the import succeeded or failed', async () => {
      const scratch = path.join(api.artifactsDir, '.import-scratch');
      expect(existsSync(scratch)).toBe(true);
      expect(readdirSync(scratch)).toEqual([]);
    });
  });
});
