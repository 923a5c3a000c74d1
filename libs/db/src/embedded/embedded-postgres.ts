import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { clusterLocation, removeCluster } from './cluster-location';
import { EmbeddedPostgresError } from './embedded-postgres-error';
import { acquireOwnerLock, LockHeldError, type LockOwner, type OwnerLock } from './owner-lock';
import { executable, usablePostgres, type PostgresInstallation } from './postgres-binaries';
import { postgresUserIfRoot, runAs, type PostgresUser } from './postgres-user';
import { isProcessRunning, processCommand, waitForExit } from './process-identity';

export interface EmbeddedPostgresHandle {
  /** Connection string for the `postgres` maintenance database; see `databaseUrl`. */
  readonly adminUrl: string;
  databaseUrl(database: string): string;
  /** Fast shutdown (open sessions are ended), then the data folder is free for the next start. */
  stop(): Promise<void>;
  /** Stops the server and deletes its cluster: for throw-away servers (tests, scratch databases). */
  destroy(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The server's folder: its cluster (or a pointer to it), superuser password and owner lock. */
  dataDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** What is starting the server (e.g. "npm start"), named to anyone who finds the folder in use. */
  role?: string;
  maxConnections?: number;
  /** As root: where binaries and clusters the postgres user must reach are kept (default /var/lib/lepton). */
  systemDir?: string;
  /** PostgreSQL's own log lines. */
  onLog?: (line: string) => void;
  /** What Lepton did on its own that the user should know (a leftover server stopped...). */
  onNotice?: (line: string) => void;
}

/** Another process that still runs holds the server folder. */
export class DataFolderInUseError extends EmbeddedPostgresError {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(`${owner.role} (pid ${owner.pid}) is already running the embedded PostgreSQL in ${dataDir}: stop it first`);
    this.name = 'DataFolderInUseError';
  }
}

export const DEFAULT_SYSTEM_DIR = '/var/lib/lepton';
/** Names the process that runs the server of a folder; see acquireOwnerLock. */
const OWNER_LOCK_FILE = 'owner.lock';
const SUPERUSER = 'lepton';
const READY = 'database system is ready to accept connections';
/**
 * Stops the server when the process that started it dies without stopping it (kill -9, OOM):
 * its stdin is a pipe from that process, which the kernel closes whatever the death. A clean stop
 * writes "release" first.
 */
const WATCHDOG_SCRIPT = 'read -r line; [ "$line" = release ] || kill -INT "$1" 2>/dev/null';

/**
 * Starts a real PostgreSQL server from the binaries `embedded-postgres` installs, run here
 * directly (initdb, then postgres). The cluster is created on first use and kept across
 * restarts. As root, the server runs as the `postgres` user (PostgreSQL refuses root); binaries
 * and cluster that user cannot reach are staged under the system folder (see usablePostgres,
 * clusterLocation). A server left running by a Lepton process that died is stopped first.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const serverDir = path.resolve(options.dataDir);
  await mkdir(serverDir, { recursive: true });
  const lock = await acquireOwnerLock(path.join(serverDir, OWNER_LOCK_FILE), options.role ?? 'Lepton').catch(
    (error) => {
      throw error instanceof LockHeldError ? new DataFolderInUseError(serverDir, error.owner) : error;
    },
  );
  try {
    return await startLocked(serverDir, lock, options);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function startLocked(
  serverDir: string,
  lock: OwnerLock,
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const log = options.onLog ?? (() => undefined);
  const notice = options.onNotice ?? ((line: string) => console.warn(`[db] ${line}`));
  const user = postgresUserIfRoot();
  const systemDir = path.resolve(options.systemDir ?? (process.env['LEPTON_SYSTEM_DIR'] || DEFAULT_SYSTEM_DIR));
  const installation = await usablePostgres(user, systemDir);
  const cluster = await clusterLocation(serverDir, user, systemDir);
  const password = await readOrCreatePassword(path.join(serverDir, 'superuser-password'));
  if (existsSync(path.join(cluster, 'PG_VERSION'))) await stopLeftoverServer(cluster, notice);
  else await initCluster(installation, cluster, password, user);

  const flags = ['-c', `max_connections=${options.maxConnections ?? 200}`];
  const server = await launch(installation, cluster, options.port ?? 0, flags, user, log);
  const watchdog = startWatchdog(server.process.pid!);
  let stopping: Promise<void> | undefined;
  server.process.once('exit', (code, signal) => {
    if (!stopping) notice(`PostgreSQL exited unexpectedly (${signal ?? code})`);
  });
  const stop = () =>
    (stopping ??= (async () => {
      watchdog?.stdin?.end('release\n');
      await stopServer(server.process);
      await lock.release();
    })());
  const databaseUrl = (database: string) =>
    `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${server.port}/${database}`;
  return {
    adminUrl: databaseUrl('postgres'),
    databaseUrl,
    stop,
    async destroy() {
      await stop();
      await removeCluster(serverDir, cluster);
    },
  };
}

async function initCluster(
  installation: PostgresInstallation,
  cluster: string,
  password: string,
  user: PostgresUser | undefined,
): Promise<void> {
  // A folder without PG_VERSION is no cluster (initdb stopped half-way); initdb needs it empty.
  await rm(cluster, { recursive: true, force: true });
  await mkdir(cluster, { recursive: true, mode: 0o700 });
  // The password reaches initdb through a file beside the cluster, which its user can read.
  const passwordFile = path.join(path.dirname(cluster), `.initdb-password-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, password + '\n', { mode: 0o600 });
  if (user) {
    await chown(cluster, user.uid, user.gid);
    await chown(passwordFile, user.uid, user.gid);
  }
  try {
    await runToCompletion(
      executable(installation, 'initdb'),
      [
        `--pgdata=${cluster}`,
        '--auth=scram-sha-256',
        `--username=${SUPERUSER}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--no-locale',
      ],
      user,
    );
  } finally {
    await rm(passwordFile, { force: true });
  }
}

function runToCompletion(file: string, args: string[], user: PostgresUser | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      ...runAs(user),
      env: { ...process.env, LC_MESSAGES: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.once('error', (error) => reject(cannotRun(file, user, error)));
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new EmbeddedPostgresError(`${path.basename(file)} failed (exit ${code}): ${lastLines(output)}`)),
    );
  });
}

interface RunningServer {
  process: ChildProcess;
  port: number;
}

/** Starts postgres and resolves once it accepts connections; a taken port is retried with another. */
async function launch(
  installation: PostgresInstallation,
  cluster: string,
  requestedPort: number,
  flags: string[],
  user: PostgresUser | undefined,
  log: (line: string) => void,
): Promise<RunningServer> {
  for (let attempt = 1; ; attempt += 1) {
    const port = requestedPort || (await findFreePort());
    const result = await launchOnce(installation, cluster, port, flags, user, log);
    if ('process' in result) return result;
    const portTaken = /could not bind|address already in use/i.test(result.output);
    if (!portTaken || requestedPort || attempt === 5) {
      throw new EmbeddedPostgresError(
        `PostgreSQL did not start from ${cluster} on port ${port}: ${lastLines(result.output)}`,
      );
    }
  }
}

function launchOnce(
  installation: PostgresInstallation,
  cluster: string,
  port: number,
  flags: string[],
  user: PostgresUser | undefined,
  log: (line: string) => void,
): Promise<RunningServer | { output: string }> {
  const file = executable(installation, 'postgres');
  // Loopback TCP only: no unix socket in a shared /tmp, nothing reachable from the network.
  const args = [
    '-D',
    cluster,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'lc_messages=C',
    ...flags,
  ];
  // Its own process group: a Ctrl-C in the terminal reaches Lepton, which stops the server last.
  const child = spawn(file, args, {
    ...runAs(user),
    detached: true,
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const recent: string[] = [];
  return new Promise((resolve, reject) => {
    // Read for the server's whole life: a full pipe would block its logging.
    createInterface({ input: child.stderr! }).on('line', (line) => {
      log(line);
      recent.push(line);
      if (recent.length > 20) recent.shift();
      if (line.includes(READY)) resolve({ process: child, port });
    });
    child.once('error', (error) => reject(cannotRun(file, user, error)));
    child.once('exit', () => resolve({ output: recent.join('\n') }));
  });
}

/**
 * A server still running on `cluster` now that this process holds the folder was left behind by
 * a Lepton process that died without stopping it (and whose watchdog died too): stop it cleanly.
 */
async function stopLeftoverServer(cluster: string, notice: (line: string) => void): Promise<void> {
  const pidFile = await readFile(path.join(cluster, 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number(pidFile?.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessRunning(pid)) return;
  const command = processCommand(pid);
  if (command && path.basename(command[0] ?? '') !== 'postgres') return;
  notice(
    `Stopping PostgreSQL (pid ${pid}) left running on ${cluster} by a Lepton process that exited without stopping it`,
  );
  if (await signalAndWait(pid, 'SIGINT', 15_000)) return;
  if (await signalAndWait(pid, 'SIGQUIT', 5_000)) return;
  if (await signalAndWait(pid, 'SIGKILL', 5_000)) return;
  throw new EmbeddedPostgresError(
    `PostgreSQL (pid ${pid}) still runs on ${cluster} and cannot be stopped: stop it (kill ${pid}) and start again`,
  );
}

async function signalAndWait(pid: number, signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> {
  try {
    process.kill(pid, signal);
  } catch {
    return !isProcessRunning(pid);
  }
  return waitForExit(pid, timeoutMs);
}

/** Fast shutdown; immediate shutdown, then a kill, if the server does not finish in time. */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const within = (ms: number) =>
    Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
  child.kill('SIGINT');
  if (await within(15_000)) return;
  child.kill('SIGQUIT');
  if (await within(5_000)) return;
  child.kill('SIGKILL');
  await exited;
}

function startWatchdog(pid: number): ChildProcess | undefined {
  if (process.platform === 'win32') return undefined;
  const watchdog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'lepton-postgres-watchdog', String(pid)], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.on('error', () => undefined);
  watchdog.stdin!.on('error', () => undefined);
  watchdog.unref();
  return watchdog;
}

function cannotRun(file: string, user: PostgresUser | undefined, error: Error): EmbeddedPostgresError {
  const as = user ? ` as the "${user.name}" user` : '';
  return new EmbeddedPostgresError(`Could not run ${file}${as}: ${error.message}`);
}

function lastLines(output: string): string {
  return output.trim().split('\n').slice(-5).join(' | ') || 'no output';
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, password + '\n', { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
