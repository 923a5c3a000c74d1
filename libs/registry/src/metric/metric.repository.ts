import type pg from 'pg';

/**
 * Rollup levels: level L (1..4) summarises steps in buckets of 16^L; level 0 is the whole series.
 * Kept in step with every insert, they let a chart of any series read at most ~16 rows per point.
 */
export const ROLLUP_WIDTHS = [16, 256, 4096, 65536] as const;

export interface MetricRow {
  key: string;
  step: number;
  value: number;
  /** Epoch milliseconds. */
  timestamp: number;
}

export interface SeriesSummary {
  count: number;
  firstStep: number;
  lastStep: number;
  lastValue: number;
  lastTimestamp: Date;
}

export interface BucketRow {
  count: number;
  minValue: number;
  maxValue: number;
  firstStep: number;
  firstValue: number;
  firstTimestamp: Date;
  lastStep: number;
  lastValue: number;
  lastTimestamp: Date;
}

// One statement: insert the points (first write of a (run, key, step) wins), then fold exactly
// the rows that were inserted into every rollup level.
const INSERT_POINTS = `
WITH input AS (
  SELECT * FROM unnest($2::text[], $3::bigint[], $4::float8[], $5::float8[]) AS t(key, step, value, epoch_ms)
), inserted AS (
  INSERT INTO metric_point (run_id, key, step, value, timestamp)
  SELECT $1::uuid, key, step, value, to_timestamp(epoch_ms / 1000.0) FROM input
  ON CONFLICT (run_id, key, step) DO NOTHING
  RETURNING key, step, value, timestamp
), levels(level, width) AS (
  VALUES (0::smallint, 0::bigint), ${ROLLUP_WIDTHS.map((width, index) => `(${index + 1}::smallint, ${width}::bigint)`).join(', ')}
), buckets AS (
  SELECT i.key, l.level, CASE WHEN l.width = 0 THEN 0 ELSE i.step / l.width END AS bucket,
         count(*) AS count, min(i.value) AS min_value, max(i.value) AS max_value,
         min(i.step) AS first_step, max(i.step) AS last_step
  FROM inserted i CROSS JOIN levels l
  GROUP BY 1, 2, 3
), rolled AS (
  INSERT INTO metric_rollup AS r (run_id, key, level, bucket, count, min_value, max_value,
    first_step, first_value, first_timestamp, last_step, last_value, last_timestamp)
  SELECT $1::uuid, b.key, b.level, b.bucket, b.count, b.min_value, b.max_value,
         b.first_step, f.value, f.timestamp, b.last_step, l.value, l.timestamp
  FROM buckets b
  JOIN inserted f ON f.key = b.key AND f.step = b.first_step
  JOIN inserted l ON l.key = b.key AND l.step = b.last_step
  ORDER BY b.key, b.level, b.bucket
  ON CONFLICT (run_id, key, level, bucket) DO UPDATE SET
    count = r.count + excluded.count,
    min_value = least(r.min_value, excluded.min_value),
    max_value = greatest(r.max_value, excluded.max_value),
    first_step = least(r.first_step, excluded.first_step),
    first_value = CASE WHEN excluded.first_step < r.first_step THEN excluded.first_value ELSE r.first_value END,
    first_timestamp = CASE WHEN excluded.first_step < r.first_step THEN excluded.first_timestamp ELSE r.first_timestamp END,
    last_step = greatest(r.last_step, excluded.last_step),
    last_value = CASE WHEN excluded.last_step > r.last_step THEN excluded.last_value ELSE r.last_value END,
    last_timestamp = CASE WHEN excluded.last_step > r.last_step THEN excluded.last_timestamp ELSE r.last_timestamp END
  RETURNING 1
)
SELECT (SELECT count(*) FROM inserted)::int AS inserted`;


/** Metric SQL goes through the pool directly: bulk arrays and rollups are beyond Prisma's query API. */
export class MetricRepository {
  constructor(private readonly pool: pg.Pool) {}

  async insert(runId: string, rows: readonly MetricRow[]): Promise<number> {
    const keys = new Array<string>(rows.length);
    const steps = new Array<number>(rows.length);
    const values = new Array<number>(rows.length);
    const times = new Array<number>(rows.length);
    rows.forEach((row, index) => {
      keys[index] = row.key;
      steps[index] = row.step;
      values[index] = row.value;
      times[index] = row.timestamp;
    });
    const result = await this.pool.query<{ inserted: number }>(INSERT_POINTS, [runId, keys, steps, values, times]);
    return result.rows[0]?.inserted ?? 0;
  }

  async keys(runId: string): Promise<string[]> {
    const result = await this.pool.query<{ key: string }>(
      'SELECT key FROM metric_rollup WHERE run_id = $1 AND level = 0 AND bucket = 0 ORDER BY key',
      [runId],
    );
    return result.rows.map((row) => row.key);
  }

  async summaries(runId: string): Promise<Map<string, SeriesSummary>> {
    const result = await this.pool.query<SeriesSummary & { key: string }>(
      `SELECT key, count::float8 AS "count", first_step::float8 AS "firstStep", last_step::float8 AS "lastStep",
              last_value AS "lastValue", last_timestamp AS "lastTimestamp"
       FROM metric_rollup WHERE run_id = $1 AND level = 0 AND bucket = 0`,
      [runId],
    );
    return new Map(result.rows.map(({ key, ...summary }) => [key, summary]));
  }

  async summary(runId: string, key: string): Promise<SeriesSummary | undefined> {
    const result = await this.pool.query<SeriesSummary>(
      `SELECT count::float8 AS "count", first_step::float8 AS "firstStep", last_step::float8 AS "lastStep",
              last_value AS "lastValue", last_timestamp AS "lastTimestamp"
       FROM metric_rollup WHERE run_id = $1 AND key = $2 AND level = 0 AND bucket = 0`,
      [runId, key],
    );
    return result.rows[0];
  }

  /** Every point of a series, oldest step first (only used when the series is small). */
  async points(runId: string, key: string): Promise<{ step: number; value: number; timestamp: Date }[]> {
    const result = await this.pool.query(
      `SELECT step::float8 AS step, value, timestamp FROM metric_point WHERE run_id = $1 AND key = $2 ORDER BY step`,
      [runId, key],
    );
    return result.rows;
  }

  /** Buckets of `width` steps (aligned to multiples of width) computed from the raw points. */
  async bucketsFromPoints(runId: string, key: string, width: number): Promise<BucketRow[]> {
    const result = await this.pool.query<BucketRow>(
      `SELECT count(*)::float8 AS "count", min(value) AS "minValue", max(value) AS "maxValue",
              min(step)::float8 AS "firstStep", (array_agg(value ORDER BY step))[1] AS "firstValue",
              (array_agg(timestamp ORDER BY step))[1] AS "firstTimestamp",
              max(step)::float8 AS "lastStep", (array_agg(value ORDER BY step DESC))[1] AS "lastValue",
              (array_agg(timestamp ORDER BY step DESC))[1] AS "lastTimestamp"
       FROM metric_point WHERE run_id = $1 AND key = $2
       GROUP BY step / $3 ORDER BY step / $3`,
      [runId, key, width],
    );
    return result.rows;
  }

  /**
   * Buckets of `width` steps merged from rollup `level` (whose width divides `width`), so a
   * million-point series is charted from a few thousand rollup rows.
   */
  async bucketsFromRollup(runId: string, key: string, level: number, width: number): Promise<BucketRow[]> {
    const ratio = width / ROLLUP_WIDTHS[level - 1]!;
    const result = await this.pool.query<BucketRow>(
      `SELECT sum(count)::float8 AS "count", min(min_value) AS "minValue", max(max_value) AS "maxValue",
              min(first_step)::float8 AS "firstStep", (array_agg(first_value ORDER BY bucket))[1] AS "firstValue",
              (array_agg(first_timestamp ORDER BY bucket))[1] AS "firstTimestamp",
              max(last_step)::float8 AS "lastStep", (array_agg(last_value ORDER BY bucket DESC))[1] AS "lastValue",
              (array_agg(last_timestamp ORDER BY bucket DESC))[1] AS "lastTimestamp"
       FROM metric_rollup WHERE run_id = $1 AND key = $2 AND level = $3
       GROUP BY bucket / $4 ORDER BY bucket / $4`,
      [runId, key, level, ratio],
    );
    return result.rows;
  }
}

