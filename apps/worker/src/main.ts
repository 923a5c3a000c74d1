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
const PARENT_GONE_DEADLINE_MS = 3_000;
/** Set once the worker runs. */
let stop: ((reason: string) => Promise<void>) | undefined;

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
    importConcurrency: Number(process.env['LEPTON_IMPORT_CONCURRENCY'] ?? 1),
    log,
  });
  let stopping = false;
  const stopWorker = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    log(`${reason}: finishing the current batch, checkpointing and handing running jobs back`);
    await worker.stop();
    process.exit(0);
  };
  stop = stopWorker;
  process.on('SIGINT', () => void stopWorker('SIGINT'));
  process.on('SIGTERM', () => void stopWorker('SIGTERM'));
}

// Started by `npm start`: its IPC channel closes when that process ends, however it ends (kill -9,
// OOM), and the worker ends with it. The database goes too, so the hand-back gets a short deadline.
if (process.send) {
  const parentGone = () => {
    setTimeout(() => process.exit(1), PARENT_GONE_DEADLINE_MS).unref();
    if (stop) void stop('npm start exited');
    else process.exit(1);
  };
  if (process.connected) process.on('disconnect', parentGone);
  else parentGone();
}

main().catch((error) => {
  console.error(`[worker] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
