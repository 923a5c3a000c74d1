import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '@lepton/db';
import { postGraphQL } from '@lepton/graphql-api/testing';

const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'apps/api/src/main.ts');
const RUNNING_AS_ROOT = process.getuid?.() === 0;

interface ApiProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exit: Promise<number | null>;
}

/** Runs `npm start`'s entry point as a real process on the embedded PostgreSQL. */
async function startApi(dataDir: string, env: Record<string, string> = {}, user?: { uid: number; gid: number }): Promise<ApiProcess> {
  const port = await findFreePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), LEPTON_DATA_DIR: dataDir, ...env };
  delete childEnv['DATABASE_URL'];
  if (!env['LEPTON_BOOTSTRAP_TOKEN']) delete childEnv['LEPTON_BOOTSTRAP_TOKEN'];
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(user ?? {}),
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}/graphql`;
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`API exited early:\n${output}`);
    const healthy = await fetch(url.replace(/graphql$/, 'healthz')).then((r) => r.ok, () => false);
    if (healthy) return { child, url, output: () => output, exit };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`API did not become healthy:\n${output}`);
}

async function stop(api: ApiProcess): Promise<number | null> {
  api.child.kill('SIGTERM');
  return api.exit;
}

describe('npm start (apps/api) on the embedded PostgreSQL', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lepton-api-'));
    // Like a checkout's .data/: reachable by the postgres user the server runs as under root.
    chmodSync(dir, 0o755);
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

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
  it.runIf(RUNNING_AS_ROOT)('explains, as root, why a data folder the postgres user cannot reach is refused', async () => {
    const hidden = dataDir();
    chmodSync(hidden, 0o700);
    await expect(startApi(path.join(hidden, 'data'))).rejects.toThrow(/cannot enter .* chmod o\+x/s);
  });

  // Root-only (see README, "Tests"): as a normal user, the first test already is this case.
  it.runIf(RUNNING_AS_ROOT)('runs as a normal (non-root) user too', async () => {
    // Root test runs created the `postgres` system user for the embedded server; run the API as it.
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    const dir = dataDir();
    chownSync(dir, uid, gid);
    const api = await startApi(dir, {}, { uid, gid });
    try {
      const token = readFileSync(path.join(dir, 'admin-token'), 'utf8').trim();
      expect(statSync(path.join(dir, 'admin-token')).uid).toBe(uid);
      const viewer = await postGraphQL<{ viewer: { user: { name: string } } }>(api.url, '{ viewer { user { name } } }', undefined, token);
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
      const viewer = await postGraphQL<{ viewer: { user: { name: string } } }>(api.url, '{ viewer { user { name } } }', undefined, preset);
      expect(viewer.data?.viewer.user.name).toBe('admin');
    } finally {
      expect(await stop(api)).toBe(0);
    }
  });
});
