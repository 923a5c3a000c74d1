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

/** The steps a chart covers. */
export type StepSpan = Pick<SeriesSummary, 'firstStep' | 'lastStep'>;

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

const LEVELS = [0, ...ROLLUP_WIDTHS.map((_, index) => index + 1)];

const UNNEST_POINTS = `
SELECT $1::uuid, key, step, value, to_timestamp(epoch_ms / 1000.0)
FROM unnest($2::text[], $3::bigint[], $4::float8[], $5::float8[]) AS t(key, step, value, epoch_ms)`;

// The common case, points appended after everything stored: a plain insert, about twice as fast
// as ON CONFLICT's speculative insertion. The primary key still guards it.
const APPEND_POINTS = `INSERT INTO metric_point (run_id, key, step, value, timestamp) ${UNNEST_POINTS}`;

// Otherwise the first write of a (run, key, step) wins; RETURNING says which points were new.
const MERGE_POINTS = `INSERT INTO metric_point (run_id, key, step, value, timestamp) ${UNNEST_POINTS}
ON CONFLICT (run_id, key, step) DO NOTHING
RETURNING key, step::float8 AS step`;

const LAST_STEPS = `SELECT key, last_step::float8 AS "lastStep" FROM metric_rollup
WHERE run_id = $1 AND level = 0 AND bucket = 0 AND key = ANY($2::text[])`;

const UNIQUE_VIOLATION = '23505';

/**
 * Who may add points to a run, checked under a share lock on the run row in the insert's own
 * transaction (so a finish or a takeover cannot slip between the check and the insert): clients
 * write their own active runs (never training runs), a worker writes the training run it holds.
 */
export type MetricWriter = { client: true } | { workerId: string; attempt: number };

function guardQuery(runId: string, writer: MetricWriter): { text: string; values: unknown[] } {
  if ('client' in writer) {
    return {
      text: `SELECT 1 FROM run WHERE id = $1 AND kind <> 'TRAINING' AND status IN ('QUEUED', 'RUNNING') FOR SHARE`,
      values: [runId],
    };
  }
  return {
    text: `SELECT 1 FROM run WHERE id = $1 AND worker_id = $2 AND attempt = $3 AND status = 'RUNNING' FOR SHARE`,
    values: [runId, writer.workerId, writer.attempt],
  };
}

/** Thrown inside the insert's transaction when the writer may not write the run (rolls it back). */
class WriterRefused extends Error {}

// Folds one batch's summaries into the stored rollups.
const UPSERT_ROLLUPS = `
INSERT INTO metric_rollup AS r (run_id, key, level, bucket, count, min_value, max_value,
  first_step, first_value, first_timestamp, last_step, last_value, last_timestamp)
SELECT $1::uuid, key, level, bucket, count, min_value, max_value,
       first_step, first_value, to_timestamp(first_ms / 1000.0), last_step, last_value, to_timestamp(last_ms / 1000.0)
FROM unnest($2::text[], $3::smallint[], $4::bigint[], $5::bigint[], $6::float8[], $7::float8[],
            $8::bigint[], $9::float8[], $10::float8[], $11::bigint[], $12::float8[], $13::float8[])
  AS t(key, level, bucket, count, min_value, max_value, first_step, first_value, first_ms, last_step, last_value, last_ms)
ON CONFLICT (run_id, key, level, bucket) DO UPDATE SET
  count = r.count + excluded.count,
  min_value = least(r.min_value, excluded.min_value),
  max_value = greatest(r.max_value, excluded.max_value),
  first_step = least(r.first_step, excluded.first_step),
  first_value = CASE WHEN excluded.first_step < r.first_step THEN excluded.first_value ELSE r.first_value END,
  first_timestamp = CASE WHEN excluded.first_step < r.first_step THEN excluded.first_timestamp ELSE r.first_timestamp END,
  last_step = greatest(r.last_step, excluded.last_step),
  last_value = CASE WHEN excluded.last_step > r.last_step THEN excluded.last_value ELSE r.last_value END,
  last_timestamp = CASE WHEN excluded.last_step > r.last_step THEN excluded.last_timestamp ELSE r.last_timestamp END`;

interface Summary {
  key: string;
  level: number;
  bucket: number;
  count: number;
  min: number;
  max: number;
  first: MetricRow;
  last: MetricRow;
}

/** Summaries of `rows` for every rollup level, sorted by primary key (a stable lock order). */
export function summarize(rows: readonly MetricRow[]): Summary[] {
  const byKey = new Map<string, MetricRow[]>();
  for (const row of rows) {
    const group = byKey.get(row.key);
    if (group) group.push(row);
    else byKey.set(row.key, [row]);
  }
  const summaries: Summary[] = [];
  for (const key of [...byKey.keys()].sort()) {
    const group = byKey.get(key)!;
    for (const level of LEVELS) {
      const width = level === 0 ? 0 : ROLLUP_WIDTHS[level - 1]!;
      const buckets = new Map<number, Summary>();
      for (const row of group) {
        const bucket = width === 0 ? 0 : Math.floor(row.step / width);
        const summary = buckets.get(bucket);
        if (!summary) {
          buckets.set(bucket, { key, level, bucket, count: 1, min: row.value, max: row.value, first: row, last: row });
          continue;
        }
        summary.count += 1;
        if (row.value < summary.min) summary.min = row.value;
        if (row.value > summary.max) summary.max = row.value;
        if (row.step < summary.first.step) summary.first = row;
        if (row.step > summary.last.step) summary.last = row;
      }
      summaries.push(...[...buckets.values()].sort((a, b) => a.bucket - b.bucket));
    }
  }
  return summaries;
}

function columns<T>(rows: readonly T[], ...pick: ((row: T) => unknown)[]): unknown[][] {
  const out = pick.map(() => new Array<unknown>(rows.length));
  rows.forEach((row, index) => pick.forEach((get, column) => (out[column]![index] = get(row))));
  return out;
}

/** The input rows the database reported as inserted (the first of any in-batch duplicates). */
function onlyInserted(rows: readonly MetricRow[], inserted: readonly { key: string; step: number }[]): MetricRow[] {
  const wanted = new Set(inserted.map((row) => `${row.key}\u0000${row.step}`));
  return rows.filter((row) => wanted.delete(`${row.key}\u0000${row.step}`));
}

/** Metric SQL goes through the pool directly: bulk arrays and rollups are beyond Prisma's query API. */
export class MetricRepository {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Inserts the points and folds exactly the new ones (not re-sent duplicates) into every rollup
   * level, in one transaction. Returns how many points were new, or null when `writer` may not
   * write the run (nothing is stored).
   */
  async insert(runId: string, batch: readonly MetricRow[], writer: MetricWriter): Promise<number | null> {
    try {
      return await this.insertGuarded(runId, batch, guardQuery(runId, writer));
    } catch (error) {
      if (error instanceof WriterRefused) return null;
      throw error;
    }
  }

  private async insertGuarded(runId: string, batch: readonly MetricRow[], guard: { text: string; values: unknown[] }): Promise<number> {
    const allowed = async (client: pg.PoolClient) => {
      if ((await client.query(guard.text, guard.values)).rowCount !== 1) throw new WriterRefused();
    };
    // One global order (key, step) for every writer: concurrent batches then wait on each other
    // instead of deadlocking. The sort is stable, so the first of in-batch duplicates still wins.
    const rows = [...batch].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.step - b.step));
    const columnsOfRows = [runId, ...columns(rows, (r) => r.key, (r) => r.step, (r) => r.value, (r) => r.timestamp)];
    if (await this.appendsOnly(runId, rows)) {
      try {
        return await this.inTransaction(async (client) => {
          await allowed(client);
          await client.query(APPEND_POINTS, columnsOfRows);
          await this.foldIntoRollups(client, runId, rows);
          return rows.length;
        });
      } catch (error) {
        // A concurrent batch wrote some of these steps first: take the merging path below.
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      }
    }
    return this.inTransaction(async (client) => {
      await allowed(client);
      const inserted = await client.query<{ key: string; step: number }>(MERGE_POINTS, columnsOfRows);
      const fresh = inserted.rowCount === rows.length ? rows : onlyInserted(rows, inserted.rows);
      await this.foldIntoRollups(client, runId, fresh);
      return fresh.length;
    });
  }

  /** True when every point lies after the last stored step of its key and no step repeats. */
  private async appendsOnly(runId: string, rows: readonly MetricRow[]): Promise<boolean> {
    const firstStep = new Map<string, number>();
    const seen = new Set<string>();
    for (const row of rows) {
      const id = `${row.key}\u0000${row.step}`;
      if (seen.has(id)) return false;
      seen.add(id);
      const first = firstStep.get(row.key);
      if (first === undefined || row.step < first) firstStep.set(row.key, row.step);
    }
    const stored = await this.pool.query<{ key: string; lastStep: number }>(LAST_STEPS, [runId, [...firstStep.keys()]]);
    return stored.rows.every((row) => firstStep.get(row.key)! > row.lastStep);
  }

  private async foldIntoRollups(client: pg.PoolClient, runId: string, rows: readonly MetricRow[]): Promise<void> {
    if (rows.length === 0) return;
    const summaries = summarize(rows);
    await client.query(UPSERT_ROLLUPS, [
      runId,
      ...columns(
        summaries,
        (s) => s.key,
        (s) => s.level,
        (s) => s.bucket,
        (s) => s.count,
        (s) => s.min,
        (s) => s.max,
        (s) => s.first.step,
        (s) => s.first.value,
        (s) => s.first.timestamp,
        (s) => s.last.step,
        (s) => s.last.value,
        (s) => s.last.timestamp,
      ),
    ]);
  }

  private async inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
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

  /** The first `limit` points of a series, oldest step first (only used when the series is small). */
  async points(runId: string, key: string, limit: number): Promise<{ step: number; value: number; timestamp: Date }[]> {
    const result = await this.pool.query(
      `SELECT step::float8 AS step, value, timestamp FROM metric_point WHERE run_id = $1 AND key = $2
       ORDER BY step LIMIT $3`,
      [runId, key, limit],
    );
    return result.rows;
  }

  /**
   * Buckets of `width` steps (aligned to multiples of width) computed from the raw points of
   * `span`: the steps the width was planned for, whatever was logged since.
   */
  async bucketsFromPoints(runId: string, key: string, width: number, span: StepSpan): Promise<BucketRow[]> {
    const result = await this.pool.query<BucketRow>(
      `SELECT count(*)::float8 AS "count", min(value) AS "minValue", max(value) AS "maxValue",
              min(step)::float8 AS "firstStep", (array_agg(value ORDER BY step))[1] AS "firstValue",
              (array_agg(timestamp ORDER BY step))[1] AS "firstTimestamp",
              max(step)::float8 AS "lastStep", (array_agg(value ORDER BY step DESC))[1] AS "lastValue",
              (array_agg(timestamp ORDER BY step DESC))[1] AS "lastTimestamp"
       FROM metric_point WHERE run_id = $1 AND key = $2 AND step BETWEEN $4 AND $5
       GROUP BY step / $3 ORDER BY step / $3`,
      [runId, key, width, span.firstStep, span.lastStep],
    );
    return result.rows;
  }

  /**
   * Buckets of `width` steps merged from rollup `level` (whose width divides `width`), so a
   * million-point series is charted from a few thousand rollup rows.
   */
  async bucketsFromRollup(
    runId: string,
    key: string,
    level: number,
    width: number,
    span: StepSpan,
  ): Promise<BucketRow[]> {
    const levelWidth = ROLLUP_WIDTHS[level - 1]!;
    const ratio = width / levelWidth;
    const result = await this.pool.query<BucketRow>(
      `SELECT sum(count)::float8 AS "count", min(min_value) AS "minValue", max(max_value) AS "maxValue",
              min(first_step)::float8 AS "firstStep", (array_agg(first_value ORDER BY bucket))[1] AS "firstValue",
              (array_agg(first_timestamp ORDER BY bucket))[1] AS "firstTimestamp",
              max(last_step)::float8 AS "lastStep", (array_agg(last_value ORDER BY bucket DESC))[1] AS "lastValue",
              (array_agg(last_timestamp ORDER BY bucket DESC))[1] AS "lastTimestamp"
       FROM metric_rollup WHERE run_id = $1 AND key = $2 AND level = $3 AND bucket BETWEEN $5 AND $6
       GROUP BY bucket / $4 ORDER BY bucket / $4`,
      [runId, key, level, ratio, Math.floor(span.firstStep / levelWidth), Math.floor(span.lastStep / levelWidth)],
    );
    return result.rows;
  }
}

