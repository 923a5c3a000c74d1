import type { NotificationBus } from '@lepton/db';
import type { Pool } from 'pg';
import type { Principal } from '../auth/principal';
import type { RunService } from '../run/run.service';
import { badInput, conflict } from '../shared/domain-error';
import { MetricRepository, ROLLUP_WIDTHS, type BucketRow, type MetricRow, type MetricWriter } from './metric.repository';

export const MAX_POINTS_PER_BATCH = 10_000;
export const MAX_STEP = 2_147_483_647;
export const MIN_CHART_POINTS = 10;
export const MAX_CHART_POINTS = 10_000;
const KEY = /^[A-Za-z0-9_\-./: ]{1,255}$/;
/** NOTIFY payloads are capped at 8000 bytes; stay well below. */
const MAX_EVENT_KEYS = 50;

export interface MetricPointInput {
  key: string;
  step: number;
  value: number;
  timestamp?: Date | null;
}

/** One key's points as parallel columns: point i is (key, steps[i], values[i], timestamps?.[i]). */
export interface MetricSeriesInput {
  key: string;
  steps: readonly number[];
  values: readonly number[];
  timestamps?: readonly Date[] | null;
}

/** A `logMetrics` batch: exactly one of the two forms. */
export interface MetricBatchInput {
  points?: readonly MetricPointInput[] | null;
  series?: readonly MetricSeriesInput[] | null;
}

export interface LatestMetric {
  key: string;
  step: number;
  value: number;
  timestamp: string;
}

export interface MetricsLoggedEvent {
  runId: string;
  count: number;
  latest: LatestMetric[];
}

export interface SeriesPoint {
  /** The representative point: the first point for the first bucket, else the bucket's last point. */
  step: number;
  value: number;
  timestamp: Date;
  min: number;
  max: number;
  count: number;
  fromStep: number;
  toStep: number;
}

export interface MetricSeries {
  key: string;
  totalPoints: number;
  points: SeriesPoint[];
}

export class MetricService {
  private readonly metrics: MetricRepository;

  constructor(
    pool: Pool,
    private readonly runs: RunService,
    private readonly bus: NotificationBus,
  ) {
    this.metrics = new MetricRepository(pool);
  }

  /**
   * Appends points to a running run. Re-sending a (key, step) already stored is a no-op, so
   * clients can retry a batch safely; the answer says how many points were new.
   */
  async log(principal: Principal, runId: string, batch: MetricBatchInput) {
    const rows = batchRows(batch, Date.now());
    const run = await this.runs.requireClientWritable(principal, runId);
    if (run.status !== 'RUNNING' && run.status !== 'QUEUED') {
      throw conflict(`Run ${run.id} is ${run.status}; metrics can only be logged while it is active`);
    }
    const accepted = await this.append(run.id, rows);
    // null: it finished between the check above and the insert's locked re-check.
    if (accepted === null) throw conflict(`Run ${run.id} has finished; metrics can only be logged while it is active`);
    return { accepted, duplicates: rows.length - accepted };
  }

  /**
   * Stores already-validated points if `writer` may write the run (checked in the insert's
   * transaction); null when it may not, and then nothing is stored.
   */
  async append(runId: string, rows: readonly MetricRow[], writer: MetricWriter = { client: true }): Promise<number | null> {
    const accepted = await this.metrics.insert(runId, rows, writer);
    if (accepted) await this.bus.publish('lepton_metrics_logged', loggedEvent(runId, accepted, rows));
    return accepted;
  }

  keys(runId: string): Promise<string[]> {
    return this.metrics.keys(runId);
  }

  async latest(runId: string): Promise<LatestMetric[]> {
    const summaries = await this.metrics.summaries(runId);
    return [...summaries]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, s]) => ({ key, step: s.lastStep, value: s.lastValue, timestamp: s.lastTimestamp.toISOString() }));
  }

  /**
   * At most `maxPoints` points covering the whole series. Buckets partition the steps; each point
   * carries its bucket's min and max (so no spike is hidden), and the first and last steps are
   * always present. Computed in SQL from the rollups, never by loading the series.
   */
  async series(runId: string, key: string, maxPoints: number): Promise<MetricSeries> {
    if (!Number.isInteger(maxPoints) || maxPoints < MIN_CHART_POINTS || maxPoints > MAX_CHART_POINTS) {
      throw badInput(`maxPoints must be between ${MIN_CHART_POINTS} and ${MAX_CHART_POINTS}`, { field: 'maxPoints' });
    }
    let summary = await this.metrics.summary(runId, key);
    if (!summary) return { key, totalPoints: 0, points: [] };
    if (summary.count <= maxPoints) {
      // One more than fits: points logged since the summary was read may have made the series too long.
      const points = await this.metrics.points(runId, key, maxPoints + 1);
      if (points.length <= maxPoints) {
        return {
          key,
          totalPoints: points.length,
          points: points.map((p) => ({ ...p, min: p.value, max: p.value, count: 1, fromStep: p.step, toStep: p.step })),
        };
      }
      summary = (await this.metrics.summary(runId, key)) ?? summary;
    }
    // The buckets cover the steps they were planned for, so points logged meanwhile add none.
    const { level, width } = bucketPlan(summary.lastStep - summary.firstStep + 1, maxPoints);
    const buckets =
      level === 0
        ? await this.metrics.bucketsFromPoints(runId, key, width, summary)
        : await this.metrics.bucketsFromRollup(runId, key, level, width, summary);
    return { key, totalPoints: summary.count, points: buckets.map((bucket, index) => toSeriesPoint(bucket, index === 0)) };
  }

  /** Live batches for one run; the caller checks access to the run before subscribing. */
  logged(runId: string): AsyncIterableIterator<MetricsLoggedEvent> {
    return this.bus.subscribe<MetricsLoggedEvent>('lepton_metrics_logged', (event) => event.runId === runId);
  }
}

/**
 * Bucket width: a multiple of the coarsest rollup width that fits, so every query bucket is a
 * union of whole rollup buckets, and wide enough that the span needs at most maxPoints buckets.
 */
export function bucketPlan(span: number, maxPoints: number): { level: number; width: number } {
  const target = Math.ceil(span / (maxPoints - 1));
  let level = 0;
  let unit = 1;
  ROLLUP_WIDTHS.forEach((width, index) => {
    if (width <= target) {
      level = index + 1;
      unit = width;
    }
  });
  return { level, width: unit * Math.ceil(target / unit) };
}

function toSeriesPoint(bucket: BucketRow, first: boolean): SeriesPoint {
  return {
    step: first ? bucket.firstStep : bucket.lastStep,
    value: first ? bucket.firstValue : bucket.lastValue,
    timestamp: first ? bucket.firstTimestamp : bucket.lastTimestamp,
    min: bucket.minValue,
    max: bucket.maxValue,
    count: bucket.count,
    fromStep: bucket.firstStep,
    toStep: bucket.lastStep,
  };
}

/** Validates a batch in either form into rows, in the order given (the first of duplicates wins). */
function batchRows(batch: MetricBatchInput, now: number): MetricRow[] {
  const { points, series } = batch;
  if (points && series) throw badInput('give points or series, not both', { field: 'series' });
  if (series) return seriesRows(series, now);
  if (!points) throw badInput('give the points to log, as points or as series', { field: 'points' });
  checkBatchSize(points.length, 'points');
  return points.map((point, index) => {
    checkKey(point.key, `points[${index}].key`, `points[${index}]`);
    return validRow(point.key, point.step, point.value, point.timestamp, now, null, index);
  });
}

function seriesRows(series: readonly MetricSeriesInput[], now: number): MetricRow[] {
  let total = 0;
  series.forEach(({ key, steps, values, timestamps }, index) => {
    const where = { field: `series[${index}]` };
    const name = `series[${index}] ("${key.slice(0, 40)}")`;
    if (steps.length === 0) throw badInput(`${name} has no points`, where);
    if (values.length !== steps.length) {
      throw badInput(`${name} has ${steps.length} steps but ${values.length} values; they must be as many`, where);
    }
    if (timestamps && timestamps.length !== steps.length) {
      throw badInput(`${name} has ${steps.length} steps but ${timestamps.length} timestamps; they must be as many`, where);
    }
    total += steps.length;
  });
  checkBatchSize(total, 'series');
  const rows = new Array<MetricRow>(total);
  let next = 0;
  series.forEach(({ key, steps, values, timestamps }, seriesIndex) => {
    checkKey(key, `series[${seriesIndex}].key`, `series[${seriesIndex}]`);
    for (let index = 0; index < steps.length; index += 1) {
      rows[next++] = validRow(key, steps[index]!, values[index]!, timestamps?.[index], now, seriesIndex, index);
    }
  });
  return rows;
}

function checkBatchSize(count: number, field: 'points' | 'series'): void {
  if (count === 0) throw badInput(`${field} must not be empty`, { field });
  if (count > MAX_POINTS_PER_BATCH) {
    throw badInput(`at most ${MAX_POINTS_PER_BATCH} points per call (got ${count})`, { field });
  }
}

function checkKey(key: string, label: string, field: string): void {
  if (!KEY.test(key)) throw badInput(`${label} "${key.slice(0, 40)}" must be 1-255 letters, digits, spaces or _ - . / :`, { field });
}

/**
 * One point, from `points[index]` (seriesIndex null) or from column position `index` of
 * `series[seriesIndex]`; the key is checked by the caller (once per series).
 */
function validRow(
  key: string,
  step: number,
  value: number,
  timestamp: Date | null | undefined,
  now: number,
  seriesIndex: number | null,
  index: number,
): MetricRow {
  if (!Number.isInteger(step) || step < 0 || step > MAX_STEP) {
    throw invalidPart(seriesIndex, index, 'step', `must be an integer between 0 and ${MAX_STEP}`);
  }
  if (!Number.isFinite(value)) throw invalidPart(seriesIndex, index, 'value', 'must be a finite number');
  const epochMs = timestamp ? timestamp.getTime() : now;
  if (!Number.isFinite(epochMs)) throw invalidPart(seriesIndex, index, 'timestamp', 'is not a valid time');
  return { key, step, value, timestamp: epochMs };
}

/** Names the bad part as the client sent it: points[3].step, or series[0].steps[3]. */
function invalidPart(seriesIndex: number | null, index: number, part: 'step' | 'value' | 'timestamp', problem: string) {
  return seriesIndex === null
    ? badInput(`points[${index}].${part} ${problem}`, { field: `points[${index}]` })
    : badInput(`series[${seriesIndex}].${part}s[${index}] ${problem}`, { field: `series[${seriesIndex}]` });
}

function loggedEvent(runId: string, count: number, rows: readonly MetricRow[]): MetricsLoggedEvent {
  const latest = new Map<string, MetricRow>();
  for (const row of rows) {
    const current = latest.get(row.key);
    if (!current || row.step > current.step) latest.set(row.key, row);
  }
  return {
    runId,
    count,
    latest: [...latest.values()].slice(0, MAX_EVENT_KEYS).map((row) => ({
      key: row.key,
      step: row.step,
      value: row.value,
      timestamp: new Date(row.timestamp).toISOString(),
    })),
  };
}
