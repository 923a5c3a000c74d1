import { createArtifactStoreFromEnv, type ArtifactStore } from '@lepton/artifacts';
import { NotificationBus, openDatabase } from '@lepton/db';
import { JobQueue, lazyJobQueue } from '@lepton/jobs';
import { createRegistry } from '@lepton/registry';
import { initBackend, type BackendName } from '@lepton/trainer';
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import path from 'node:path';
import { runTrainingJob } from './training-job';

export interface TrainingWorkerOptions {
  databaseUrl: string;
  /** Training jobs run at once in this process. */
  concurrency?: number;
  artifacts?: ArtifactStore;
  workDir: string;
  backend?: BackendName | null;
  heartbeatSeconds?: number;
  superviseIntervalSeconds?: number;
  log?: (line: string) => void;
}

export interface TrainingWorker {
  workerId: string;
  backend: BackendName;
  /** Graceful: running jobs stop at their next batch, checkpoint and go back to the queue. */
  stop(): Promise<void>;
}

function gitCommit(): string | null {
  if (process.env['LEPTON_GIT_COMMIT']) return process.env['LEPTON_GIT_COMMIT'];
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    return null;
  }
}

export async function startTrainingWorker(options: TrainingWorkerOptions): Promise<TrainingWorker> {
  const log = options.log ?? ((line: string) => console.log(`[worker] ${line}`));
  const backend = await initBackend(options.backend ?? null);
  const workerId = `${hostname()}:${process.pid}`;
  const db = openDatabase(options.databaseUrl, { maxConnections: 5 });
  const bus = new NotificationBus(options.databaseUrl, db.pool);
  const artifacts = options.artifacts ?? createArtifactStoreFromEnv();
  const queueOptions = {
    heartbeatSeconds: options.heartbeatSeconds ?? 30,
    superviseIntervalSeconds: options.superviseIntervalSeconds ?? 10,
  };
  const queue = await JobQueue.start(options.databaseUrl, queueOptions);
  const registry = createRegistry(db, bus, { artifacts, queue: lazyJobQueue(options.databaseUrl, queueOptions).get });
  let shuttingDown = false;
  const context = {
    registry,
    artifacts,
    workerId,
    pinnedBackend: options.backend ?? null,
    workDir: path.resolve(options.workDir),
    gitCommit: gitCommit(),
    shuttingDown: () => shuttingDown,
  };
  await queue.workTraining(async (job) => {
    log(`run ${job.runId}: attempt ${job.retryCount + 1}`);
    await runTrainingJob(context, job);
    log(`run ${job.runId}: done`);
  }, options.concurrency ?? 1);
  const unavailable = backend.skipped.map((entry) => `; ${entry.backend} unavailable: ${entry.reason}`).join('');
  log(`${workerId} ready (backend ${backend.backend} on ${backend.device}, concurrency ${options.concurrency ?? 1}${unavailable})`);
  return {
    workerId,
    backend: backend.backend,
    async stop() {
      shuttingDown = true;
      await queue.stop({ graceful: true, timeoutMs: 60_000 });
      await db.close();
    },
  };
}
