import { createArtifactStoreFromEnv } from '@lepton/artifacts';
import {
  applyMigrations,
  DEFAULT_DATA_DIR,
  NotificationBus,
  openDatabase,
  resolveDatabase,
  SERVER_ROLE,
  type ResolvedDatabase,
} from '@lepton/db';
import { createRegistry, startDeploymentMaintenance, type DeploymentMaintenance } from '@lepton/registry';
import { lazyJobQueue } from '@lepton/jobs';
import { startScenarioMaintenance } from '@lepton/scenarios';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startApiProcesses, type ApiProcesses } from './api-processes';
import { startChildProcesses, type ChildProcesses } from './child-processes';
import { apiProcessCount, dashboardEnabled, databaseConnections, localWorkerCount, servingEnabled } from './settings';

const log = (message: string) => console.log(`[lepton] ${message}`);
const WORKER_MAIN = path.resolve(__dirname, '../../worker/src/main.ts');
const DASHBOARD_MAIN = path.resolve(__dirname, '../../web/start-cli.ts');
const SERVING_MAIN = path.resolve(__dirname, '../../serving/src/main.ts');
/** Supervisors (systemd, `timeout`, CI) expect a stop within 10 s of SIGTERM. */
const SHUTDOWN_DEADLINE_MS = 9_000;
/** A worker finishes its batch and checkpoints within this; past it the job is reclaimed later. */
const WORKER_STOP_GRACE_MS = 6_000;
/** An API process finishes its requests and closes its sockets within this. */
const API_STOP_GRACE_MS = 5_000;

/**
 * The process `npm start` runs: it starts the embedded PostgreSQL (unless DATABASE_URL is set),
 * applies migrations, bootstraps the first admin, then runs and supervises the API processes and
 * the training workers and the dashboard, and stops them all, the database last, on SIGTERM or SIGINT.
 */
export async function runPrimary(): Promise<void> {
  const running: {
    database?: Promise<ResolvedDatabase>;
    api?: ApiProcesses;
    workers?: ChildProcesses;
    serving?: ChildProcesses;
    dashboard?: ChildProcesses;
    maintenance?: { loop: DeploymentMaintenance; close(): Promise<void> };
  } = {};
  let stopping = false;
  /** Stops whatever has started, the database last, then exits. */
  const stop = async (reason: string | undefined, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    if (reason) log(`${reason}: shutting down`);
    setTimeout(() => {
      console.error('[lepton] shutdown took too long; exiting (the database watchdog stops PostgreSQL)');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    await Promise.all([
      running.workers?.stop(WORKER_STOP_GRACE_MS),
      running.serving?.stop(API_STOP_GRACE_MS),
      running.dashboard?.stop(API_STOP_GRACE_MS),
      running.api?.stop(API_STOP_GRACE_MS),
      running.maintenance?.close(),
    ]);
    // A database still starting is waited for and stopped: nothing is left behind.
    const database = await running.database?.catch(() => undefined);
    await database?.stop().catch(() => undefined);
    process.exit(exitCode);
  };
  // From the first moment: a supervisor may signal while the database or the API processes start.
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));

  try {
    const dataDir = path.resolve(process.env['LEPTON_DATA_DIR'] ?? DEFAULT_DATA_DIR);
    const apiProcesses = apiProcessCount();
    const workerCount = localWorkerCount();
    running.database = resolveDatabase({
      dataDir,
      log,
      role: SERVER_ROLE,
      maxConnections: databaseConnections(apiProcesses, workerCount),
    });
    const database = await running.database;
    if (stopping) return;
    const migrations = await applyMigrations(database.url);
    if (migrations.applied.length > 0) log(`Applied migrations: ${migrations.applied.join(', ')}`);
    // The first admin exists before the port opens, so no request ever meets an empty database.
    await bootstrapAdmin(database.url, dataDir);
    // Workers find the embedded database through this file (DATABASE_URL is theirs to set otherwise).
    if (database.embedded) await writeFile(path.join(dataDir, 'database-url'), database.url + '\n', { mode: 0o600 });
    if (stopping) return;

    const api = await startApiProcesses(
      apiProcesses,
      { DATABASE_URL: database.url, LEPTON_API_PROCESSES: String(apiProcesses) },
      log,
    );
    running.api = api;
    if (stopping) return;
    running.workers = startChildProcesses({
      label: 'worker',
      entry: WORKER_MAIN,
      count: workerCount,
      env: { DATABASE_URL: database.url },
      log,
    });
    if (workerCount > 0) log(`Started ${workerCount} training worker process(es) (LEPTON_WORKERS)`);
    running.maintenance = deploymentMaintenance(database.url);
    if (servingEnabled()) {
      running.serving = startChildProcesses({
        label: 'serving',
        entry: SERVING_MAIN,
        count: 1,
        env: { DATABASE_URL: database.url },
        log,
      });
    }
    const host = api.address.addressType === 6 ? `[${api.address.address}]` : api.address.address;
    const url = `http://${host}:${api.address.port}`;
    // The dashboard builds itself on its first start (it says so); the API answers meanwhile.
    if (dashboardEnabled()) {
      running.dashboard = startChildProcesses({
        label: 'dashboard',
        entry: DASHBOARD_MAIN,
        count: 1,
        env: { LEPTON_API_URL: `${url}/graphql` },
        log,
      });
    }
    log(`GraphQL API on ${url}/graphql (subscriptions: ${url.replace(/^http/, 'ws')}/graphql)`);
    log(`Health: ${url}/healthz — served by ${apiProcesses} API process(es) (LEPTON_API_PROCESSES)`);
  } catch (error) {
    if (stopping) return;
    console.error(`[lepton] failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await stop(undefined, 1);
  }
}

/**
 * Canary analysis, request-log retention and the scenario demos' Prepare. Serving processes run the same loop; a PostgreSQL
 * advisory lock lets exactly one of them act, so it goes on whichever process dies.
 */
function deploymentMaintenance(databaseUrl: string) {
  const db = openDatabase(databaseUrl, { maxConnections: 3 });
  const bus = new NotificationBus(databaseUrl, db.pool);
  // Scenario Prepare queues training runs; the queue starts on first use.
  const queue = lazyJobQueue(databaseUrl);
  const registry = createRegistry(db, bus, { artifacts: createArtifactStoreFromEnv(), queue: queue.get });
  const loop = startDeploymentMaintenance(db, registry, { log: (line) => log(`deployments: ${line}`) });
  // Prepare of the scenario demos: imports, trainings and deployments advanced under their own lock.
  const scenarios = startScenarioMaintenance(db, registry, { log: (line) => log(`scenarios: ${line}`) });
  return {
    loop,
    async close() {
      await Promise.all([loop.stop(), scenarios.stop()]);
      await queue.stop();
      await db.close();
    },
  };
}

/** On a database without users: the first admin, its token printed once and saved (0600). */
async function bootstrapAdmin(databaseUrl: string, dataDir: string): Promise<void> {
  const db = openDatabase(databaseUrl, { maxConnections: 2 });
  const bus = new NotificationBus(databaseUrl, db.pool);
  try {
    const registry = createRegistry(db, bus, {
      artifacts: createArtifactStoreFromEnv(),
      queue: () => Promise.reject(new Error('The primary process queues no jobs')),
    });
    const bootstrap = await registry.auth.bootstrap(process.env['LEPTON_BOOTSTRAP_TOKEN'] || undefined);
    if (bootstrap.generated && bootstrap.adminToken) {
      const tokenFile = path.join(dataDir, 'admin-token');
      await mkdir(dataDir, { recursive: true });
      await writeFile(tokenFile, bootstrap.adminToken + '\n', { mode: 0o600 });
      await chmod(tokenFile, 0o600);
      log(`Created the first ADMIN token (shown once, also saved to ${tokenFile}):`);
      console.log(`\n    ${bootstrap.adminToken}\n`);
    } else if (bootstrap.adminToken) {
      log('Created the first ADMIN with LEPTON_BOOTSTRAP_TOKEN.');
    }
  } finally {
    await bus.close();
    await db.close();
  }
}
