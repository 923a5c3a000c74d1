import type { MetricRow } from '@lepton/registry';

/**
 * Collects per-batch metrics and writes them in batches: one insert per second (or per 2,000
 * points) instead of one per training step.
 */
export class MetricBuffer {
  private rows: MetricRow[] = [];
  private lastFlush = Date.now();
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (rows: MetricRow[]) => Promise<unknown>,
    private readonly intervalMs = 1000,
    private readonly maxRows = 2000,
  ) {}

  add(step: number, values: Record<string, number | undefined>): void {
    const timestamp = Date.now();
    for (const [key, value] of Object.entries(values)) {
      if (value !== undefined && Number.isFinite(value)) this.rows.push({ key, step, value, timestamp });
    }
    // A failed write surfaces at the next awaited flush (the chain stays rejected), never unhandled.
    if (this.rows.length >= this.maxRows || timestamp - this.lastFlush >= this.intervalMs) this.flush().catch(() => undefined);
  }

  /** Writes what is buffered; writes happen one after another, in order. After a failed write, every flush rejects with it. */
  flush(): Promise<void> {
    const rows = this.rows;
    this.rows = [];
    this.lastFlush = Date.now();
    if (rows.length > 0) this.writing = this.writing.then(() => this.write(rows).then(() => undefined));
    return this.writing;
  }
}
