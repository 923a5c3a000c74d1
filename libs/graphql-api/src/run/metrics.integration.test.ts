import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aRun, dataOf, startTestApi, type TestApi } from '../testing';

const LOG = `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { accepted duplicates } }`;
const LOG_SERIES = `mutation($runId: ID!, $series: [MetricSeriesInput!]) { logMetrics(runId: $runId, series: $series) { accepted duplicates } }`;
const SERIES = `query($id: ID!, $key: String!, $maxPoints: Int) {
  run(id: $id) { metrics(key: $key, maxPoints: $maxPoints) { key totalPoints points { step value min max count fromStep toStep timestamp } } }
}`;

interface SeriesPoint {
  step: number;
  value: number;
  min: number;
  max: number;
  count: number;
  fromStep: number;
  toStep: number;
  timestamp: string;
}
type Point = { key: string; step: number; value: number };

/** Deterministic noisy series with rare spikes, so hidden extremes would show. */
function series(key: string, steps: number[], seed = 1): Point[] {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  return steps.map((step) => {
    const spike = random() < 0.001 ? (random() < 0.5 ? -50 : 50) : 0;
    return { key, step, value: Math.exp(-step / 5000) + (random() - 0.5) * 0.1 + spike };
  });
}

async function logAll(api: TestApi, runId: string, points: Point[]): Promise<void> {
  for (let start = 0; start < points.length; start += 10_000) {
    dataOf(await api.gql(LOG, { runId, points: points.slice(start, start + 10_000) }));
  }
}

async function fetchSeries(api: TestApi, runId: string, key: string, maxPoints: number) {
  const result = await api.gql<{ run: { metrics: { totalPoints: number; points: SeriesPoint[] } } }>(SERIES, { id: runId, key, maxPoints });
  return dataOf(result).run.metrics;
}

/** Checks a downsampled answer against the raw points, by brute force. */
function expectFaithfulDownsample(raw: Point[], answer: { totalPoints: number; points: SeriesPoint[] }, maxPoints: number) {
  const sorted = [...raw].sort((a, b) => a.step - b.step);
  expect(answer.totalPoints).toBe(sorted.length);
  expect(answer.points.length).toBeLessThanOrEqual(maxPoints);
  expect(answer.points[0]!.step).toBe(sorted[0]!.step);
  expect(answer.points[0]!.value).toBe(sorted[0]!.value);
  expect(answer.points.at(-1)!.step).toBe(sorted.at(-1)!.step);
  expect(answer.points.at(-1)!.value).toBe(sorted.at(-1)!.value);

  const byStep = new Map(sorted.map((point) => [point.step, point.value]));
  let cursor = 0;
  let previousTo = -1;
  for (const bucket of answer.points) {
    expect(bucket.fromStep).toBeGreaterThan(previousTo);
    expect(bucket.fromStep).toBeLessThanOrEqual(bucket.step);
    expect(bucket.step).toBeLessThanOrEqual(bucket.toStep);
    expect(byStep.get(bucket.step)).toBe(bucket.value);
    const members: number[] = [];
    while (cursor < sorted.length && sorted[cursor]!.step <= bucket.toStep) {
      expect(sorted[cursor]!.step).toBeGreaterThanOrEqual(bucket.fromStep);
      members.push(sorted[cursor]!.value);
      cursor += 1;
    }
    expect(bucket.count).toBe(members.length);
    expect(bucket.min).toBe(Math.min(...members));
    expect(bucket.max).toBe(Math.max(...members));
    previousTo = bucket.toStep;
  }
  expect(cursor).toBe(sorted.length);
  const globalMax = Math.max(...sorted.map((point) => point.value));
  const globalMin = Math.min(...sorted.map((point) => point.value));
  expect(Math.max(...answer.points.map((bucket) => bucket.max))).toBe(globalMax);
  expect(Math.min(...answer.points.map((bucket) => bucket.min))).toBe(globalMin);
}

describe('metrics', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('stores a batch once: re-sending the same (key, step) points never duplicates them', async () => {
    const runId = await aRun(api);
    const points = series('loss', Array.from({ length: 500 }, (_, step) => step));
    expect(dataOf(await api.gql(LOG, { runId, points }))).toEqual({ logMetrics: { accepted: 500, duplicates: 0 } });
    expect(dataOf(await api.gql(LOG, { runId, points }))).toEqual({ logMetrics: { accepted: 0, duplicates: 500 } });
    const overlapping = series('loss', Array.from({ length: 100 }, (_, index) => 450 + index), 7);
    expect(dataOf(await api.gql(LOG, { runId, points: overlapping }))).toEqual({ logMetrics: { accepted: 50, duplicates: 50 } });

    const stored = await api.db.pool.query('SELECT count(*)::int AS n FROM metric_point WHERE run_id = $1', [runId]);
    expect(stored.rows[0].n).toBe(550);
    const answer = await fetchSeries(api, runId, 'loss', 1000);
    expect(answer.totalPoints).toBe(550);
    // The first write of a (key, step) wins.
    expect(answer.points.find((point) => point.step === 460)!.value).toBe(points[460]!.value);
  });

  it('returns small series whole, in step order, with min = max = value', async () => {
    const runId = await aRun(api);
    const points = series('acc', [5, 1, 3, 2, 4]);
    dataOf(await api.gql(LOG, { runId, points }));
    const answer = await fetchSeries(api, runId, 'acc', 10);
    expect(answer.points.map((point) => point.step)).toEqual([1, 2, 3, 4, 5]);
    expect(answer.points.every((point) => point.min === point.value && point.max === point.value && point.count === 1)).toBe(true);
  });

  it.each([
    { name: 'dense steps from raw points', steps: Array.from({ length: 12_000 }, (_, i) => i), maxPoints: 1000 },
    { name: 'dense steps from rollups', steps: Array.from({ length: 60_000 }, (_, i) => i), maxPoints: 1000 },
    { name: 'sparse steps with gaps', steps: Array.from({ length: 20_000 }, (_, i) => i * 37 + (i % 5)), maxPoints: 500 },
    { name: 'steps far from zero', steps: Array.from({ length: 15_000 }, (_, i) => 1_000_000_000 + i * 3), maxPoints: 100 },
    { name: 'the fewest points allowed', steps: Array.from({ length: 5_000 }, (_, i) => i * 2), maxPoints: 10 },
  ])('downsamples $name exactly like a brute-force reference', async ({ steps, maxPoints }) => {
    const runId = await aRun(api);
    const points = series('loss', steps, steps.length);
    // Out of order, across batches, as distributed workers would send them.
    const shuffled = [...points].sort((a, b) => (a.step * 7919) % 10_007 - (b.step * 7919) % 10_007);
    await logAll(api, runId, shuffled);
    expectFaithfulDownsample(points, await fetchSeries(api, runId, 'loss', maxPoints), maxPoints);
  });

  it('never answers more than maxPoints while the series grows past it between the reads of one chart', async () => {
    // Charts read a summary, then the points; batches land in between on busy runs (the soak saw a
    // 1,000-point answer for maxPoints 500). Many runs crossing maxPoints at once make that likely.
    const runIds = await Promise.all(Array.from({ length: 12 }, () => aRun(api)));
    const answers: { length: number; totalPoints: number }[] = [];
    await Promise.all(
      runIds.map(async (runId) => {
        let writing = true;
        const reader = (async () => {
          while (writing) {
            const answer = await fetchSeries(api, runId, 'loss', 10);
            answers.push({ length: answer.points.length, totalPoints: answer.totalPoints });
          }
        })();
        for (let start = 0; start < 40; start += 4) {
          dataOf(await api.gql(LOG, { runId, points: series('loss', [start, start + 1, start + 2, start + 3]) }));
        }
        writing = false;
        await reader;
      }),
    );
    expect(answers.length).toBeGreaterThan(runIds.length);
    expect(answers.filter((answer) => answer.length > 10)).toEqual([]);
    // Raw points come with their own count, so a small answer's total is its length.
    expect(answers.filter((answer) => answer.totalPoints <= 10 && answer.totalPoints !== answer.length)).toEqual([]);
  });

  it('keeps rollups exact when batches overlap and re-send points', async () => {
    const runId = await aRun(api);
    const points = series('loss', Array.from({ length: 30_000 }, (_, i) => i));
    await logAll(api, runId, points.slice(0, 20_000));
    await logAll(api, runId, points.slice(10_000));
    expectFaithfulDownsample(points, await fetchSeries(api, runId, 'loss', 300), 300);
  });

  it('stays exact when concurrent batches race over the same steps', async () => {
    const runId = await aRun(api);
    const points = series('loss', Array.from({ length: 20_000 }, (_, i) => i));
    // Overlapping windows sent at once: several pass the append-only check, the losers merge.
    const windows = [0, 2_500, 5_000, 7_500, 10_000].map((start) => points.slice(start, start + 10_000));
    const results = await Promise.all(windows.map((window) => api.gql<{ logMetrics: { accepted: number } }>(LOG, { runId, points: window })));
    const accepted = results.reduce((sum, result) => sum + dataOf(result).logMetrics.accepted, 0);
    expect(accepted).toBe(20_000);
    expectFaithfulDownsample(points, await fetchSeries(api, runId, 'loss', 200), 200);
  });

  it('keeps the first of two points with the same step inside one batch', async () => {
    const runId = await aRun(api);
    const result = dataOf(
      await api.gql(LOG, {
        runId,
        points: [
          { key: 'loss', step: 3, value: 1 },
          { key: 'loss', step: 3, value: 2 },
          { key: 'loss', step: 4, value: 3 },
        ],
      }),
    );
    expect(result).toEqual({ logMetrics: { accepted: 2, duplicates: 1 } });
    const answer = await fetchSeries(api, runId, 'loss', 10);
    expect(answer.points.map(({ step, value }) => ({ step, value }))).toEqual([
      { step: 3, value: 1 },
      { step: 4, value: 3 },
    ]);
  });

  it('lists metric keys and latest values of a run', async () => {
    const runId = await aRun(api);
    dataOf(await api.gql(LOG, { runId, points: [...series('b/loss', [0, 1, 2]), ...series('a/acc', [0, 9])] }));
    const result = dataOf(
      await api.gql<{ run: { metricKeys: string[]; latestMetrics: { key: string; step: number }[] } }>(
        `query($id: ID!) { run(id: $id) { metricKeys latestMetrics { key step value } } }`,
        { id: runId },
      ),
    );
    expect(result.run.metricKeys).toEqual(['a/acc', 'b/loss']);
    expect(result.run.latestMetrics.map(({ key, step }) => ({ key, step }))).toEqual([
      { key: 'a/acc', step: 9 },
      { key: 'b/loss', step: 2 },
    ]);
  });

  it('stores columnar series exactly as the same points sent one object each', async () => {
    const [byPoints, bySeries] = [await aRun(api), await aRun(api)];
    const loss = series('loss', Array.from({ length: 6_000 }, (_, step) => step * 2));
    const accuracy = series('val/acc', [5, 1, 3], 4);
    const asColumns = (points: Point[]) => ({ key: points[0]!.key, steps: points.map((p) => p.step), values: points.map((p) => p.value) });
    expect(dataOf(await api.gql(LOG, { runId: byPoints, points: [...loss, ...accuracy] }))).toEqual({ logMetrics: { accepted: 6_003, duplicates: 0 } });
    expect(dataOf(await api.gql(LOG_SERIES, { runId: bySeries, series: [asColumns(loss), asColumns(accuracy)] }))).toEqual({
      logMetrics: { accepted: 6_003, duplicates: 0 },
    });

    const stored = (runId: string) =>
      api.db.pool.query(`SELECT key, step::int, value FROM metric_point WHERE run_id = $1 ORDER BY key, step`, [runId]).then((r) => r.rows);
    expect(await stored(bySeries)).toEqual(await stored(byPoints));
    const rollups = (runId: string) =>
      api.db.pool
        .query(`SELECT key, level, bucket, count, min_value, max_value, first_step, last_step FROM metric_rollup WHERE run_id = $1 ORDER BY key, level, bucket`, [runId])
        .then((r) => r.rows);
    expect(await rollups(bySeries)).toEqual(await rollups(byPoints));
    expectFaithfulDownsample(loss, await fetchSeries(api, bySeries, 'loss', 100), 100);
  });

  it('keeps the first write of a (key, step) across both forms and inside a series, and says what was new', async () => {
    const runId = await aRun(api);
    dataOf(await api.gql(LOG, { runId, points: [{ key: 'loss', step: 1, value: 10 }] }));
    const answer = dataOf(
      await api.gql(LOG_SERIES, {
        runId,
        series: [
          { key: 'loss', steps: [0, 1, 2, 2], values: [1, 2, 3, 4] },
          { key: 'loss', steps: [3, 0], values: [5, 6] },
        ],
      }),
    );
    expect(answer).toEqual({ logMetrics: { accepted: 3, duplicates: 3 } });
    const points = (await fetchSeries(api, runId, 'loss', 10)).points.map(({ step, value }) => ({ step, value }));
    expect(points).toEqual([
      { step: 0, value: 1 },
      { step: 1, value: 10 },
      { step: 2, value: 3 },
      { step: 3, value: 5 },
    ]);
  });

  it('stores the timestamps a series gives, and the time of receipt when it gives none', async () => {
    const runId = await aRun(api);
    const before = Date.now();
    dataOf(
      await api.gql(LOG_SERIES, {
        runId,
        series: [
          { key: 'loss', steps: [0, 1], values: [1, 0.5], timestamps: ['2025-01-01T00:00:00.000Z', '2025-01-01T00:00:01.500Z'] },
          { key: 'acc', steps: [0], values: [0.5] },
        ],
      }),
    );
    const { rows } = await api.db.pool.query<{ key: string; timestamp: Date }>(
      `SELECT key, timestamp FROM metric_point WHERE run_id = $1 ORDER BY key, step`,
      [runId],
    );
    expect(rows.filter((row) => row.key === 'loss').map((row) => row.timestamp.toISOString())).toEqual([
      '2025-01-01T00:00:00.000Z',
      '2025-01-01T00:00:01.500Z',
    ]);
    const received = rows.find((row) => row.key === 'acc')!.timestamp.getTime();
    expect(received).toBeGreaterThanOrEqual(before - 1000);
    expect(received).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('answers an empty series for a key that was never logged', async () => {
    const runId = await aRun(api);
    expect(await fetchSeries(api, runId, 'nothing', 1000)).toEqual({ key: 'nothing', totalPoints: 0, points: [] });
  });
});
