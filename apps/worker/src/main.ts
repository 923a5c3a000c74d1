/**
 * Lepton training worker: pulls training jobs from the PostgreSQL queue. Run any number, on any
 * machine that reaches the database (DATABASE_URL), each with LEPTON_WORKER_CONCURRENCY jobs.
 * Without DATABASE_URL it joins the local `npm start` (the URL the API wrote to .data/database-url).
 */
import { DEFAULT_DATA_DIR } from '@lepton/db';
import { DEFAULT_LEASE_SECONDS, startTrainingWorker } from '@lepton/training';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const log = (message: string) => console.log(`[worker] ${message}`);

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env['LEPTON_DATA_DIR'] ?? DEFAULT_DATA_DIR);
  const databaseUrl =
    process.env['DATABASE_URL'] ??
    (await readFile(path.join(dataDir, 'database-url'), 'utf8').then(
      (url) => url.trim(),
      () => {
        throw new Error('Set DATABASE_URL, or start the platform first (npm start) so the worker can find its database');
      },
    ));
  const worker = await startTrainingWorker({
    databaseUrl,
    concurrency: Number(process.env['LEPTON_WORKER_CONCURRENCY'] ?? 1),
    workDir: path.join(dataDir, 'worker'),
    backend: (process.env['LEPTON_TF_BACKEND'] as never) || null,
    leaseSeconds: Number(process.env['LEPTON_HEARTBEAT_SECONDS'] ?? DEFAULT_LEASE_SECONDS),
    log,
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing the current batch, checkpointing and handing running jobs back`);
    await worker.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  console.error(`[worker] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
