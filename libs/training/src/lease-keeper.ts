import { isDomainError, type ProgressReport, type Registry, type RunLease } from '@lepton/registry';

/**
 * Keeps a claimed run's lease alive: every `intervalMs` one write renews it and carries the latest
 * progress (so the heartbeat does not depend on batches finishing: data loading, evaluation and
 * saving renew too). Notices when the run was asked to stop, and when the lease was lost to another
 * worker (then `lost` is set and nothing more is written).
 */
export class LeaseKeeper {
  lost = false;
  cancelRequested = false;
  private progress: ProgressReport | undefined;
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> | undefined;

  constructor(
    private readonly registry: Registry,
    readonly lease: RunLease,
    private readonly intervalMs: number,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.renew(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The progress the next renewal writes. */
  setProgress(progress: ProgressReport): void {
    this.progress = progress;
  }

  /** Renews now (one renewal at a time; a call during one waits for it). */
  renew(): Promise<void> {
    this.renewing ??= this.write().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async write(): Promise<void> {
    if (this.lost) return;
    try {
      const { cancelRequested } = await this.registry.trainingWorker.report(this.lease, this.progress);
      if (cancelRequested) this.cancelRequested = true;
    } catch (error) {
      if (isDomainError(error, 'RUN_NOT_OWNED')) {
        this.lost = true;
        this.stop();
        return;
      }
      // A database blip: the next renewal retries; only a lease that expires meanwhile is lost.
      this.log(
        `run ${this.lease.runId}: could not renew the lease: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
