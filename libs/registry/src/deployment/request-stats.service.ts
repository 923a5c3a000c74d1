import type { PrismaClient } from '@lepton/db';
import { badInput } from '../shared/domain-error';
import { decodeBigIntCursor, pageSize, toPage, type PageRequest } from '../shared/pagination';
import type { WindowStats } from './canary-analysis';
import { RequestStatsRepository, type AggregatedStats, type RequestSample } from './request-stats.repository';
import {
  histogramQuantile,
  LATENCY_BUCKETS_MS,
  RequestStatsAccumulator,
  STATS_BUCKET_SECONDS,
  type RequestStatsRow,
} from './request-stats';

/** One time step of one revision's traffic. */
export interface MetricsPoint {
  time: Date;
  requests: number;
  /** Requests per second over the step. */
  rps: number;
  /** Server and model errors over requests that reached a model; null without any. */
  errorRate: number | null;
  /** 4xx over all requests; null without any. */
  clientErrorRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  meanBatchSize: number | null;
}

export interface RevisionMetrics {
  revisionId: string;
  points: MetricsPoint[];
}

export interface DeploymentMetrics {
  from: Date;
  to: Date;
  stepSeconds: number;
  revisions: RevisionMetrics[];
}

export const METRICS_LIMITS = { maxWindowSeconds: 7 * 24 * 3600, maxPoints: 1000 } as const;

export class RequestStatsService {
  private readonly stats: RequestStatsRepository;

  constructor(prisma: PrismaClient) {
    this.stats = new RequestStatsRepository(prisma);
  }

  async record(rows: readonly RequestStatsRow[]): Promise<void> {
    await this.stats.add(mergeRows(rows));
  }

  recordSamples(samples: readonly RequestSample[]): Promise<void> {
    return this.stats.addSamples(samples);
  }

  /**
   * rps, error rates and p50/p95/p99 per revision over the last `windowSeconds`, in steps of
   * `stepSeconds` (a multiple of 10). Every step of the window is present; steps without traffic
   * have 0 requests and null rates.
   */
  async metrics(deploymentId: string, windowSeconds: number, stepSeconds: number): Promise<DeploymentMetrics> {
    if (
      !Number.isInteger(windowSeconds) ||
      windowSeconds < STATS_BUCKET_SECONDS ||
      windowSeconds > METRICS_LIMITS.maxWindowSeconds
    ) {
      throw badInput(`window must be between ${STATS_BUCKET_SECONDS} and ${METRICS_LIMITS.maxWindowSeconds} seconds`, {
        field: 'window',
      });
    }
    if (
      !Number.isInteger(stepSeconds) ||
      stepSeconds < STATS_BUCKET_SECONDS ||
      stepSeconds % STATS_BUCKET_SECONDS !== 0
    ) {
      throw badInput(`step must be a multiple of ${STATS_BUCKET_SECONDS} seconds`, { field: 'step' });
    }
    if (windowSeconds / stepSeconds > METRICS_LIMITS.maxPoints) {
      throw badInput(`window / step must be at most ${METRICS_LIMITS.maxPoints} points`, { field: 'step' });
    }
    const now = await this.stats.now();
    const step = stepSeconds * 1000;
    const to = new Date(Math.floor(now.getTime() / step) * step + step);
    const from = new Date(to.getTime() - Math.ceil(windowSeconds / stepSeconds) * step);
    const rows = await this.stats.aggregate(deploymentId, { from, to, stepSeconds });
    const byRevision = new Map<string, Map<number, AggregatedStats>>();
    for (const row of rows) {
      let steps = byRevision.get(row.revisionId);
      if (!steps) byRevision.set(row.revisionId, (steps = new Map()));
      steps.set(row.time.getTime(), row);
    }
    const revisions = [...byRevision].map(([revisionId, steps]) => {
      const points: MetricsPoint[] = [];
      for (let time = from.getTime(); time < to.getTime(); time += step)
        points.push(pointOf(new Date(time), stepSeconds, steps.get(time)));
      return { revisionId, points };
    });
    return { from, to, stepSeconds, revisions };
  }

  /** The database's clock: windows mean the same whichever machine asks. */
  now(): Promise<Date> {
    return this.stats.now();
  }

  /**
   * Per revision, what happened in the 10-second buckets from the one holding `since` on (the
   * analysis window); revisions without traffic are all zero.
   */
  async windowStats(
    deploymentId: string,
    revisionIds: readonly string[],
    since: Date,
  ): Promise<Map<string, WindowStats>> {
    const from = new Date(Math.floor(since.getTime() / (STATS_BUCKET_SECONDS * 1000)) * STATS_BUCKET_SECONDS * 1000);
    // Open-ended: buckets a serving process stamped slightly ahead of the database's clock count too.
    const rows = await this.stats.aggregate(deploymentId, { from, stepSeconds: null, revisionIds });
    return new Map<string, WindowStats>(
      revisionIds.map((id) => {
        const row = rows.find((candidate) => candidate.revisionId === id);
        return [
          id,
          {
            requests: row?.requests ?? 0,
            errors: row?.errors ?? 0,
            clientErrors: row?.clientErrors ?? 0,
            latencyBuckets: row?.latencyBuckets ?? [],
          },
        ];
      }),
    );
  }

  async requestLog(deploymentId: string, page: PageRequest) {
    const size = pageSize(page.first);
    const rows = await this.stats.listSamples(deploymentId, size + 1, decodeBigIntCursor(page.after));
    return toPage(rows, size, (row) => row.id.toString());
  }

  purgeExpired() {
    return this.stats.purgeExpired();
  }
}

function pointOf(time: Date, stepSeconds: number, row: AggregatedStats | undefined): MetricsPoint {
  const requests = row?.requests ?? 0;
  const served = row ? row.requests - row.clientErrors : 0;
  const quantile = (q: number) => (row ? histogramQuantile(row.latencyBuckets, q) : null);
  return {
    time,
    requests,
    rps: requests / stepSeconds,
    errorRate: served > 0 ? row!.errors / served : null,
    clientErrorRate: requests > 0 ? row!.clientErrors / requests : null,
    p50Ms: quantile(0.5),
    p95Ms: quantile(0.95),
    p99Ms: quantile(0.99),
    meanBatchSize: served > 0 ? row!.batchSizeSum / served : null,
  };
}

/** One row per (deployment, revision, bucket), as the upsert needs; rows must have the fixed histogram. */
function mergeRows(rows: readonly RequestStatsRow[]): RequestStatsRow[] {
  for (const row of rows) {
    if (
      row.latencyBuckets.length !== LATENCY_BUCKETS_MS.length + 1 ||
      !row.latencyBuckets.every((count) => Number.isInteger(count) && count >= 0)
    ) {
      throw new Error(
        `A stats row must carry ${LATENCY_BUCKETS_MS.length + 1} latency bucket counts (LATENCY_BUCKETS_MS)`,
      );
    }
  }
  const accumulator = new RequestStatsAccumulator();
  accumulator.restore(rows);
  return accumulator.drain();
}
