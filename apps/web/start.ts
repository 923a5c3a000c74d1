/**
 * Serves the dashboard's production build: `startDashboard({ apiUrl, port })` builds it first when
 * there is no build or the sources changed since the last one (and says so), then serves it with
 * Next's own server in this process. `start-cli.ts` is the process entry around it.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import next from 'next';

export interface DashboardOptions {
  /** The API's GraphQL URL, e.g. http://127.0.0.1:4000/graphql (uploads and subscriptions are derived from it). */
  apiUrl: string;
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1 (HOST=0.0.0.0 in containers). */
  host?: string;
  log?: (line: string) => void;
}

export interface Dashboard {
  url: string;
  stop(): Promise<void>;
}

const APP_DIR = __dirname;
const WORKSPACE = path.resolve(APP_DIR, '../..');
const BUILD_DIR = path.join(APP_DIR, '.next');
const FINGERPRINT_FILE = path.join(BUILD_DIR, 'lepton-source-fingerprint');
/** Held while `next build` writes BUILD_DIR: two starts (or test files) never build at once. */
const BUILD_LOCK = path.join(APP_DIR, '.next-build-lock');
const SOURCES = ['src', 'next.config.ts', 'tsconfig.json', 'package.json'];

function listFiles(entry: string): string[] {
  if (!existsSync(entry)) return [];
  if (!statSync(entry).isDirectory()) return [entry];
  return readdirSync(entry, { withFileTypes: true }).flatMap((child) => listFiles(path.join(entry, child.name)));
}

/** Changes when any dashboard source or the locked dependency set changes. */
export function sourceFingerprint(): string {
  const hash = createHash('sha256');
  const files = [
    ...SOURCES.flatMap((name) => listFiles(path.join(APP_DIR, name))),
    path.join(WORKSPACE, 'package-lock.json'),
  ].sort();
  for (const file of files) {
    const stat = statSync(file);
    hash.update(`${path.relative(WORKSPACE, file)}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

function isBuildCurrent(fingerprint: string): boolean {
  return (
    existsSync(path.join(BUILD_DIR, 'BUILD_ID')) &&
    existsSync(FINGERPRINT_FILE) &&
    readFileSync(FINGERPRINT_FILE, 'utf8') === fingerprint
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in the build lock; 0 while it is being written or already gone. */
function lockHolder(): number {
  try {
    return Number(readFileSync(path.join(BUILD_LOCK, 'pid'), 'utf8')) || 0;
  } catch {
    return 0;
  }
}

function lockAgeMs(): number {
  try {
    return Date.now() - statSync(BUILD_LOCK).mtimeMs;
  } catch {
    return 0;
  }
}

/** Takes the build lock (a directory, created atomically), waiting while a live process holds it. */
async function acquireBuildLock(log: (line: string) => void): Promise<() => void> {
  let announced = false;
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      writeFileSync(path.join(BUILD_LOCK, 'pid'), String(process.pid));
      return () => rmSync(BUILD_LOCK, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = lockHolder();
    // A holder that died mid-build (or before writing its pid, long ago) leaves a stale lock.
    if (holder > 0 ? !isAlive(holder) : lockAgeMs() > 10_000) {
      rmSync(BUILD_LOCK, { recursive: true, force: true });
      continue;
    }
    if (!announced) log(`Waiting for the dashboard build of process ${holder || 'starting'}…`);
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Runs `next build` when the build is missing or stale; its output is shown only when it fails. */
export async function ensureDashboardBuilt(log: (line: string) => void = console.log): Promise<void> {
  if (isBuildCurrent(sourceFingerprint())) return;
  const release = await acquireBuildLock(log);
  try {
    await buildIfStale(log);
  } finally {
    release();
  }
}

async function buildIfStale(log: (line: string) => void): Promise<void> {
  // Another process may have built it while this one waited for the lock.
  const fingerprint = sourceFingerprint();
  if (isBuildCurrent(fingerprint)) return;
  log(
    existsSync(path.join(BUILD_DIR, 'BUILD_ID'))
      ? 'Dashboard sources changed: rebuilding it (about a minute)…'
      : 'Building the dashboard for its first start (about a minute)…',
  );
  const started = Date.now();
  const nextBin = require.resolve('next/dist/bin/next');
  const output: Buffer[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build', APP_DIR], {
      cwd: WORKSPACE,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) {
    throw new Error(
      `the dashboard build failed (next build exited ${code}):\n${Buffer.concat(output).toString('utf8').slice(-4000)}`,
    );
  }
  writeFileSync(FINGERPRINT_FILE, fingerprint);
  log(`Dashboard built in ${Math.round((Date.now() - started) / 1000)} s`);
}

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const log = options.log ?? console.log;
  await ensureDashboardBuilt(log);
  // Route handlers read it per request (src/lib/server/config.ts).
  process.env['LEPTON_API_URL'] = options.apiUrl;
  process.env['NEXT_TELEMETRY_DISABLED'] = '1';
  const host = options.host ?? '127.0.0.1';
  const app = next({ dev: false, dir: APP_DIR, hostname: host, port: options.port ?? 3000, quiet: true });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server: Server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address === '127.0.0.1' ? 'localhost' : address.address}:${address.port}`;
  log(`Dashboard on ${url}`);
  let stopping: Promise<void> | undefined;
  return {
    url,
    stop: () =>
      (stopping ??= (async () => {
        // Live pages hold server-sent-event streams open; end them instead of waiting.
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await app.close();
      })()),
  };
}
