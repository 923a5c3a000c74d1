/**
 * Lepton API: GraphQL over HTTP and WebSocket on one port.
 * DATABASE_URL unset → embedded PostgreSQL under .data/postgres (see README).
 */
import { applyMigrations, DEFAULT_DATA_DIR, NotificationBus, openDatabase, resolveDatabase } from '@lepton/db';
import { createArtifactStoreFromEnv } from '@lepton/artifacts';
import { createApiServer } from '@lepton/graphql-api';
import { lazyJobQueue } from '@lepton/jobs';
import { createRegistry, startDeploymentMaintenance } from '@lepton/registry';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startLocalWorkers } from './local-workers';

const log = (message: string) => console.log(`[lepton] ${message}`);
/** Set once the embedded server runs, so a failed start does not leave it behind. */
let stopDatabase: (() => Promise<void>) | undefined;

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env['LEPTON_DATA_DIR'] ?? DEFAULT_DATA_DIR);
  const database = await resolveDatabase({ dataDir, log });
  stopDatabase = () => database.stop();
  const migrations = await applyMigrations(database.url);
  if (migrations.applied.length > 0) log(`Applied migrations: ${migrations.applied.join(', ')}`);

  const db = openDatabase(database.url);
  const bus = new NotificationBus(database.url, db.pool);
  await bus.start();
  const queue = lazyJobQueue(database.url);
  const dependencies = { artifacts: createArtifactStoreFromEnv(), queue: queue.get, servingUrl: process.env['LEPTON_SERVING_URL'] || undefined };
  // The first admin exists before the port opens, so no request ever meets an empty database.
  const bootstrap = await createRegistry(db, bus, dependencies).auth.bootstrap(process.env['LEPTON_BOOTSTRAP_TOKEN'] || undefined);
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
  const server = await createApiServer({
    db,
    bus,
    dependencies,
    port: Number(process.env['PORT'] ?? 4000),
    host: process.env['HOST'] ?? '127.0.0.1',
  });

  // Workers find the embedded database through this file (DATABASE_URL is theirs to set otherwise).
  if (database.embedded) await writeFile(path.join(dataDir, 'database-url'), database.url + '\n', { mode: 0o600 });
  const workers = startLocalWorkers(Number(process.env['LEPTON_WORKERS'] ?? 1), database.url, log);
  // Canary analysis and request-log retention: whichever process holds the lock does it.
  const maintenance = startDeploymentMaintenance(db, server.registry);

  log(`GraphQL API on ${server.url} (subscriptions: ${server.url.replace(/^http/, 'ws')})`);
  log(`Health: ${server.url.replace(/\/graphql$/, '/healthz')}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    await workers.stop();
    await maintenance.stop();
    await server.close();
    await queue.stop();
    await bus.close();
    await db.close();
    await database.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch(async (error) => {
  console.error(`[lepton] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  await stopDatabase?.().catch(() => undefined);
  process.exit(1);
});
