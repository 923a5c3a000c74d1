import { createArtifactStoreFromEnv } from '@lepton/artifacts';
import { NotificationBus, openDatabase } from '@lepton/db';
import { createApiServer } from '@lepton/graphql-api';
import { lazyJobQueue } from '@lepton/jobs';
import cluster from 'node:cluster';
import { apiProcessCount, poolSizePerApiProcess } from './settings';

/**
 * One API process: GraphQL over HTTP and WebSocket on the port all API processes share. The
 * primary started the database and passes its URL. Subscriptions reach events from every process
 * (and worker) through PostgreSQL LISTEN/NOTIFY.
 */
export async function runApiProcess(): Promise<void> {
  const databaseUrl = process.env['DATABASE_URL'];
  if (!databaseUrl) throw new Error('DATABASE_URL is not set (the primary process passes it)');
  const db = openDatabase(databaseUrl, { maxConnections: poolSizePerApiProcess(apiProcessCount()) });
  const bus = new NotificationBus(databaseUrl, db.pool);
  await bus.start();
  const queue = lazyJobQueue(databaseUrl);
  const server = await createApiServer({
    db,
    bus,
    // Predictions are forwarded to serving processes (LEPTON_SERVING_URL, else a live one, else port 4001).
    dependencies: {
      artifacts: createArtifactStoreFromEnv(),
      queue: queue.get,
      servingUrl: process.env['LEPTON_SERVING_URL'] || undefined,
    },
    port: Number(process.env['PORT'] ?? 4000),
    host: process.env['HOST'] ?? '127.0.0.1',
    // Tells the processes apart (logs, tests); the id is the cluster's 1, 2, 3...
    responseHeaders: { 'x-lepton-process': String(cluster.worker?.id ?? 0) },
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await queue.stop();
    await bus.close();
    await db.close();
    process.exit(0);
  };
  // From the primary when it stops, or from the terminal (Ctrl-C reaches the whole process group).
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
