import os from 'node:os';
import pg from 'pg';
import { SoakClient } from './client';
import {
  deploy,
  detectImportStatus,
  importLoop,
  importOnce,
  metricWriter,
  predictLoop,
  readerLoop,
  SoakState,
  trainingLoop,
  trainOnce,
  type LoadOptions,
} from './load';
import { startMemorySampler, type ProcessSeries } from './memory';
import { sleep, startPlatform, type Platform } from './platform';
import { MetricsSubscriber } from './subscriber';

/**
 * The soak test (`npm run soak`, and a short run in CI): the platform as `npm start` runs it, then
 * minutes of mixed load on loopback — metric ingest (`series` and `points`) with a `metricsLogged`
 * subscriber per run, reads, CSV imports, training, predictions through a deployment — with the
 * memory of every platform process sampled.
 *
 * It passes when:
 *  - no request got a 5xx, a GraphQL error, a dropped connection or a wrong answer;
 *  - memory is flat after warm-up: the load is cut in thirds; the first is warm-up, and for every
 *    process the median of the last third is at most RSS_GROWTH_LIMIT × the median of the second
 *    (the slope over both is reported);
 *  - every metric point the API accepted is stored, exactly (counted through GraphQL and in SQL);
 *  - no platform process exited, and every kind of load ran.
 */
export interface SoakOptions extends LoadOptions {
  /** Mixed load after setup (import, first training, deployment READY), in seconds. */
  durationSeconds: number;
  memorySampleIntervalMs: number;
  /** LEPTON_API_PROCESSES; unset → the platform's default (one per core). */
  apiProcesses?: number;
  log: (line: string) => void;
}

export const RSS_GROWTH_LIMIT = 1.25;

export const DEFAULT_LOAD: LoadOptions = {
  metricPointsPerSecond: 4000,
  metricWriters: 3,
  readers: 2,
  predictors: 2,
  importIntervalMs: 15_000,
  trainingIntervalMs: 5_000,
};

export interface Criterion {
  passed: boolean;
  detail: string;
}

export async function runSoak(options: SoakOptions) {
  const loadAtStart = os.loadavg();
  const platform = await startPlatform({
    serving: true,
    env: options.apiProcesses ? { LEPTON_API_PROCESSES: String(options.apiProcesses) } : {},
    log: options.log,
  });
  try {
    return await soakPlatform(platform, options, loadAtStart);
  } finally {
    const code = await platform.stop();
    if (code !== 0) options.log(`the platform exited with ${code} on SIGTERM:\n${platform.output().slice(-3000)}`);
  }
}

async function soakPlatform(platform: Platform, options: SoakOptions, loadAtStart: number[]) {
  let loadStartedAt = performance.now();
  const elapsed = () => (performance.now() - loadStartedAt) / 1000;
  const client = new SoakClient(platform, elapsed);
  const state = new SoakState();

  // Setup: what predictions and training need, before the clock starts.
  const setupStarted = performance.now();
  options.log('setup: import a CSV, train the first model, deploy it');
  await detectImportStatus(client, state);
  const setupOk =
    (await importOnce(platform, client, state, 1)) !== undefined &&
    (await trainOnce(client, state).then((version) => version !== undefined && deploy(client, state, version)));
  const setupSeconds = (performance.now() - setupStarted) / 1000;
  if (!setupOk) {
    return report(options, loadAtStart, client, state, setupSeconds, {
      setup: { passed: false, detail: `setup failed: ${JSON.stringify(client.summary().failureSamples.slice(0, 3))}` },
    });
  }

  options.log(`setup done in ${setupSeconds.toFixed(0)} s; mixed load for ${options.durationSeconds} s`);
  loadStartedAt = performance.now();
  const subscriber = new MetricsSubscriber(platform);
  const sampler = startMemorySampler(platform.pid, options.memorySampleIntervalMs, () => loadStartedAt);
  const loops = [
    ...Array.from({ length: options.metricWriters }, (_, i) => metricWriter(client, subscriber, state, options, i)),
    ...Array.from({ length: options.readers }, (_, i) => readerLoop(client, state, 100 + i)),
    ...Array.from({ length: options.predictors }, (_, i) => predictLoop(platform, client, state, 200 + i)),
    importLoop(platform, client, state, options),
    trainingLoop(client, state, options),
  ];
  const progress = setInterval(() => {
    const summary = client.summary();
    options.log(
      `${elapsed().toFixed(0)} s: ${summary.requests} requests, ${state.counts.metricPoints} points, ${state.counts.imports} imports, ${state.counts.trainings} trainings, ${state.counts.predictions} predictions, ${summary.failures} failures`,
    );
  }, 30_000);
  await sleep(options.durationSeconds * 1000);
  state.stopping = true;
  clearInterval(progress);
  // Each loop ends its current step (a training in progress is waited for).
  await Promise.all(loops);
  await subscriber.close();
  const loadSeconds = elapsed();
  const memory = sampler.stop();

  options.log('checking every accepted metric point');
  const metrics = await verifyMetrics(platform, client, state);
  const memoryJudged = judgeMemory(memory.series, loadSeconds);
  const summary = client.summary();
  const ranEveryLoad = {
    metricPoints: state.counts.metricPoints,
    reads: ['runs', 'models', 'datasets', 'deployments', 'chart'].reduce((sum, op) => sum + client.succeeded(op), 0),
    imports: state.counts.imports - 1,
    trainings: state.counts.trainings - 1,
    predictions: state.counts.predictions,
    subscriptionPoints: state.counts.subscriptionPoints,
  };
  return report(
    options,
    loadAtStart,
    client,
    state,
    setupSeconds,
    {
      setup: { passed: true, detail: `import, first training and deployment READY in ${setupSeconds.toFixed(0)} s` },
      no5xx: {
        passed: summary.http5xx === 0,
        detail: `${summary.http5xx} responses with a 5xx status of ${summary.requests}`,
      },
      noUnexpectedErrors: {
        passed: summary.failures === 0,
        detail: `${summary.failures} failed requests or checks (GraphQL errors, dropped connections, wrong answers)`,
      },
      rssFlat: {
        passed: memoryJudged.every((process) => process.flat),
        detail: `median of the last third <= ${RSS_GROWTH_LIMIT} x median of the second third, per process; ${
          memoryJudged
            .filter((p) => !p.flat)
            .map((p) => p.name)
            .join(', ') || 'all flat'
        }`,
      },
      metricsComplete: metrics.criterion,
      processesStable: {
        passed: memory.vanished.length === 0,
        detail: memory.vanished.length
          ? `exited during the load: ${memory.vanished.join(', ')}`
          : 'no platform process exited',
      },
      everyLoadRan: {
        passed: Object.values(ranEveryLoad).every((count) => count > 0),
        detail: `during the load (after setup): ${JSON.stringify(ranEveryLoad)}`,
      },
    },
    { loadSeconds, memory: memoryJudged, metrics: metrics.figures, sampleIntervalMs: options.memorySampleIntervalMs },
  );
}

/** Every accepted point, counted through GraphQL (totalPoints per series) and in SQL (rows, and their steps). */
async function verifyMetrics(platform: Platform, client: SoakClient, state: SoakState) {
  const expected = [...state.accepted.values()];
  const problems: string[] = [];
  const runIds = [...new Set(expected.map((series) => series.runId))];
  for (const runId of runIds) {
    const data = await client.graphql<{
      run: { loss: { totalPoints: number }; accuracy: { totalPoints: number } } | null;
    }>(
      'verify (GraphQL)',
      `query($id: ID!) { run(id: $id) { loss: metrics(key: "loss", maxPoints: 10) { totalPoints } accuracy: metrics(key: "accuracy", maxPoints: 10) { totalPoints } } }`,
      { id: runId },
    );
    for (const series of expected.filter((s) => s.runId === runId)) {
      const total = data?.run?.[series.key as 'loss' | 'accuracy']?.totalPoints;
      if (total !== series.points)
        problems.push(`GraphQL ${runId}/${series.key}: ${total} points, ${series.points} accepted`);
    }
  }
  const sql = new pg.Client({ connectionString: platform.databaseUrl });
  await sql.connect();
  let storedPoints = 0;
  try {
    const { rows } = await sql.query<{ run_id: string; key: string; count: number; step_sum: string }>(
      `SELECT m.run_id::text, m.key, count(*)::int AS count, sum(m.step)::text AS step_sum
       FROM metric_point m JOIN run r ON r.id = m.run_id WHERE r.kind = 'EXPERIMENT' GROUP BY 1, 2`,
    );
    const stored = new Map(rows.map((row) => [`${row.run_id}/${row.key}`, row]));
    for (const series of expected) {
      const row = stored.get(`${series.runId}/${series.key}`);
      stored.delete(`${series.runId}/${series.key}`);
      if (row?.count !== series.points || row.step_sum !== String(series.stepSum)) {
        problems.push(
          `SQL ${series.runId}/${series.key}: ${row?.count ?? 0} rows (step sum ${row?.step_sum}), ${series.points} accepted (step sum ${series.stepSum})`,
        );
      }
    }
    for (const [id, row] of stored) problems.push(`SQL ${id}: ${row.count} rows that no call reported accepted`);
    storedPoints = rows.reduce((sum, row) => sum + row.count, 0);
  } finally {
    await sql.end();
  }
  const acceptedPoints = expected.reduce((sum, series) => sum + series.points, 0);
  return {
    criterion: {
      passed: problems.length === 0 && acceptedPoints > 0,
      detail: problems.length
        ? problems.slice(0, 10).join('; ')
        : `${acceptedPoints} accepted points in ${expected.length} series of ${runIds.length} runs, all stored exactly once (GraphQL and SQL)`,
    },
    figures: {
      acceptedPoints,
      storedPoints,
      series: expected.length,
      runs: runIds.length,
      resentDuplicates: state.counts.duplicatesResent,
    },
  };
}

/** The flatness rule per process (see runSoak), with the least-squares slope over the last two thirds. */
export function judgeMemory(series: ProcessSeries[], loadSeconds: number) {
  const third = loadSeconds / 3;
  return series.map((process) => {
    const second = process.samples.filter(([at]) => at >= third && at < 2 * third).map(([, mb]) => mb);
    const last = process.samples.filter(([at]) => at >= 2 * third).map(([, mb]) => mb);
    const afterWarmup = process.samples.filter(([at]) => at >= third);
    const secondMedian = median(second);
    const lastMedian = median(last);
    const enough = second.length >= 3 && last.length >= 3;
    // A process that appeared late (a restart) has too few samples: judged not flat.
    const flat = enough && lastMedian <= RSS_GROWTH_LIMIT * secondMedian;
    const all = process.samples.map(([, mb]) => mb);
    return {
      name: process.name,
      role: process.role,
      measure: process.measure,
      flat,
      samples: process.samples.length,
      firstMb: all[0] ?? null,
      secondThirdMedianMb: round(secondMedian),
      lastThirdMedianMb: round(lastMedian),
      ratio: secondMedian > 0 ? round(lastMedian / secondMedian, 3) : null,
      maxMb: all.length ? Math.max(...all) : null,
      slopeMbPerMinute: round(slope(afterWarmup) * 60, 3),
      maxRssMb: process.rssMb.length ? Math.max(...process.rssMb) : null,
      ...(process.processCounts
        ? { processCount: { min: Math.min(...process.processCounts), max: Math.max(...process.processCounts) } }
        : {}),
      /** Thinned to at most ~120 points for the report. */
      timeline: thin(process.samples, 120),
    };
  });
}

function report(
  options: SoakOptions,
  loadAtStart: number[],
  client: SoakClient,
  state: SoakState,
  setupSeconds: number,
  criteria: Record<string, Criterion>,
  figures?: {
    loadSeconds: number;
    memory: ReturnType<typeof judgeMemory>;
    metrics: Awaited<ReturnType<typeof verifyMetrics>>['figures'];
    sampleIntervalMs: number;
  },
) {
  const { log: _log, ...config } = options;
  const requests = client.summary();
  return {
    test: 'soak',
    date: new Date().toISOString(),
    passed: Object.values(criteria).every((criterion) => criterion.passed),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGb: round(os.totalmem() / 2 ** 30, 1),
      platform: `${os.platform()} ${os.release()}`,
      node: process.version,
      loadAverageAtStart: loadAtStart.map((load) => round(load, 2)),
      loadAverageAtEnd: os.loadavg().map((load) => round(load, 2)),
    },
    config: {
      ...config,
      apiProcesses: options.apiProcesses ?? `default (${os.availableParallelism()} cores)`,
      rssGrowthLimit: RSS_GROWTH_LIMIT,
      importsAsJobs: state.importsHaveStatus,
    },
    criteria,
    setupSeconds: round(setupSeconds),
    loadSeconds: figures ? round(figures.loadSeconds) : 0,
    load: {
      ...state.counts,
      metricPointsPerSecond: figures ? Math.round(state.counts.metricPoints / figures.loadSeconds) : 0,
      requests: requests.requests,
      http5xx: requests.http5xx,
      failures: requests.failures,
      operations: requests.operations,
    },
    failureSamples: requests.failureSamples,
    metrics: figures?.metrics ?? null,
    memory: figures ? { sampleIntervalMs: figures.sampleIntervalMs, processes: figures.memory } : null,
  };
}

export type SoakReport = Awaited<ReturnType<typeof runSoak>>;

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Least-squares slope of MB over seconds. */
function slope(samples: [number, number][]): number {
  if (samples.length < 2) return 0;
  const n = samples.length;
  const meanX = samples.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = samples.reduce((sum, [, y]) => sum + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of samples) {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

function thin(samples: [number, number][], max: number): [number, number][] {
  if (samples.length <= max) return samples;
  const every = samples.length / max;
  return Array.from({ length: max }, (_, index) => samples[Math.floor(index * every)]!);
}

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
