import { SessionLock, type Database } from '@lepton/db';
import type { Registry } from '@lepton/registry';
import { ScenarioReconciler } from './scenario-reconciler';

/** The advisory lock of the scenario loop (one holder among all API primaries). */
export const SCENARIO_LOCK_KEY = 4_242_009;

export interface ScenarioMaintenance {
  readonly isLeader: boolean;
  stop(): Promise<void>;
}

/**
 * Runs the scenario reconciler every tick in whichever process holds the lock, beside the deployment
 * maintenance loop of the API primary: Prepare goes on after an API restart, from where it stopped.
 */
export function startScenarioMaintenance(
  db: Database,
  registry: Registry,
  options: { log?: (line: string) => void; tickMs?: number } = {},
): ScenarioMaintenance {
  const log = options.log ?? ((line: string) => console.log(`[scenarios] ${line}`));
  const reconciler = new ScenarioReconciler(db.prisma, registry, log);
  const lock = new SessionLock(db.url, SCENARIO_LOCK_KEY);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> = Promise.resolve();

  const tick = async () => {
    try {
      if (await lock.tryAcquire()) await reconciler.runOnce();
    } catch (error) {
      log(`scenario pass failed: ${error instanceof Error ? error.message : String(error)}`);
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
