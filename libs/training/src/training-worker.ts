import { createArtifactStoreFromEnv, type ArtifactStore } from '@lepton/artifacts';
import type { ImportLimits } from '@lepton/datasets';
import { NotificationBus, openDatabase } from '@lepton/db';
import { JobQueue } from '@lepton/jobs';
import { createRegistry } from '@lepton/registry';
import { initBackend, type BackendName } from '@lepton/trainer';
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import path from 'node:path';
import { prepareImportScratch } from './import-scratch';
import { runTrainingJob } from './training-job';

/** A worker silent this long loses its runs to other workers (LEPTON_HEARTBEAT_SECONDS). */
export const DEFAULT_LEASE_SECONDS = 30;

/**
 * How a lease of `leaseSeconds` is kept and reclaimed. A worker renews its leases every second
 * and every worker looks for expired ones every second, so a run whose worker died is claimed by
 * another between leaseSeconds and leaseSeconds + 2 s after the dead worker's last renewal (the
 * reaper's pass, then the next poll of an idle worker; the reaping worker's own idle slots take it
 * at once). Short leases (tests) scale the intervals down so a lease survives a few missed renewals.
 */
export function leaseTiming(leaseSeconds: number): { renewEveryMs: number; reapEveryMs: number; pollSeconds: number } {
  const step = Math.min(1000, (leaseSeconds * 1000) / 4);
  return { renewEveryMs: step, reapEveryMs: step, pollSeconds: Math.max(0.5, step / 1000) };
}

export interface TrainingWorkerOptions {
  databaseUrl: string;
  /** Training jobs run at once in this process. */
  concurrency?: number;
  artifacts?: ArtifactStore;
  workDir: string;
  backend?: BackendName | null;
  /** A worker that does not renew its lease this long loses the run to another worker. */
  leaseSeconds?: number;
  /** Dataset imports run at once in this process (LEPTON_IMPORT_CONCURRENCY, default 1). */
  importConcurrency?: number;
  /** Caps on what an import reads (default: the LEPTON_IMPORT_* variables). */
  importLimits?: ImportLimits;
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
    return (
      execFileSync('git', ['rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim() || null
    );
  } catch {
    return null;
  }
}

export async function startTrainingWorker(options: TrainingWorkerOptions): Promise<TrainingWorker> {
  const log = options.log ?? ((line: string) => console.log(`[worker] ${line}`));
  const leaseSeconds = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  if (!(leaseSeconds >= 1))
    throw new Error(`The lease (LEPTON_HEARTBEAT_SECONDS) must be at least 1 second, got ${leaseSeconds}`);
  const timing = leaseTiming(leaseSeconds);
  const backend = await initBackend(options.backend ?? null);
  for (const skipped of backend.skipped) log(`${skipped.backend} unavailable: ${skipped.reason}`);
  const workerId = `${hostname()}:${process.pid}`;
  const db = openDatabase(options.databaseUrl, { maxConnections: 5 });
  const bus = new NotificationBus(options.databaseUrl, db.pool);
  const artifacts = options.artifacts ?? createArtifactStoreFromEnv();
  const queue = await JobQueue.start(options.databaseUrl, { pollingIntervalSeconds: timing.pollSeconds, log });
  const registry = createRegistry(db, bus, {
    artifacts,
    queue: async () => queue,
    ...(options.importLimits ? { importLimits: options.importLimits } : {}),
  });
  const importScratch = await prepareImportScratch(path.join(path.resolve(options.workDir), 'imports'), log);
  const context = {
    registry,
    artifacts,
    workerId,
    pinnedBackend: options.backend ?? null,
    workDir: path.resolve(options.workDir),
    gitCommit: gitCommit(),
    leaseSeconds,
    renewEveryMs: timing.renewEveryMs,
    log,
  };

  const resent = await registry.trainingWorker.resendUndelivered();
  if (resent.length > 0) log(`sent the jobs of ${resent.length} waiting run(s) again (their jobs were gone)`);

  let reaping = false;
  const reap = async () => {
    if (reaping) return;
    reaping = true;
    try {
      const reaped = await registry.trainingWorker.reapExpiredLeases();
      for (const run of reaped) {
        log(`run ${run.runId}: attempt ${run.attempt} on ${run.workerId} lost its lease; ${run.outcome}`);
      }
      if (reaped.some((run) => run.outcome === 'requeued')) queue.wake();
    } catch (error) {
      log(`lease reaper: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      reaping = false;
    }
  };
  const reaper = setInterval(() => void reap(), timing.reapEveryMs);

  queue.workTraining((job) => runTrainingJob(context, job), options.concurrency ?? 1);
  queue.workImports(async (job) => {
    const outcome = await registry.datasetImportWorker.run({
      datasetVersionId: job.datasetVersionId,
      signal: job.signal,
      scratchRoot: importScratch,
      log,
    });
    if (outcome !== 'SKIPPED') log(`dataset version ${job.datasetVersionId}: import ${outcome}`);
  }, options.importConcurrency ?? 1);
  log(
    `${workerId} ready (backend ${backend.backend} on ${backend.device}, concurrency ${options.concurrency ?? 1}, lease ${leaseSeconds} s)`,
  );
  return {
    workerId,
    backend: backend.backend,
    async stop() {
      clearInterval(reaper);
      await queue.stop({ graceful: true, timeoutMs: 60_000 });
      await db.close();
    },
  };
}
