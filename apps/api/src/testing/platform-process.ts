import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePort } from '@lepton/db';
import { processCommand, processStatus } from '@lepton/db/testing';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');
export const RUNNING_AS_ROOT = process.getuid?.() === 0;
/**
 * Starting a whole platform (database, API processes, workers) takes seconds, and far longer on
 * a loaded machine; these are limits against hangs, not speed checks.
 */
export const PROCESS_TEST_TIMEOUTS = { timeout: 240_000 };

/**
 * Temporary folders for a test file, removed by `removeAll` (with anything else `keep` was given,
 * e.g. a cluster created under the system folder). Like a checkout's .data, they are open to the
 * postgres user the embedded server runs as under root.
 */
export function temporaryFolders(prefix: string) {
  const folders: string[] = [];
  return {
    create(): string {
      const folder = mkdtempSync(path.join(tmpdir(), prefix));
      chmodSync(folder, 0o755);
      folders.push(folder);
      return folder;
    },
    keep(folder: string): void {
      folders.push(folder);
    },
    /** First stops any platform still running (a test that failed half-way), then removes the folders. */
    async removeAll(): Promise<void> {
      await stopStartedPlatforms();
      for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Not part of a checkout's source: installs, local state, caches. */
const NOT_SOURCE = new Set(['node_modules', '.git', '.data', '.nx', 'dist']);

/** Copies this checkout's source (not node_modules, .git or .data) into `target`. */
export function copyCheckoutSource(target: string): void {
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(REPO_ROOT)) {
    if (!NOT_SOURCE.has(entry))
      cpSync(path.join(REPO_ROOT, entry), path.join(target, entry), { recursive: true, verbatimSymlinks: true });
  }
}

/** A whole checkout at `target`: the source copied, node_modules hard-linked (seconds, no extra space). */
export function linkCheckout(target: string): void {
  copyCheckoutSource(target);
  const from = path.join(REPO_ROOT, 'node_modules');
  const to = path.join(target, 'node_modules');
  // Hard links need one file system; elsewhere the packages are copied.
  if (spawnSync('cp', ['-al', from, to]).status !== 0) cpSync(from, to, { recursive: true, verbatimSymlinks: true });
}

export interface ApiProcess {
  child: ChildProcess;
  url: string;
  port: number;
  output: () => string;
  exit: Promise<number | null>;
  /** The dashboard's port when started with `dashboard: true`. */
  webPort?: number;
  /** The serving process's port when started with `serving: true`. */
  servingPort?: number;
}

export interface StartApiOptions {
  /** The checkout to start from (default: this one). */
  cwd?: string;
  /** `npm start` as a user types it, or the entry point under node directly. */
  via?: 'npm' | 'node';
  /** LEPTON_DATA_DIR; unset → the checkout's .data. */
  dataDir?: string;
  env?: Record<string, string>;
  user?: { uid: number; gid: number };
  /** Also run the dashboard, on a free port (off by default: parallel test platforms must not share port 3000). */
  dashboard?: boolean;
  /** Also run the serving process, on a free port (off by default, like the dashboard: port 4001). */
  serving?: boolean;
}

/** Platforms started by this test file and still running. */
const started = new Set<ChildProcess>();

/** Stops (SIGTERM, then SIGKILL) every platform this test file started that still runs. */
export async function stopStartedPlatforms(): Promise<void> {
  await Promise.all(
    [...started].map(async (child) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(kill);
    }),
  );
}

/** Starts the platform as a real process tree on the embedded PostgreSQL; resolves once /healthz answers. */
export async function startApi(options: StartApiOptions = {}): Promise<ApiProcess> {
  const cwd = options.cwd ?? REPO_ROOT;
  const port = await findFreePort();
  const webPort = options.dashboard ? await findFreePort() : undefined;
  const servingPort = options.serving ? await findFreePort() : undefined;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    LEPTON_DASHBOARD: webPort ? '1' : '0',
    ...(webPort ? { LEPTON_WEB_PORT: String(webPort) } : {}),
    LEPTON_SERVING: servingPort ? '1' : '0',
    ...(servingPort ? { LEPTON_SERVING_PORT: String(servingPort) } : {}),
    ...options.env,
  };
  delete env['DATABASE_URL'];
  if (options.dataDir) env['LEPTON_DATA_DIR'] = options.dataDir;
  else delete env['LEPTON_DATA_DIR'];
  if (!options.env?.['LEPTON_BOOTSTRAP_TOKEN']) delete env['LEPTON_BOOTSTRAP_TOKEN'];
  const [command, args] =
    options.via === 'npm'
      ? ['npm', ['start']]
      : [process.execPath, ['--import', 'tsx', path.join(cwd, 'apps/api/src/main.ts')]];
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], ...(options.user ?? {}) });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  started.add(child);
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      started.delete(child);
      resolve(code);
    }),
  );
  const url = `http://127.0.0.1:${port}/graphql`;
  for (let attempt = 0; attempt < 1200; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`API exited early:\n${output}`);
    if (await isHealthy(port)) {
      return {
        child,
        url,
        port,
        output: () => output,
        exit,
        ...(webPort ? { webPort } : {}),
        ...(servingPort ? { servingPort } : {}),
      };
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`API did not become healthy:\n${output}`);
}

export async function stopApi(api: ApiProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  api.child.kill(signal);
  return api.exit;
}

export function isHealthy(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/healthz`).then(
    (response) => response.ok,
    () => false,
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface ProcessInfo {
  pid: number;
  ppid: number;
  state: string;
  command: string;
}

function processTable(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      const pid = Number(entry);
      const status = processStatus(pid);
      const command = processCommand(pid);
      // Gone while we looked.
      return status && command ? [{ pid, ppid: status.ppid, state: status.state, command: command.join(' ') }] : [];
    });
}

/** `pid` and every process below it that still runs (Linux /proc). */
export function processTree(pid: number): ProcessInfo[] {
  const table = processTable().filter((info) => info.state !== 'Z');
  const tree = table.filter((info) => info.pid === pid);
  for (let index = 0; index < tree.length; index += 1) {
    tree.push(...table.filter((info) => info.ppid === tree[index]!.pid));
  }
  return tree;
}

/** The processes among `pids` still running (zombies have finished). */
export function stillRunning(pids: number[]): ProcessInfo[] {
  const running = new Map(
    processTable()
      .filter((info) => info.state !== 'Z')
      .map((info) => [info.pid, info]),
  );
  return pids.flatMap((pid) => running.get(pid) ?? []);
}

/** Waits up to `timeoutMs` for every process of `pids` to end; returns those still running. */
export async function waitUntilGone(pids: number[], timeoutMs: number): Promise<ProcessInfo[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = stillRunning(pids);
    if (left.length === 0 || Date.now() >= deadline) return left;
    await sleep(100);
  }
}
