/**
 * Request statistics as serving processes collect them: per (deployment, revision, 10-second
 * bucket) a count, errors, and a latency histogram with fixed bounds, so rows from any number of
 * processes add up and percentiles come from the merged histogram.
 */

export const STATS_BUCKET_SECONDS = 10;

/**
 * Upper bounds (inclusive, milliseconds) of the latency histogram; a last, open bucket counts the
 * rest. Roughly 1-2-3-5 steps: a percentile read from it is within one step of the truth.
 */
export const LATENCY_BUCKETS_MS: readonly number[] = [
  0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10_000,
];

/** How a request ended: errors are 5xx and model failures; client errors are 4xx (bad input, auth). */
export type RequestOutcome = 'ok' | 'error' | 'client_error';

export interface RequestStatsRow {
  deploymentId: string;
  revisionId: string;
  bucketStart: Date;
  requests: number;
  errors: number;
  clientErrors: number;
  latencySumMs: number;
  /** LATENCY_BUCKETS_MS.length + 1 counts. */
  latencyBuckets: number[];
  batchSizeSum: number;
}

export interface RecordedRequest {
  deploymentId: string;
  revisionId: string;
  latencyMs: number;
  outcome: RequestOutcome;
  /** Size of the batch the request ran in (its own instances included). */
  batchSize: number;
  at?: Date;
}

export function bucketStartOf(at: Date): Date {
  const size = STATS_BUCKET_SECONDS * 1000;
  return new Date(Math.floor(at.getTime() / size) * size);
}

export function latencyBucketIndex(latencyMs: number): number {
  const index = LATENCY_BUCKETS_MS.findIndex((bound) => latencyMs <= bound);
  return index === -1 ? LATENCY_BUCKETS_MS.length : index;
}

export function emptyHistogram(): number[] {
  return new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
}

/**
 * The q-quantile (0..1) of a histogram, interpolated linearly inside its bucket as Prometheus's
 * histogram_quantile does; null when it is empty. The open last bucket answers its lower bound.
 */
export function histogramQuantile(counts: readonly number[], q: number): number | null {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let index = 0; index < counts.length; index += 1) {
    const count = counts[index]!;
    if (count > 0 && below + count >= rank) {
      const lower = index === 0 ? 0 : LATENCY_BUCKETS_MS[index - 1]!;
      if (index >= LATENCY_BUCKETS_MS.length) return lower;
      const upper = LATENCY_BUCKETS_MS[index]!;
      return lower + ((upper - lower) * Math.max(0, rank - below)) / count;
    }
    below += count;
  }
  return LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]!;
}

export function mergeHistograms(target: number[], source: readonly number[]): number[] {
  for (let index = 0; index < target.length; index += 1) target[index]! += source[index] ?? 0;
  return target;
}

/**
 * Collects a serving process's requests between flushes. `drain()` hands back the rows and starts
 * over; `DeploymentCatalog.recordStats` stores them with one upsert that adds to what other
 * processes wrote.
 */
export class RequestStatsAccumulator {
  private rows = new Map<string, RequestStatsRow>();

  record(request: RecordedRequest): void {
    const bucketStart = bucketStartOf(request.at ?? new Date());
    const key = `${request.deploymentId}|${request.revisionId}|${bucketStart.getTime()}`;
    let row = this.rows.get(key);
    if (!row) {
      row = {
        deploymentId: request.deploymentId,
        revisionId: request.revisionId,
        bucketStart,
        requests: 0,
        errors: 0,
        clientErrors: 0,
        latencySumMs: 0,
        latencyBuckets: emptyHistogram(),
        batchSizeSum: 0,
      };
      this.rows.set(key, row);
    }
    row.requests += 1;
    if (request.outcome === 'error') row.errors += 1;
    if (request.outcome === 'client_error') row.clientErrors += 1;
    // Refused requests are answered before any model runs: they would only flatter the latency.
    if (request.outcome === 'client_error') return;
    const latency = Number.isFinite(request.latencyMs) && request.latencyMs > 0 ? request.latencyMs : 0;
    row.latencySumMs += latency;
    row.latencyBuckets[latencyBucketIndex(latency)]! += 1;
    row.batchSizeSum += Math.max(0, Math.round(request.batchSize));
  }

  /** Rows collected since the last drain (empty when nothing happened). */
  drain(): RequestStatsRow[] {
    const rows = [...this.rows.values()];
    this.rows = new Map();
    return rows;
  }

  /** Puts rows back after a failed flush, so they go with the next one. */
  restore(rows: readonly RequestStatsRow[]): void {
    for (const row of rows) {
      const key = `${row.deploymentId}|${row.revisionId}|${row.bucketStart.getTime()}`;
      const existing = this.rows.get(key);
      if (!existing) {
        this.rows.set(key, { ...row, latencyBuckets: [...row.latencyBuckets] });
        continue;
      }
      existing.requests += row.requests;
      existing.errors += row.errors;
      existing.clientErrors += row.clientErrors;
      existing.latencySumMs += row.latencySumMs;
      existing.batchSizeSum += row.batchSizeSum;
      mergeHistograms(existing.latencyBuckets, row.latencyBuckets);
    }
  }
}

/**
 * Which requests go to the request log: per deployment and second, the first `perSecond` that
 * succeeded and the first `errorsPerSecond` that did not. Decided before the input is hashed.
 */
export class RequestSampler {
  private readonly windows = new Map<string, { second: number; ok: number; failed: number }>();

  constructor(
    private readonly perSecond = 2,
    private readonly errorsPerSecond = 10,
  ) {}

  shouldSample(deploymentId: string, status: number, now = Date.now()): boolean {
    const second = Math.floor(now / 1000);
    let window = this.windows.get(deploymentId);
    if (!window || window.second !== second) {
      window = { second, ok: 0, failed: 0 };
      this.windows.set(deploymentId, window);
    }
    if (status < 400) {
      if (window.ok >= this.perSecond) return false;
      window.ok += 1;
      return true;
    }
    if (window.failed >= this.errorsPerSecond) return false;
    window.failed += 1;
    return true;
  }
}
