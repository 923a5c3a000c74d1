import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canEnter } from '@lepton/db/testing';
import { postGraphQL } from '@lepton/graphql-api/testing';
import { MAINTENANCE_LOCK_KEY } from '@lepton/registry';
import pg from 'pg';
import {
  linkCheckout,
  PROCESS_TEST_TIMEOUTS,
  REPO_ROOT,
  RUNNING_AS_ROOT,
  startApi as startApiProcess,
  stopApi as stop,
  temporaryFolders,
  type ApiProcess,
} from './testing/platform-process';

const startApi = (dataDir: string, env: Record<string, string> = {}): Promise<ApiProcess> =>
  startApiProcess({ dataDir, env });

describe('npm start (apps/api) on the embedded PostgreSQL', PROCESS_TEST_TIMEOUTS, () => {
  const folders = temporaryFolders('lepton-api-');
  const dataDir = () => folders.create();
  afterAll(() => folders.removeAll());

  it('bootstraps an admin token into .data/admin-token (0600), keeps data across restarts and stops cleanly', async () => {
    const dir = dataDir();
    const first = await startApi(dir);
    const tokenFile = path.join(dir, 'admin-token');
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect(first.output()).toContain(token);

    const registered = await postGraphQL<{ registerModel: { name: string } }>(
      first.url,
      `mutation { registerModel(input: { name: "survives-restart" }) { name } }`,
      undefined,
      token,
    );
    expect(registered.data?.registerModel.name).toBe('survives-restart');
    expect(await stop(first)).toBe(0);
    expect(first.output()).toContain('shutting down');

    const second = await startApi(dir);
    try {
      expect(second.output()).not.toContain(token);
      expect(second.output()).not.toContain('Created the first ADMIN');
      const model = await postGraphQL<{ model: { name: string } | null }>(
        second.url,
        `{ model(name: "survives-restart") { name } }`,
        undefined,
        token,
      );
      expect(model.data?.model?.name).toBe('survives-restart');
    } finally {
      expect(await stop(second)).toBe(0);
    }
  });

  // Root-only (see README, "Tests"): as a normal user there is no `postgres` user switch to test.
  it.runIf(RUNNING_AS_ROOT)(
    'runs, as root, from a data folder only root can enter, keeping the cluster across restarts',
    async () => {
      const hidden = dataDir();
      chmodSync(hidden, 0o700);
      const data = path.join(hidden, 'data');
      const first = await startApi(data);
      const token = readFileSync(path.join(data, 'admin-token'), 'utf8').trim();
      await postGraphQL(first.url, `mutation { registerModel(input: { name: "private" }) { name } }`, undefined, token);
      expect(await stop(first)).toBe(0);
      expect(statSync(hidden).mode & 0o777).toBe(0o700);
      // The postgres user cannot enter `hidden`: the cluster lives under the system folder, found through a pointer.
      const pointer = path.join(data, 'postgres', 'cluster');
      expect(lstatSync(pointer).isSymbolicLink()).toBe(true);
      folders.keep(readlinkSync(pointer));
      expect(statSync(readlinkSync(pointer)).uid).toBe(Number(execFileSync('id', ['-u', 'postgres']).toString()));

      const second = await startApi(data);
      try {
        const model = await postGraphQL<{ model: { name: string } | null }>(
          second.url,
          '{ model(name: "private") { name } }',
          undefined,
          token,
        );
        expect(model.data?.model?.name).toBe('private');
      } finally {
        expect(await stop(second)).toBe(0);
      }
    },
  );

  // Root-only (see README, "Tests"): as a normal user, the first test already is this case.
  it.runIf(RUNNING_AS_ROOT)('runs as a normal (non-root) user too', async () => {
    // Root test runs created the `postgres` system user for the embedded server; run the API as it.
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    const dir = dataDir();
    chownSync(dir, uid, gid);
    // That user must be able to read the checkout; a clone in a folder only root can enter (as in
    // CI) is linked into one it can (hard links: the same files, no copy).
    let cwd = REPO_ROOT;
    if (!canEnter({ uid, gid }, REPO_ROOT)) {
      cwd = path.join(dataDir(), 'checkout');
      linkCheckout(cwd);
    }
    const api = await startApiProcess({ cwd, dataDir: dir, user: { uid, gid } });
    try {
      const token = readFileSync(path.join(dir, 'admin-token'), 'utf8').trim();
      expect(statSync(path.join(dir, 'admin-token')).uid).toBe(uid);
      const viewer = await postGraphQL<{ viewer: { user: { name: string } } }>(
        api.url,
        '{ viewer { user { name } } }',
        undefined,
        token,
      );
      expect(viewer.data?.viewer.user.name).toBe('admin');
    } finally {
      expect(await stop(api)).toBe(0);
    }
  });

  it('uses LEPTON_BOOTSTRAP_TOKEN as the first admin token on an empty database', async () => {
    const dir = dataDir();
    const preset = 'lep_preset_' + 'x'.repeat(40);
    const api = await startApi(dir, { LEPTON_BOOTSTRAP_TOKEN: preset });
    try {
      expect(api.output()).not.toContain(preset);
      expect(() => statSync(path.join(dir, 'admin-token'))).toThrow();
      const viewer = await postGraphQL<{ viewer: { user: { name: string } } }>(
        api.url,
        '{ viewer { user { name } } }',
        undefined,
        preset,
      );
      expect(viewer.data?.viewer.user.name).toBe('admin');
    } finally {
      expect(await stop(api)).toBe(0);
    }
  });

  it('runs the deployment maintenance loop in the primary, holding its advisory lock until it stops', async () => {
    const dir = dataDir();
    const api = await startApi(dir);
    const databaseUrl = readFileSync(path.join(dir, 'database-url'), 'utf8').trim();
    const held = async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query(
          "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = 0 AND objid = $1 AND granted",
          [MAINTENANCE_LOCK_KEY],
        );
        return rows.length;
      } finally {
        await client.end();
      }
    };
    try {
      for (let attempt = 0; attempt < 100 && (await held()) === 0; attempt += 1)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await held()).toBe(1);
    } finally {
      expect(await stop(api)).toBe(0);
    }
    expect(api.output()).not.toMatch(/maintenance pass failed/);
  });
});
