import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  anImportedCsv,
  dataOf,
  errorCode,
  projectId,
  startTestApi,
  tokenFor,
  uniqueName,
  type TestApi,
} from '@lepton/graphql-api/testing';
import { saveModel } from '@lepton/model-io';
import { startServingProcess, type ServingProcess } from '@lepton/serving/testing';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = Record<string, any>;

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'apps/cli/bin/lepton.js');
const MODEL = 'churn';

/** A small tabular data set: two numeric features, one categorical, two classes. */
function churnCsv(rows: number): string {
  const lines = ['tenure,spend,plan,label'];
  for (let i = 0; i < rows; i += 1) {
    const churned = i % 2;
    lines.push(`${(i % 17) + churned * 10},${((i * 7) % 23) / 4},${['basic', 'pro'][i % 2]},${churned ? 'yes' : 'no'}`);
  }
  return lines.join('\n') + '\n';
}

const ROW = { tenure: 12, spend: 3.5, plan: 'pro' };

async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * The control plane with real serving processes: the API's predict forwarded to one, status from
 * its heartbeats, and automatic canary analysis deciding on the statistics real traffic produced.
 */
describe('deployments end to end: control plane and serving processes', () => {
  let api: TestApi;
  let serving: ServingProcess;
  let workDir: string;
  let datasetVersionId: string;
  let pid: string;

  /** A real TF.js model of the data set's shape (random weights, seeded), stored where training stores models. */
  async function aVersion(seed: number, corrupt = false): Promise<number> {
    const { dataset } = dataOf(
      await api.gql<{ dataset: { latestVersion: { schema: { featureShape: number[]; classes: string[] } } } }>(
        `{ dataset(name: "churn-data") { latestVersion { schema } } }`,
      ),
    );
    const { featureShape, classes } = dataset.latestVersion.schema;
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          inputShape: featureShape,
          units: 8,
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotUniform({ seed }),
        }),
        tf.layers.dense({
          units: classes.length,
          activation: 'softmax',
          kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
        }),
      ],
    });
    const dir = await mkdtemp(path.join(workDir, 'model-'));
    await saveModel(model, dir);
    model.dispose();
    const key = `models/${pid}/${MODEL}/${uniqueName('run')}`;
    for (const file of await readdir(dir)) {
      const bytes = await readFile(path.join(dir, file));
      // A weights file shorter than its manifest says: the serving process must refuse to load it.
      await api.artifacts.put(`${key}/${file}`, corrupt && file.endsWith('.bin') ? bytes.subarray(0, 8) : bytes);
    }
    const created = dataOf(
      await api.gql<{ createModelVersion: { number: number } }>(
        `mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) { number } }`,
        { input: { model: MODEL, artifactUri: api.artifacts.uri(key), datasetVersionId } },
      ),
    );
    return created.createModelVersion.number;
  }

  async function deploy(version: number): Promise<string> {
    const name = uniqueName('e2e');
    dataOf(
      await api.gql(`mutation($input: CreateDeploymentInput!) { createDeployment(input: $input) { id } }`, {
        input: { name, model: MODEL, version },
      }),
    );
    await waitUntil(`${name} READY`, async () => (await state(name)).status === 'READY');
    return name;
  }

  async function state(name: string): Promise<Data> {
    return dataOf(
      await api.gql<Data>(
        `query($n: String!) {
          deployment(name: $n) {
            status
            currentRevision { number state }
            traffic { revision { number state } weight }
            canary { lastAnalysis { verdict reason } }
            events(first: 5) { edges { node { kind message details } } }
          }
        }`,
        { n: name },
      ),
    ).deployment;
  }

  const predictUrl = (name: string) => `${serving.url}/v1/deployments/${name}/predict`;

  /** Predicts continuously, 4 at a time, until `done` says so; every answer's status. */
  async function loadUntil(name: string, done: () => Promise<boolean>, timeoutMs = 120_000): Promise<number[]> {
    const statuses: number[] = [];
    let finished = false;
    const deadline = Date.now() + timeoutMs;
    const workers = Array.from({ length: 4 }, async () => {
      while (!finished) {
        const response = await fetch(predictUrl(name), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${api.adminToken}` },
          body: JSON.stringify({ instances: [ROW] }),
        });
        await response.arrayBuffer();
        statuses.push(response.status);
      }
    });
    try {
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error(`timed out after ${statuses.length} requests`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } finally {
      finished = true;
      await Promise.all(workers);
    }
    return statuses;
  }

  const ANALYSIS = {
    minRequests: 60,
    maxErrorRateDelta: 0.02,
    maxLatencyP99Ratio: 1.5,
    intervalSeconds: 2,
    windowSeconds: 60,
  };
  const SET_CANARY = `mutation($n: String!, $v: Int!, $analysis: CanaryAnalysisInput, $batching: BatchingInput) {
    setDeploymentCanary(name: $n, version: $v, weight: 50, analysis: $analysis, batching: $batching) { name }
  }`;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'lepton-e2e-'));
    api = await startTestApi();
    pid = await projectId(api, 'default');
    datasetVersionId = await anImportedCsv(api, 'churn-data', churnCsv(120), { seed: 3 });
    dataOf(await api.gql(`mutation { registerModel(input: { name: "${MODEL}" }) { id } }`));
    serving = await startServingProcess({
      databaseUrl: api.db.url,
      artifactsDir: api.artifactsDir,
      env: { LEPTON_TF_BACKEND: 'cpu' },
    });
  }, 300_000);

  afterAll(async () => {
    await serving?.stop();
    await api?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it("forwards the API's predict to a live serving process with the caller's token, and maps its refusals", async () => {
    const name = await deploy(await aVersion(1));
    const viewer = await tokenFor(api, 'default', 'VIEWER');
    const PREDICT = `mutation($d: String!, $instances: JSON!) { predict(deployment: $d, instances: $instances) { deployment revision modelVersion predictions { label probabilities } } }`;
    const answer = dataOf(
      await api.gql<Data>(PREDICT, { d: name, instances: [ROW, { ...ROW, plan: 'basic' }] }, viewer),
    ).predict;
    expect(answer).toMatchObject({ deployment: name, revision: 1, modelVersion: expect.any(Number) });
    expect(answer.predictions).toHaveLength(2);
    for (const prediction of answer.predictions) {
      expect(['no', 'yes']).toContain(prediction.label);
      expect(
        Object.values(prediction.probabilities as Record<string, number>).reduce((sum, p) => sum + p, 0),
      ).toBeCloseTo(1, 5);
    }
    // The same numbers as asking the serving process directly.
    const response = await fetch(predictUrl(name), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer}` },
      body: JSON.stringify({ instances: [ROW] }),
    });
    const direct = (await response.json()) as { predictions: unknown[] };
    expect(direct.predictions[0]).toEqual(answer.predictions[0]);

    const unknownFeature = await api.gql(PREDICT, { d: name, instances: [{ ...ROW, tenur: 1 }] }, viewer);
    expect(errorCode(unknownFeature)).toBe('BAD_USER_INPUT');
    expect(unknownFeature.errors?.[0]?.message).toContain('tenur');
  });

  it('predicts from the CLI, through the API and straight to the serving endpoint', async () => {
    const name = await deploy(await aVersion(2));
    const rows = path.join(workDir, 'rows.csv');
    await writeFile(rows, 'tenure,spend,plan\n12,3.5,pro\n3,1,basic\n');
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, '--url', api.url, '--token', api.adminToken, ...args], {
          cwd: ROOT,
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk) => (stdout += chunk));
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
      });
    const viaApi = await run(['--json', 'predict', name, '--file', rows]);
    expect(viaApi.code, viaApi.stderr).toBe(0);
    const direct = await run(['--json', 'predict', name, '--file', rows, '--direct']);
    expect(direct.code, direct.stderr).toBe(0);
    const parsed = JSON.parse(viaApi.stdout);
    expect(parsed).toMatchObject({ deployment: name, revisions: [1] });
    expect(parsed.predictions).toHaveLength(2);
    expect(JSON.parse(direct.stdout).predictions).toEqual(parsed.predictions);
    const text = await run(['predict', name, '--instances', JSON.stringify([ROW])]);
    expect(text.stdout).toMatch(/^1\t(yes|no)\t0\.\d{4}\n$/);
  });

  it('promotes a healthy canary by itself on the statistics of real traffic, losing no request', async () => {
    const name = await deploy(await aVersion(3));
    dataOf(await api.gql(SET_CANARY, { n: name, v: await aVersion(4), analysis: ANALYSIS }));
    const statuses = await loadUntil(name, async () => (await state(name)).currentRevision.number === 2);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    const event = (await state(name)).events.edges[0].node;
    expect(event.kind).toBe('ANALYSIS_PROMOTED');
    expect(event.details.figures.canaryRequests).toBeGreaterThanOrEqual(ANALYSIS.minRequests);
    expect(event.details.figures.canaryErrorRate).toBe(0);
  });

  it('rolls back a canary much slower than the stable revision', async () => {
    const name = await deploy(await aVersion(5));
    // The same kind of model, but its batcher holds every request 400 ms hoping for company.
    dataOf(
      await api.gql(SET_CANARY, {
        n: name,
        v: await aVersion(6),
        analysis: ANALYSIS,
        batching: { maxQueueDelayMs: 400, maxBatchSize: 1024 },
      }),
    );
    const statuses = await loadUntil(
      name,
      async () => (await state(name)).events.edges[0].node.kind === 'ANALYSIS_ROLLED_BACK',
    );
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    const after = await state(name);
    expect(after.traffic).toEqual([{ revision: { number: 1, state: 'READY' }, weight: 100 }]);
    const figures = after.events.edges[0].node.details.figures;
    expect(figures.canaryP99Ms).toBeGreaterThanOrEqual(300);
    expect(figures.p99Ratio).toBeGreaterThan(ANALYSIS.maxLatencyP99Ratio);
  });

  it('rolls back a canary the serving process cannot load, while the stable revision answers everything', async () => {
    const name = await deploy(await aVersion(7));
    dataOf(await api.gql(SET_CANARY, { n: name, v: await aVersion(8, true), analysis: ANALYSIS }));
    const statuses = await loadUntil(name, async () => (await state(name)).canary === null);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    const event = (await state(name)).events.edges.find(
      (edge: Data) => edge.node.kind === 'ANALYSIS_ROLLED_BACK',
    )!.node;
    expect(event.message).toMatch(/could not load the canary/);
    expect((await state(name)).events.edges.map((edge: Data) => edge.node.kind)).toContain('REVISION_FAILED');
  });

  it('stops serving a deleted deployment', async () => {
    const name = await deploy(await aVersion(9));
    dataOf(await api.gql(`mutation($n: String!) { deleteDeployment(name: $n) }`, { n: name }));
    await waitUntil(
      '404 after delete',
      async () => {
        const response = await fetch(predictUrl(name), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${api.adminToken}` },
          body: JSON.stringify({ instances: [ROW] }),
        });
        await response.arrayBuffer();
        return response.status === 404;
      },
      30_000,
    );
  });
});
