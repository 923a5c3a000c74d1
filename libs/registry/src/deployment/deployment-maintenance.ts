import { SessionLock, type Database } from '@lepton/db';
import type { Registry } from '../registry';
import { uploadRetentionHoursFromEnv } from '../upload/upload.service';

/** The advisory lock key of the deployment maintenance loop (one holder among all processes). */
export const MAINTENANCE_LOCK_KEY = 4_242_007;
/** Retention purges and stale-instance cleanup run this often. */
const CLEANUP_EVERY_MS = 60_000;

export interface DeploymentMaintenance {
  /** Whether this process holds the lock (and so does the work). */
  readonly isLeader: boolean;
  stop(): Promise<void>;
}

/** Imports whose worker died are failed this often. */
const STALE_IMPORTS_EVERY_MS = 10_000;

/**
 * Canary analysis, request-log and stats retention, and removal of long-dead serving instances;
 * also deleting unused and rejected uploads after LEPTON_UPLOAD_RETENTION_HOURS, and failing
 * imports whose worker died.
 * Every API primary and serving process starts it; a PostgreSQL session advisory lock lets exactly
 * one act at a time, and when that process dies its connection (and lock) goes with it, so
 * another takes over within one tick.
 */
export function startDeploymentMaintenance(
  db: Database,
  registry: Registry,
  options: { log?: (line: string) => void; tickMs?: number; uploadRetentionHours?: number; cleanupEveryMs?: number } = {},
): DeploymentMaintenance {
  const log = options.log ?? ((line: string) => console.log(`[deployments] ${line}`));
  const uploadRetentionHours = options.uploadRetentionHours ?? uploadRetentionHoursFromEnv();
  const cleanupEveryMs = options.cleanupEveryMs ?? CLEANUP_EVERY_MS;
  let lastStaleImports = 0;
  const lock = new SessionLock(db.url, MAINTENANCE_LOCK_KEY);
  let stopped = false;
  let lastCleanup = 0;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> = Promise.resolve();

  const tick = async () => {
    try {
      if (!(await lock.tryAcquire())) return;
      for (const outcome of await registry.canaryAnalysis.runOnce()) {
        if (outcome.verdict !== 'WAIT') log(`${outcome.deployment}: ${outcome.reason}`);
      }
      if (Date.now() - lastStaleImports >= Math.min(STALE_IMPORTS_EVERY_MS, cleanupEveryMs)) {
        lastStaleImports = Date.now();
        for (const id of await registry.datasetImportWorker.failStale()) log(`dataset version ${id}: its import's worker stopped; FAILED`);
      }
      if (Date.now() - lastCleanup >= cleanupEveryMs) {
        lastCleanup = Date.now();
        await registry.requestStats.purgeExpired();
        await registry.servingInstances.purgeStale();
        const purged = await registry.uploads.purgeExpired(uploadRetentionHours);
        if (purged > 0) log(`deleted ${purged} unused or rejected upload(s) older than ${uploadRetentionHours} h`);
      }
    } catch (error) {
      log(`maintenance pass failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      pass = tick().finally(schedule);
    }, options.tickMs ?? 1000);
    timer.unref();
  };
  pass = tick().finally(schedule);

  return {
    get isLeader() {
      return lock.isHeld;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pass;
      await lock.release();
    },
  };
}
