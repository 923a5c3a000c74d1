import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '@lepton/graphql-api/testing';
import {
  isHealthy,
  processTree,
  sleep,
  startApi,
  stillRunning,
  stopApi,
  waitUntilGone,
  type ApiProcess,
  PROCESS_TEST_TIMEOUTS,
  temporaryFolders,
} from './testing/platform-process';

/** What stopping within 10 s means to a supervisor (systemd, `timeout`, CI). */
const STOP_DEADLINE_MS = 10_000;

const isPostmaster = (command: string) => /\/bin\/postgres -D /.test(command);
const isWatchdog = (command: string) => command.includes('lepton-postgres-watchdog');
const isWorker = (command: string) => command.includes('apps/worker/src/main.ts');
const isServing = (command: string) => command.includes('apps/serving/src/main.ts');

/** The process tree under `api` once the training worker (and the dashboard and serving, when they run) answer. */
async function fullTree(api: ApiProcess) {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const tree = processTree(api.child.pid!);
    if (
      tree.some((info) => isWorker(info.command)) &&
      (!api.servingPort || (tree.some((info) => isServing(info.command)) && (await servingLive(api.servingPort)))) &&
      (!api.webPort || (await answers(api.webPort)))
    )
      return tree;
    await sleep(100);
  }
  throw new Error(`the worker or the dashboard did not start:\n${api.output()}`);
}

function servingLive(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/v2/health/live`).then(
    (response) => response.ok,
    () => false,
  );
}

function answers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/sign-in`).then(
    (response) => response.ok,
    () => false,
  );
}

describe('npm start process lifecycle', PROCESS_TEST_TIMEOUTS, () => {
  const folders = temporaryFolders('lepton-lifecycle-');
  const dataDir = () => folders.create();
  afterAll(() => folders.removeAll());
  // Built once here, not by the platforms under test (a first build takes about a minute).
  beforeAll(() => {
    execFileSync(
      process.execPath,
      ['--import', 'tsx', path.resolve(__dirname, '../../web/start-cli.ts'), '--build-only'],
      {
        stdio: 'inherit',
      },
    );
  }, 900_000);

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s to the pid of `npm start` stops every process (serving and dashboard included) and closes the ports',
    async (signal) => {
      const api = await startApi({ via: 'npm', dataDir: dataDir(), dashboard: true, serving: true });
      const tree = await fullTree(api);
      expect(tree.filter((info) => isPostmaster(info.command))).toHaveLength(1);
      expect(tree.filter((info) => isWatchdog(info.command))).toHaveLength(1);

      api.child.kill(signal);
      expect(
        await waitUntilGone(
          tree.map((info) => info.pid),
          STOP_DEADLINE_MS,
        ),
      ).toEqual([]);
      expect(await isHealthy(api.port)).toBe(false);
      expect(await answers(api.webPort!)).toBe(false);
      expect(await servingLive(api.servingPort!)).toBe(false);
      expect(api.output()).toContain(`${signal}: shutting down`);
    },
  );

  it('takes PostgreSQL and the workers down with the API process when it is killed with SIGKILL; the next start works', async () => {
    const dir = dataDir();
    const api = await startApi({ dataDir: dir });
    const token = readFileSync(path.join(dir, 'admin-token'), 'utf8').trim();
    await postGraphQL(
      api.url,
      'mutation { registerModel(input: { name: "before-the-crash" }) { name } }',
      undefined,
      token,
    );
    const children = (await fullTree(api)).filter((info) => info.pid !== api.child.pid);

    api.child.kill('SIGKILL');
    expect(
      await waitUntilGone(
        children.map((info) => info.pid),
        STOP_DEADLINE_MS,
      ),
    ).toEqual([]);

    const next = await startApi({ dataDir: dir });
    try {
      const model = await postGraphQL<{ model: { name: string } | null }>(
        next.url,
        '{ model(name: "before-the-crash") { name } }',
        undefined,
        token,
      );
      expect(model.data?.model?.name).toBe('before-the-crash');
    } finally {
      expect(await stopApi(next)).toBe(0);
    }
  });

  it('stops a PostgreSQL left running by a Lepton killed together with its watchdog, then starts', async () => {
    const dir = dataDir();
    const api = await startApi({ dataDir: dir });
    const tree = await fullTree(api);
    const postmaster = tree.find((info) => isPostmaster(info.command))!;
    const watchdog = tree.find((info) => isWatchdog(info.command))!;

    process.kill(watchdog.pid, 'SIGKILL');
    api.child.kill('SIGKILL');
    await api.exit;
    await waitUntilGone([watchdog.pid], STOP_DEADLINE_MS);
    expect(stillRunning([postmaster.pid])).toHaveLength(1);

    const next = await startApi({ dataDir: dir });
    try {
      expect(next.output()).toMatch(/Stopping PostgreSQL \(pid \d+\) left running/);
      expect(stillRunning([postmaster.pid])).toEqual([]);
    } finally {
      expect(await stopApi(next)).toBe(0);
    }
  });

  it('refuses a second start on a data folder in use, naming the running one, and leaves it serving', async () => {
    const dir = dataDir();
    const api = await startApi({ dataDir: dir });
    try {
      const second = startApi({ dataDir: dir });
      await expect(second).rejects.toThrow(
        /npm start \(pid \d+\) is already running the embedded PostgreSQL in .*: stop it first/,
      );
      expect(await isHealthy(api.port)).toBe(true);
    } finally {
      expect(await stopApi(api)).toBe(0);
    }
  });
});
