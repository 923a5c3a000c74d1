import { Prisma } from '@lepton/db';
import type { RequestStatsRow } from './request-stats';

/** Stats rows older than this are deleted by the maintenance loop. */
export const STATS_RETENTION_DAYS = 30;

/** Requests of one revision in one time step, with the merged latency histogram. */
export interface AggregatedStats {
  revisionId: string;
  time: Date;
  requests: number;
  errors: number;
  clientErrors: number;
  latencySumMs: number;
  batchSizeSum: number;
  latencyBuckets: number[];
}

export interface RequestSample {
  deploymentId: string;
  revisionId: string | null;
  at: Date;
  latencyMs: number;
  /** HTTP status of the answer. */
  status: number;
  /** sha256 (hex) of the request body's instances. */
  inputSha256: string;
  instances: number;
  /** The request (and answer) when the deployment logs payloads; leave it out otherwise. */
  payload?: unknown;
  error?: string | null;
}

const SAMPLE_FIELDS = {
  id: true,
  deploymentId: true,
  revisionId: true,
  at: true,
  latencyMs: true,
  status: true,
  inputSha256: true,
  instances: true,
  payload: true,
  error: true,
} as const;

export type RequestSampleRecord = Prisma.DeploymentRequestSampleGetPayload<{ select: typeof SAMPLE_FIELDS }>;

interface AggregateRow {
  revision_id: string;
  time: Date;
  requests: number;
  errors: number;
  client_errors: number;
  latency_sum_ms: number;
  batch_size_sum: number;
  buckets: number[] | null;
}

export class RequestStatsRepository {
  constructor(private readonly db: Prisma.TransactionClient) {}

  /**
   * Adds the rows to what is stored (other serving processes write the same buckets). Rows of
   * revisions that no longer exist (a deployment deleted meanwhile) are dropped.
   */
  async add(rows: readonly RequestStatsRow[]): Promise<void> {
    if (rows.length === 0) return;
    const json = JSON.stringify(
      rows.map((row) => ({
        deployment_id: row.deploymentId,
        revision_id: row.revisionId,
        bucket_start: row.bucketStart.toISOString(),
        requests: row.requests,
        errors: row.errors,
        client_errors: row.clientErrors,
        latency_sum_ms: row.latencySumMs,
        latency_buckets: row.latencyBuckets,
        batch_size_sum: row.batchSizeSum,
      })),
    );
    await this.db.$executeRaw`
      INSERT INTO deployment_request_stats AS s
        (deployment_id, revision_id, bucket_start, requests, errors, client_errors, latency_sum_ms, latency_buckets, batch_size_sum)
      SELECT r.deployment_id, r.revision_id, r.bucket_start, r.requests, r.errors, r.client_errors, r.latency_sum_ms, r.latency_buckets, r.batch_size_sum
      FROM jsonb_to_recordset(${json}::jsonb) AS r(
        deployment_id uuid, revision_id uuid, bucket_start timestamptz, requests int, errors int, client_errors int,
        latency_sum_ms float8, latency_buckets int[], batch_size_sum bigint)
      JOIN deployment_revision rev ON rev.id = r.revision_id AND rev.deployment_id = r.deployment_id
      ORDER BY r.deployment_id, r.revision_id, r.bucket_start
      ON CONFLICT (deployment_id, revision_id, bucket_start) DO UPDATE SET
        requests = s.requests + EXCLUDED.requests,
        errors = s.errors + EXCLUDED.errors,
        client_errors = s.client_errors + EXCLUDED.client_errors,
        latency_sum_ms = s.latency_sum_ms + EXCLUDED.latency_sum_ms,
        batch_size_sum = s.batch_size_sum + EXCLUDED.batch_size_sum,
        latency_buckets = ARRAY(
          SELECT coalesce(a, 0) + coalesce(b, 0)
          FROM unnest(s.latency_buckets, EXCLUDED.latency_buckets) WITH ORDINALITY AS h(a, b, ord)
          ORDER BY ord)`;
  }

  /**
   * Sums per revision over [from, to) (to open when left out), in steps of `stepSeconds` (aligned to the epoch), or as one
   * total per revision when `stepSeconds` is null. Histograms are merged in SQL.
   */
  async aggregate(
    deploymentId: string,
    range: { from: Date; to?: Date; stepSeconds: number | null; revisionIds?: readonly string[] },
  ): Promise<AggregatedStats[]> {
    const time =
      range.stepSeconds === null
        ? Prisma.sql`${range.from}::timestamptz`
        : Prisma.sql`to_timestamp(floor(extract(epoch FROM bucket_start) / ${range.stepSeconds}) * ${range.stepSeconds})`;
    const revisions = range.revisionIds
      ? Prisma.sql`AND revision_id = ANY(${[...range.revisionIds]}::uuid[])`
      : Prisma.empty;
    const until = range.to ? Prisma.sql`AND bucket_start < ${range.to}` : Prisma.empty;
    const rows = await this.db.$queryRaw<AggregateRow[]>`
      WITH picked AS (
        SELECT revision_id, ${time} AS time, requests, errors, client_errors, latency_sum_ms, batch_size_sum, latency_buckets
        FROM deployment_request_stats
        WHERE deployment_id = ${deploymentId}::uuid AND bucket_start >= ${range.from} ${until} ${revisions}
      ),
      totals AS (
        SELECT revision_id, time, sum(requests)::float8 AS requests, sum(errors)::float8 AS errors,
          sum(client_errors)::float8 AS client_errors, sum(latency_sum_ms)::float8 AS latency_sum_ms,
          sum(batch_size_sum)::float8 AS batch_size_sum
        FROM picked GROUP BY revision_id, time
      ),
      histograms AS (
        SELECT revision_id, time, array_agg(count ORDER BY ord) AS buckets
        FROM (
          SELECT revision_id, time, ord, sum(count)::float8 AS count
          FROM picked, unnest(latency_buckets) WITH ORDINALITY AS h(count, ord)
          GROUP BY revision_id, time, ord
        ) merged
        GROUP BY revision_id, time
      )
      SELECT totals.*, histograms.buckets
      FROM totals LEFT JOIN histograms USING (revision_id, time)
      ORDER BY revision_id, time`;
    return rows.map((row) => ({
      revisionId: row.revision_id,
      time: row.time,
      requests: row.requests,
      errors: row.errors,
      clientErrors: row.client_errors,
      latencySumMs: row.latency_sum_ms,
      batchSizeSum: row.batch_size_sum,
      latencyBuckets: row.buckets ?? [],
    }));
  }

  /** The database's clock, so windows mean the same on every machine. */
  async now(): Promise<Date> {
    const [row] = await this.db.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
    return row!.now;
  }

  async addSamples(samples: readonly RequestSample[]): Promise<void> {
    if (samples.length === 0) return;
    const ids = [...new Set(samples.map((sample) => sample.deploymentId))];
    // Samples of deployments deleted meanwhile are dropped rather than failing the batch.
    const existing = new Set(
      (await this.db.deployment.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((row) => row.id),
    );
    const data = samples
      .filter((sample) => existing.has(sample.deploymentId))
      .map((sample) => ({
        deploymentId: sample.deploymentId,
        revisionId: sample.revisionId,
        at: sample.at,
        latencyMs: sample.latencyMs,
        status: sample.status,
        inputSha256: sample.inputSha256,
        instances: sample.instances,
        ...(sample.payload === undefined || sample.payload === null
          ? {}
          : { payload: sample.payload as Prisma.InputJsonValue }),
        error: sample.error ?? null,
      }));
    if (data.length > 0) await this.db.deploymentRequestSample.createMany({ data });
  }

  /** Newest first. */
  listSamples(deploymentId: string, take: number, beforeId?: bigint) {
    return this.db.deploymentRequestSample.findMany({
      where: { deploymentId, ...(beforeId === undefined ? {} : { id: { lt: beforeId } }) },
      orderBy: { id: 'desc' },
      take,
      select: SAMPLE_FIELDS,
    });
  }

  /** Deletes samples past their deployment's retention and stats past STATS_RETENTION_DAYS. */
  async purgeExpired(): Promise<{ samples: number; stats: number }> {
    const samples = await this.db.$executeRaw`
      DELETE FROM deployment_request_sample s USING deployment d
      WHERE s.deployment_id = d.id AND s.at < now() - make_interval(hours => d.request_log_retention_hours)`;
    const stats = await this.db.$executeRaw`
      DELETE FROM deployment_request_stats WHERE bucket_start < now() - make_interval(days => ${STATS_RETENTION_DAYS}::int)`;
    return { samples, stats };
  }
}
