/**
 * npm run bench:web
 * The dashboard in Chromium (playwright-core driving Debian's /usr/bin/chromium, or LEPTON_CHROMIUM)
 * against the real platform (API over an embedded PostgreSQL, the dashboard's production server):
 *  - navigation → loss chart drawn (pixels on its canvas) on the page of a run with 1,000,000 points
 *    in one series, vs. the same page for a run with 1,000 points (the baseline, same run of the bench);
 *  - first-load JavaScript per route, gzipped, in a fresh browser context (cold cache) per route;
 *  - the live path: `logMetrics` sent → the new point drawn on an open run page, one point a second
 *    and four a second (the page coalesces its refetches of the buckets; the new point is drawn first).
 * Writes tools/bench/results/web.json. Exits 0 when a target is missed (the JSON says so) and
 * non-zero only when something is broken.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { aDeployableModel, aDeployment, anImportedCsv, dataOf, type TestApi } from '@lepton/graphql-api/testing';
import { startTestPostgres } from '@lepton/db/testing';
// The benchmark measures the platform exactly as the dashboard's browser tests start it.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startPlatform } from '../../apps/web/e2e/platform';

const CHROMIUM = process.env['LEPTON_CHROMIUM'] ?? '/usr/bin/chromium';
const RESULTS_FILE = path.resolve(__dirname, 'results/web.json');
const BIG_SERIES = 1_000_000;
const BASELINE_SERIES = 1_000;
const BATCH = 10_000;
const NAVIGATIONS = 7;
const LIVE_POINTS = 30;
const TARGETS = { chartDrawnMs: 1000, firstLoadJsGzipKb: 250, livePathP95Ms: 500 } as const;

const CREATE_RUN = `mutation($name: String!) { createRun(input: { name: $name, kind: EXPERIMENT }) { id } }`;
const LOG_SERIES = `mutation($runId: ID!, $series: [MetricSeriesInput!]) { logMetrics(runId: $runId, series: $series) { accepted } }`;

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

const summary = (values: number[]) => ({
  median: round(quantile(values, 0.5)),
  p95: round(quantile(values, 0.95)),
  min: round(Math.min(...values)),
  max: round(Math.max(...values)),
  samples: values.length,
});

async function aRunWithPoints(api: TestApi, name: string, points: number): Promise<string> {
  const runId = dataOf(await api.gql<{ createRun: { id: string } }>(CREATE_RUN, { name })).createRun.id;
  let state = 7;
  const random = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  for (let start = 0; start < points; start += BATCH) {
    const steps = Array.from({ length: Math.min(BATCH, points - start) }, (_, index) => start + index);
    // A decaying loss with noise and rare spikes (the bands must keep them).
    const values = steps.map((step) => Math.exp(-step / (points / 5)) + random() * 0.05 + (random() < 1e-4 ? 5 : 0));
    dataOf(await api.gql(LOG_SERIES, { runId, series: [{ key: 'loss', steps, values }] }));
  }
  return runId;
}

/** The browser globals the in-page functions use (this file is type-checked without the DOM library). */
interface PageGlobals {
  document: { querySelector(selector: string): PageElement | null };
  performance: { now(): number };
  requestAnimationFrame(callback: () => void): number;
  MutationObserver: new (callback: () => void) => { observe(target: PageElement, options: object): void };
  __drawn?: Record<string, number>;
}
interface PageElement {
  width: number;
  height: number;
  getAttribute(name: string): string | null;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

// Functions passed to the page (serialised: no closures), not strings: the dashboard's CSP forbids eval.
/** performance.now() (ms since the navigation started) once the loss chart's canvas has pixels, else false. */
function chartDrawn(): number | false {
  const page = globalThis as unknown as PageGlobals;
  const canvas = page.document.querySelector('[data-testid="chart-loss"] canvas');
  if (!canvas || canvas.width === 0) return false;
  const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
  if (!pixels) return false;
  for (let index = 3; index < pixels.length; index += 4) if (pixels[index] !== 0) return page.performance.now();
  return false;
}

/** Records Date.now() in window.__drawn[count] at the first animation frame after the chart shows `count` points. */
function watchDraws(): void {
  const page = globalThis as unknown as PageGlobals;
  const chart = page.document.querySelector('[data-testid="chart-loss"]')!;
  const seen: Record<string, number> = {};
  page.__drawn = seen;
  new page.MutationObserver(() => {
    const points = chart.getAttribute('data-points') ?? '';
    page.requestAnimationFrame(() => {
      if (seen[points] === undefined) seen[points] = Date.now();
    });
  }).observe(chart, { attributes: true, attributeFilter: ['data-points'] });
}

function drawnAt(count: string): boolean {
  return (globalThis as unknown as PageGlobals).__drawn?.[count] !== undefined;
}

function drawnTimes(): Record<string, number> {
  return (globalThis as unknown as PageGlobals).__drawn ?? {};
}

/** Milliseconds from the navigation's start (performance.timeOrigin) until the loss chart's canvas has pixels. */
async function timeToChart(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(chartDrawn, undefined, { polling: 'raf', timeout: 30_000 });
  return (await handle.jsonValue()) as number;
}

/**
 * Sends one point at a time to a RUNNING run whose page is open and times each until the page has
 * drawn it: the chart's point count changes (one bucket per point while the series is small), then
 * the next animation frame.
 */
async function livePath(api: TestApi, page: Page, runId: string, firstStep: number, gapMs: number): Promise<number[]> {
  await page.evaluate(watchDraws);
  const sent: { points: number; at: number }[] = [];
  let points = Number(await page.getAttribute('[data-testid="chart-loss"]', 'data-points'));
  for (let index = 0; index < LIVE_POINTS; index += 1) {
    points += 1;
    const at = Date.now();
    dataOf(
      await api.gql(LOG_SERIES, {
        runId,
        series: [{ key: 'loss', steps: [firstStep + index], values: [Math.random()] }],
      }),
    );
    sent.push({ points, at });
    await new Promise((resolve) => setTimeout(resolve, gapMs * (0.75 + Math.random() / 2)));
  }
  await page.waitForFunction(drawnAt, String(points), { timeout: 10_000 });
  const drawn = await page.evaluate(drawnTimes);
  // A point coalesced with the next one into a single refetch is drawn when that one is.
  return sent.map(({ points: count, at }) => {
    const when = Object.entries(drawn)
      .filter(([shown]) => Number(shown) >= count)
      .map(([, time]) => time);
    return Math.min(...when) - at;
  });
}

async function firstLoadJs(browser: Browser, base: string, token: string, routes: Record<string, string>) {
  const sizes: Record<string, number> = {};
  for (const [name, route] of Object.entries(routes)) {
    const context = await browser.newContext();
    if (name !== 'sign-in') await context.addCookies([{ name: 'lepton_token', value: token, url: base }]);
    const page = await context.newPage();
    const scripts: Promise<number>[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script')
        scripts.push(response.body().then((body) => gzipSync(body).length));
    });
    await page.goto(base + route, { waitUntil: 'load' });
    await page.waitForTimeout(500);
    sizes[name] = round((await Promise.all(scripts)).reduce((sum, bytes) => sum + bytes, 0) / 1024);
    await context.close();
  }
  return sizes;
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium`);
  const loadAtStart = os.loadavg()[0] ?? 0;
  console.log('Starting PostgreSQL, the API and the dashboard (building it if needed)...');
  // A throw-away embedded PostgreSQL, as the test run's global setup makes one.
  const stopPostgres = await startTestPostgres();
  const platform = await startPlatform({ worker: false, serving: false }).catch(async (error: unknown) => {
    await stopPostgres();
    throw error;
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const { api, dashboardUrl: base } = platform;
    console.log(`Logging ${BIG_SERIES.toLocaleString('en-US')} points...`);
    const bigRun = await aRunWithPoints(api, 'bench-million', BIG_SERIES);
    const smallRun = await aRunWithPoints(api, 'bench-thousand', BASELINE_SERIES);

    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    await context.addCookies([{ name: 'lepton_token', value: api.adminToken, url: base }]);
    const page = await context.newPage();
    const chart = async (runId: string) => {
      const url = `${base}/p/default/runs/${runId}`;
      await timeToChart(page, url); // warm-up: server and browser caches, as for a returning user
      const times: number[] = [];
      for (let index = 0; index < NAVIGATIONS; index += 1) times.push(await timeToChart(page, url));
      return times;
    };
    console.log('Navigation → chart drawn...');
    const million = await chart(bigRun);
    const thousand = await chart(smallRun);
    const coldContext = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    await coldContext.addCookies([{ name: 'lepton_token', value: api.adminToken, url: base }]);
    const coldMillion = await timeToChart(await coldContext.newPage(), `${base}/p/default/runs/${bigRun}`);
    await coldContext.close();

    console.log('Live path...');
    const liveRun = await aRunWithPoints(api, 'bench-live', 50);
    await page.goto(`${base}/p/default/runs/${liveRun}`);
    await page.locator('[data-testid="chart-loss"] canvas').waitFor();
    await page.waitForTimeout(1500); // the live connection is open
    const livePerSecond = await livePath(api, page, liveRun, 1000, 1000);
    const liveFourPerSecond = await livePath(api, page, liveRun, 2000, 250);

    console.log('First-load JavaScript per route...');
    const csv = [
      'a,b,c,label',
      ...Array.from({ length: 200 }, (_, i) => `${i % 7},${(i * 3) % 11},${i % 2 ? 'x' : 'y'},${i % 3}`),
    ].join('\n');
    const datasetVersionId = await anImportedCsv(api, 'bench-data', csv + '\n');
    const model = await aDeployableModel(api, { versions: 2, datasetVersionId });
    const deployment = await aDeployment(api, model, { name: 'bench-deployment' });
    // Keyed by the app's route pattern, relative (the results name no absolute path of any kind).
    const routes: Record<string, string> = {
      'sign-in': '/sign-in',
      'p/[project]': '/p/default',
      'p/[project]/models': '/p/default/models',
      'p/[project]/models/[name]': `/p/default/models/${model.name}`,
      'p/[project]/models/[name]/compare': `/p/default/models/${model.name}/compare?a=1&b=2`,
      'p/[project]/datasets': '/p/default/datasets',
      'p/[project]/datasets/[name]/versions/[number]': '/p/default/datasets/bench-data/versions/1',
      'p/[project]/datasets/import': '/p/default/datasets/import',
      'p/[project]/runs': '/p/default/runs',
      'p/[project]/runs/[id]': `/p/default/runs/${bigRun}`,
      'p/[project]/train': '/p/default/train',
      'p/[project]/deployments': '/p/default/deployments',
      'p/[project]/deployments/[name]': `/p/default/deployments/${deployment.name}`,
    };
    const sizes = await firstLoadJs(browser, base, api.adminToken, routes);
    await context.close();

    const largest = Math.max(...Object.values(sizes));
    const chartMedian = quantile(million, 0.5);
    const liveP95 = quantile(livePerSecond, 0.95);
    let commit = 'unknown';
    let dirty = false;
    try {
      commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
      dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim().length > 0;
    } catch {
      // not a git checkout
    }
    const results = {
      benchmark: 'web',
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model.replace(/\s+\d+-Core Processor$/, '') ?? 'unknown',
        memoryGb: round(os.totalmem() / 1024 ** 3),
        platform: `${os.platform()} ${os.release()}`,
        node: process.version,
        chromium: browser.version(),
        loadAverage1mAtStart: round(loadAtStart, 2),
        loadAverage1mAtEnd: round(os.loadavg()[0] ?? 0, 2),
        note: 'Browser, dashboard server, API and PostgreSQL share this machine; other work on it skews every figure.',
      },
      git: { commit, dirty },
      chart: {
        what: 'navigation start → first pixels of the loss chart (uPlot canvas) on a run page, warm cache, after one warm-up',
        millionPointsMs: summary(million),
        baselineThousandPointsMs: summary(thousand),
        ratioMedianMillionToThousand: round(chartMedian / quantile(thousand, 0.5), 2),
        coldCacheMillionPointsMs: round(coldMillion),
        bucketsDrawn: 1000,
        target: { medianMs: TARGETS.chartDrawnMs, met: chartMedian <= TARGETS.chartDrawnMs },
      },
      firstLoadJsGzipKb: {
        what: 'every script a route (app router pattern) loads on a first visit (fresh browser context), gzipped, kB',
        routes: sizes,
        largestKb: largest,
        target: { maxKb: TARGETS.firstLoadJsGzipKb, met: largest <= TARGETS.firstLoadJsGzipKb },
      },
      livePath: {
        what: 'logMetrics sent → the new point drawn on the open run page (subscription → server-sent event → the event’s point appended to the chart → next animation frame)',
        onePointPerSecondMs: summary(livePerSecond),
        fourPointsPerSecondMs: summary(liveFourPerSecond),
        note: 'The buckets are re-queried after each event, coalesced to one refetch per 700 ms; the event’s own point is drawn when it arrives.',
        target: { p95Ms: TARGETS.livePathP95Ms, at: 'one point per second', met: liveP95 <= TARGETS.livePathP95Ms },
      },
    };
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, JSON.stringify(results, null, 2) + '\n');
    console.log(
      JSON.stringify(
        { chart: results.chart, firstLoadJsGzipKb: results.firstLoadJsGzipKb, livePath: results.livePath },
        null,
        2,
      ),
    );
    console.log('Wrote tools/bench/results/web.json');
  } finally {
    await browser.close();
    await platform.close();
    await stopPostgres();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
