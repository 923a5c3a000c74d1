import type { RunRecord } from './run.repository';

export type RunLeaseState = 'ACTIVE' | 'LOST' | 'RELEASED';

export interface RunLeaseView {
  state: RunLeaseState;
  expiresAt: Date | null;
}

/**
 * The lease of a RUNNING training run as clients see it (null for other runs): ACTIVE while its
 * worker renews it; LOST once it expired (the reaper then hands the run to another worker, keeping
 * the expiry); RELEASED when the worker handed it back.
 */
export function runLease(
  run: Pick<RunRecord, 'kind' | 'status' | 'workerId' | 'leaseExpiresAt'>,
  now = Date.now(),
): RunLeaseView | null {
  if (run.kind !== 'TRAINING' || run.status !== 'RUNNING') return null;
  if (!run.leaseExpiresAt) return { state: 'RELEASED', expiresAt: null };
  const active = run.workerId !== null && run.leaseExpiresAt.getTime() > now;
  return { state: active ? 'ACTIVE' : 'LOST', expiresAt: run.leaseExpiresAt };
}
