import { mulberry32 } from '@lepton/util';
import type { SoakClient } from './client';
import type { Platform } from './platform';
import { sleep } from './platform';
import type { MetricsSubscriber } from './subscriber';

export const DATASET = 'soak-data';
export const MODEL = 'soak-mlp';
export const DEPLOYMENT = 'soak-mlp';
const METRIC_KEYS = ['loss', 'accuracy'] as const;
/** A run takes this many batches, then the writer finishes it and starts the next one. */
const BATCHES_PER_RUN = 40;
/** Every this-many batches the writer re-sends the previous one: it must all be counted as duplicates. */
const RESEND_EVERY = 8;
/** Limits against hangs on a loaded machine, not speed checks. */
const IMPORT_TIMEOUT_MS = 300_000;
const TRAINING_TIMEOUT_MS = 600_000;
const DEPLOYMENT_TIMEOUT_MS = 300_000;
/** How long a run's last events may take to reach its subscriber after the last batch was stored. */
const EVENTS_GRACE_MS = 15_000;

export interface LoadOptions {
  /** Metric points per second over all writers (paced, not flat out). */
  metricPointsPerSecond: number;
  metricWriters: number;
  readers: number;
  predictors: number;
  /** Pause between two imports. */
  importIntervalMs: number;
  /** Pause between the end of a training run and the start of the next. */
  trainingIntervalMs: number;
}

/** What the writers had accepted per run and key: the database must hold exactly this at the end. */
export interface AcceptedSeries {
  runId: string;
  key: string;
  points: number;
  /** Sum of the accepted steps, so the check sees which points, not only how many. */
  stepSum: number;
}

/** The shared state of one soak: what exists, what was accepted, and when to stop. */
export class SoakState {
  stopping = false;
  /** Whether DatasetVersion has a `status` (imports run as worker jobs); found by introspection. */
  importsHaveStatus = false;
  datasetVersionId: string | undefined;
  readonly accepted = new Map<string, AcceptedSeries>();
  /** Runs whose writer is done: readers chart them too. */
  readonly runIds: string[] = [];
  counts = {
    imports: 0,
    trainings: 0,
    predictions: 0,
    metricPoints: 0,
    duplicatesResent: 0,
    /** Points announced to `metricsLogged` subscribers, and how many of them had to be (see metricWriter). */
    subscriptionPoints: 0,
    subscriptionPointsRequired: 0,
  };

  acceptedFor(runId: string, key: string): AcceptedSeries {
    const id = `${runId}/${key}`;
    let series = this.accepted.get(id);
    if (!series) {
      series = { runId, key, points: 0, stepSum: 0 };
      this.accepted.set(id, series);
    }
    return series;
  }
}

/** Sleeps up to `ms`, waking early when the soak stops. */
async function pause(state: SoakState, ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (!state.stopping && performance.now() < until) await sleep(Math.min(250, until - performance.now()));
}

async function waitFor<T>(
  state: SoakState,
  timeoutMs: number,
  probe: () => Promise<T | undefined | 'pending'>,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== 'pending') return value;
    await sleep(500);
  }
  return undefined;
}

// --- imports -----------------------------------------------------------------------------

/** A small tabular CSV: two numeric features, one categorical, two learnable classes. */
export function soakCsv(rows: number, seed: number): string {
  const random = mulberry32(seed);
  const lines = ['tenure,spend,plan,label'];
  for (let i = 0; i < rows; i += 1) {
    const churned = random() < 0.5;
    const tenure = Math.round(random() * 20 + (churned ? 0 : 12));
    const spend = Math.round((random() * 5 + (churned ? 3 : 0)) * 100) / 100;
    lines.push(`${tenure},${spend},${random() < 0.5 ? 'basic' : 'pro'},${churned ? 'yes' : 'no'}`);
  }
  return lines.join('\n') + '\n';
}

export async function detectImportStatus(client: SoakClient, state: SoakState): Promise<void> {
  const data = await client.graphql<{ __type: { fields: { name: string }[] } | null }>(
    'introspect',
    '{ __type(name: "DatasetVersion") { fields { name } } }',
  );
  state.importsHaveStatus = data?.__type?.fields.some((field) => field.name === 'status') ?? false;
}

/**
 * Uploads a CSV through /v1/uploads and imports it. Today's import answers when the version is
 * stored; where imports run as worker jobs (DatasetVersion.status), it waits for READY.
 */
export async function importOnce(platform: Platform, client: SoakClient, state: SoakState, seed: number) {
  const body = soakCsv(200 + (seed % 5) * 100, seed);
  const uploaded = await client.http(
    'upload',
    platform.uploadsUrl,
    {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'x-filename': `soak-${seed}.csv` },
      body,
    },
    201,
  );
  if (!uploaded) return undefined;
  const { uploadId } = JSON.parse(uploaded) as { uploadId: string };
  const status = state.importsHaveStatus ? ' status' : '';
  const imported = await client.graphql<{ importDataset: { id: string; exampleCount: number; status?: string } }>(
    'importDataset',
    `mutation($input: ImportDatasetInput!) { importDataset(input: $input) { id exampleCount${status} } }`,
    { input: { name: DATASET, format: 'CSV', uploadId, options: { label: 'label', seed } } },
  );
  if (!imported) return undefined;
  let version = imported.importDataset;
  if (state.importsHaveStatus && version.status !== 'READY') {
    const id = version.id;
    const ready = await waitFor(state, IMPORT_TIMEOUT_MS, async () => {
      const data = await client.graphql<{
        dataset: { versions: { edges: { node: { id: string; status: string; exampleCount: number } }[] } } | null;
      }>(
        'importStatus',
        `query($name: String!) { dataset(name: $name) { versions(first: 50) { edges { node { id status exampleCount } } } } }`,
        { name: DATASET },
      );
      const node = data?.dataset?.versions.edges.find((edge) => edge.node.id === id)?.node;
      if (!node) return undefined;
      return node.status === 'READY' || node.status === 'FAILED' ? node : 'pending';
    });
    if (
      !client.check(
        'importDataset',
        ready?.status === 'READY',
        `import ${id} ended ${ready?.status ?? 'not READY in time'}`,
      )
    )
      return undefined;
    version = ready!;
  }
  if (!client.check('importDataset', version.exampleCount > 0, `import ${version.id} holds no examples`))
    return undefined;
  state.counts.imports += 1;
  state.datasetVersionId = version.id;
  return version.id;
}

export async function importLoop(platform: Platform, client: SoakClient, state: SoakState, options: LoadOptions) {
  for (let seed = 1000; !state.stopping; seed += 1) {
    await importOnce(platform, client, state, seed);
    await pause(state, options.importIntervalMs);
  }
}

// --- training and deployment ------------------------------------------------------------

/** Trains a tiny MLP on the newest imported version; resolves to the version number it registered. */
export async function trainOnce(client: SoakClient, state: SoakState): Promise<number | undefined> {
  const started = await client.graphql<{ startTraining: { id: string } }>(
    'startTraining',
    `mutation($input: StartTrainingInput!) { startTraining(input: $input) { id } }`,
    {
      input: {
        model: MODEL,
        datasetVersionId: state.datasetVersionId,
        spec: { architecture: 'MLP', hiddenUnits: [16] },
        hyperparameters: { epochs: 3, batchSize: 32, seed: state.counts.trainings + 1 },
      },
    },
  );
  if (!started) return undefined;
  const id = started.startTraining.id;
  const run = await waitFor(state, TRAINING_TIMEOUT_MS, async () => {
    const data = await client.graphql<{
      run: { status: string; error: string | null; modelVersion: { number: number } | null } | null;
    }>('trainingStatus', `query($id: ID!) { run(id: $id) { status error modelVersion { number } } }`, { id });
    if (!data?.run) return undefined;
    return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(data.run.status) ? data.run : 'pending';
  });
  const ok = client.check(
    'startTraining',
    run?.status === 'SUCCEEDED' && !!run.modelVersion,
    `training run ${id} ended ${run ? `${run.status} (${run.error ?? 'no model version'})` : 'not in time'}`,
  );
  if (!ok) return undefined;
  state.counts.trainings += 1;
  return run!.modelVersion!.number;
}

export async function trainingLoop(client: SoakClient, state: SoakState, options: LoadOptions) {
  while (!state.stopping) {
    await trainOnce(client, state);
    await pause(state, options.trainingIntervalMs);
  }
}

/** Deploys `version` of the soak's model and waits until a serving process has it READY. */
export async function deploy(client: SoakClient, state: SoakState, version: number): Promise<boolean> {
  const created = await client.graphql(
    'createDeployment',
    `mutation($input: CreateDeploymentInput!) { createDeployment(input: $input) { id } }`,
    { input: { name: DEPLOYMENT, model: MODEL, version } },
  );
  if (!created) return false;
  const status = await waitFor(state, DEPLOYMENT_TIMEOUT_MS, async () => {
    const data = await client.graphql<{ deployment: { status: string } | null }>(
      'deploymentStatus',
      `query($name: String!) { deployment(name: $name) { status } }`,
      { name: DEPLOYMENT },
    );
    if (!data?.deployment) return undefined;
    return data.deployment.status === 'LOADING' ? 'pending' : data.deployment.status;
  });
  return client.check('createDeployment', status === 'READY', `deployment ended ${status ?? 'not READY in time'}`);
}

// --- predictions ------------------------------------------------------------------------

/** Predictions through the API (GraphQL predict, forwarded) and straight to the serving process, in turn. */
export async function predictLoop(platform: Platform, client: SoakClient, state: SoakState, seed: number) {
  const random = mulberry32(seed);
  for (let turn = 0; !state.stopping; turn += 1) {
    const instances = Array.from({ length: 1 + Math.floor(random() * 16) }, () => ({
      tenure: Math.round(random() * 30),
      spend: Math.round(random() * 800) / 100,
      plan: random() < 0.5 ? 'basic' : 'pro',
    }));
    let predictions: unknown[] | undefined;
    if (turn % 2 === 0 || !platform.servingUrl) {
      const data = await client.graphql<{ predict: { predictions: unknown[] } }>(
        'predict (API)',
        `mutation($d: String!, $instances: JSON!) { predict(deployment: $d, instances: $instances) { revision predictions { label probabilities } } }`,
        { d: DEPLOYMENT, instances },
      );
      predictions = data?.predict.predictions;
    } else {
      const text = await client.http(
        'predict (serving)',
        `${platform.servingUrl}/v1/deployments/${DEPLOYMENT}/predict`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instances }) },
        200,
      );
      predictions = text ? (JSON.parse(text) as { predictions: unknown[] }).predictions : undefined;
    }
    if (predictions) {
      if (
        client.check(
          'predict',
          predictions.length === instances.length,
          `${predictions.length} predictions for ${instances.length} instances`,
        )
      )
        state.counts.predictions += instances.length;
    }
    await pause(state, 50);
  }
}

// --- metrics ----------------------------------------------------------------------------

/**
 * One writer: runs of BATCHES_PER_RUN batches, each batch 2 keys × 100..1000 steps, sent as
 * `series` and `points` in turn, paced to its share of the rate. Every RESEND_EVERY batches it
 * re-sends the previous batch, which must be counted entirely as duplicates.
 */
export async function metricWriter(
  client: SoakClient,
  subscriber: MetricsSubscriber,
  state: SoakState,
  options: LoadOptions,
  writer: number,
) {
  const random = mulberry32(7919 * (writer + 1));
  const pointsPerSecond = options.metricPointsPerSecond / options.metricWriters;
  for (let runNumber = 1; !state.stopping; runNumber += 1) {
    const created = await client.graphql<{ createRun: { id: string } }>(
      'createRun',
      `mutation($input: CreateRunInput!) { createRun(input: $input) { id } }`,
      { input: { name: `soak-writer${writer}-run${runNumber}`, params: { writer, runNumber } } },
    );
    if (!created) {
      await pause(state, 1000);
      continue;
    }
    const runId = created.createRun.id;
    // A subscription has no acknowledgement: once its first event arrived it is live, and every
    // batch sent after that must reach it (earlier ones may or may not).
    const events = subscriber.follow(runId);
    let acceptedInRun = 0;
    let acceptedWhileLive = 0;
    let step = 0;
    let previous: { variables: Record<string, unknown>; form: string; points: number } | undefined;
    for (let batch = 0; batch < BATCHES_PER_RUN && !state.stopping; batch += 1) {
      const started = performance.now();
      if (previous && batch % RESEND_EVERY === 0) {
        const resent = await logMetrics(client, previous.form, previous.variables);
        if (resent) {
          client.check(
            'logMetrics resend',
            resent.accepted === 0 && resent.duplicates === previous.points,
            `re-sent batch: accepted ${resent.accepted}, duplicates ${resent.duplicates} of ${previous.points}`,
          );
          state.counts.duplicatesResent += previous.points;
        }
      }
      const steps = Array.from({ length: 100 + Math.floor(random() * 901) }, (_, index) => step + index);
      const columns = METRIC_KEYS.map((key) => ({
        key,
        steps,
        values: steps.map(
          (s) => (key === 'loss' ? 2 * Math.exp(-s / 5000) : 1 - Math.exp(-s / 5000)) + random() * 0.01,
        ),
      }));
      const form = batch % 2 === 0 ? 'series' : 'points';
      const variables =
        form === 'series'
          ? { runId, series: columns }
          : {
              runId,
              points: columns.flatMap((c) => c.steps.map((s, i) => ({ key: c.key, step: s, value: c.values[i]! }))),
            };
      const points = steps.length * METRIC_KEYS.length;
      const result = await logMetrics(client, form, variables);
      if (
        result &&
        client.check(
          `logMetrics (${form})`,
          result.accepted === points && result.duplicates === 0,
          `accepted ${result.accepted}, duplicates ${result.duplicates} of ${points}`,
        )
      ) {
        const stepSum = steps.reduce((sum, s) => sum + s, 0);
        for (const key of METRIC_KEYS) {
          const series = state.acceptedFor(runId, key);
          series.points += steps.length;
          series.stepSum += stepSum;
        }
        state.counts.metricPoints += points;
        acceptedInRun += points;
        if (events.liveSince !== undefined && events.liveSince < started) acceptedWhileLive += points;
        previous = { variables, form, points };
      }
      step += steps.length;
      await pause(state, Math.max(0, (points / pointsPerSecond) * 1000 - (performance.now() - started)));
    }
    await waitFor(state, EVENTS_GRACE_MS, async () => (events.received >= acceptedWhileLive ? true : 'pending'));
    subscriber.unfollow(runId);
    client.check(
      'metricsLogged',
      !events.error && events.received >= acceptedWhileLive && events.received <= acceptedInRun,
      `run ${runId}: subscriber received ${events.received} points, ${acceptedWhileLive} stored while it was live, ${acceptedInRun} in all${events.error ? ` (${events.error})` : ''}`,
    );
    state.counts.subscriptionPoints += events.received;
    state.counts.subscriptionPointsRequired += acceptedWhileLive;
    await client.graphql('finishRun', `mutation($id: ID!) { finishRun(id: $id, status: SUCCEEDED) { id } }`, {
      id: runId,
    });
    state.runIds.push(runId);
  }
}

function logMetrics(client: SoakClient, form: string, variables: Record<string, unknown>) {
  const query =
    form === 'series'
      ? `mutation($runId: ID!, $series: [MetricSeriesInput!]) { logMetrics(runId: $runId, series: $series) { accepted duplicates } }`
      : `mutation($runId: ID!, $points: [MetricPointInput!]) { logMetrics(runId: $runId, points: $points) { accepted duplicates } }`;
  return client
    .graphql<{ logMetrics: { accepted: number; duplicates: number } }>(`logMetrics (${form})`, query, variables)
    .then((data) => data?.logMetrics);
}

// --- reads ------------------------------------------------------------------------------

const READS = [
  {
    name: 'runs',
    query: `{ runs(first: 20) { edges { node { id name status kind latestMetrics { key step value } } } pageInfo { hasNextPage } } }`,
  },
  {
    name: 'models',
    query: `{ models(first: 10) { edges { node { name versionCount latestVersion { number status } aliases { alias } versions(first: 5) { edges { node { number status trainingDatasetVersion { number } } } } } } } }`,
  },
  {
    name: 'datasets',
    query: `{ datasets(first: 10) { edges { node { name versionCount latestVersion { number exampleCount splits } } } } }`,
  },
  {
    name: 'deployments',
    query: `{ deployments(first: 10) { edges { node { name status currentRevision { number state } } } } }`,
  },
] as const;

/**
 * Lists, and downsampled charts of the runs being written. A chart must hold at least every point
 * the API had acknowledged before the read was sent (another API process may have stored them).
 */
export async function readerLoop(client: SoakClient, state: SoakState, seed: number) {
  const random = mulberry32(seed);
  for (let turn = 0; !state.stopping; turn += 1) {
    const series = [...state.accepted.values()];
    if (turn % 2 === 0 && series.length > 0) {
      const target = series[Math.floor(random() * series.length)]!;
      const acknowledged = target.points;
      const data = await client.graphql<{ run: { metrics: { totalPoints: number; points: unknown[] } } | null }>(
        'chart',
        `query($id: ID!, $key: String!) { run(id: $id) { metricKeys metrics(key: $key, maxPoints: 500) { totalPoints points { step value min max count } } } }`,
        { id: target.runId, key: target.key },
      );
      if (data) {
        const total = data.run?.metrics.totalPoints ?? -1;
        client.check(
          'chart',
          total >= acknowledged,
          `chart of ${target.runId}/${target.key}: ${total} points, ${acknowledged} acknowledged before the read`,
        );
        client.check('chart', (data.run?.metrics.points.length ?? 0) <= 500, 'chart longer than maxPoints');
      }
    } else {
      const read = READS[Math.floor(random() * READS.length)]!;
      await client.graphql(read.name, read.query);
    }
    await pause(state, 100);
  }
}
