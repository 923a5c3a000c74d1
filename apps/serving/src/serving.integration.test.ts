import { deserializePreparedDataset } from '@lepton/datasets';
import {
  anImportedCsv,
  createProject,
  dataOf,
  errorCode,
  startTestApi,
  tokenFor,
  uniqueName,
  type TestApi,
} from '@lepton/graphql-api/testing';
import { loadModel } from '@lepton/model-io';
import { startServingProcess, type ServingProcess } from '@lepton/serving/testing';
import { startWorkerProcess } from '@lepton/training/testing';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MODEL = 'blobs';
const FEATURES = ['f1', 'f2', 'f3', 'f4', 'color'] as const;
type Row = Record<(typeof FEATURES)[number], string>;

/** Three separable blobs in 4 numeric features and a categorical one, as CSV (the worker's test data). */
function blobsCsv(rows: number): { csv: string; rows: Row[] } {
  let state = 3;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const parsed: Row[] = [];
  const lines = [`${FEATURES.join(',')},label`];
  for (let i = 0; i < rows; i += 1) {
    const label = i % 3;
    const center = [label * 3, -label * 2, label, 1 - label];
    const values = center.map((c) => (c + random() - 0.5).toFixed(4));
    const row = { f1: values[0]!, f2: values[1]!, f3: values[2]!, f4: values[3]!, color: ['red', 'green', 'blue'][label]! };
    parsed.push(row);
    lines.push(`${FEATURES.map((name) => row[name]).join(',')},class-${label}`);
  }
  return { csv: lines.join('\n') + '\n', rows: parsed };
}

interface Version {
  number: number;
  artifactUri: string;
}

interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  revision: string | null;
  headers: Headers;
}

async function call<T = Record<string, unknown>>(
  url: string,
  options: { method?: string; token?: string | null; body?: unknown; raw?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const response = await fetch(url, {
    method: options.method ?? (options.body !== undefined || options.raw !== undefined ? 'POST' : 'GET'),
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.raw !== undefined ? { body: options.raw } : options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Prometheus text, or a plain 400 from the HTTP parser.
  }
  return { status: response.status, body: body as T, revision: response.headers.get('x-lepton-revision'), headers: response.headers };
}

async function waitUntil<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const TRAIN = `mutation($input: StartTrainingInput!) { startTraining(input: $input) { id } }`;
const RUN = `query($id: ID!) { run(id: $id) { status error modelVersion { number artifactUri } } }`;

describe('serving: real serving processes over the control plane, real HTTP, a real database', () => {
  let api: TestApi;
  let serving: ServingProcess;
  let rows: Row[];
  let datasetVersionId: string;
  let versions: Version[];
  let testSplit: number[];
  let workDir: string;

  async function train(seed: number): Promise<Version> {
    const { startTraining } = dataOf(
      await api.gql<{ startTraining: { id: string } }>(TRAIN, {
        input: {
          model: MODEL,
          datasetVersionId,
          spec: { architecture: 'mlp', hiddenUnits: [16] },
          hyperparameters: { epochs: 3, batchSize: 16, learningRate: 0.01, seed },
        },
      }),
    );
    const run = await waitUntil('training', async () => {
      const { run } = dataOf(await api.gql<{ run: { status: string; error: string | null; modelVersion: Version | null } }>(RUN, { id: startTraining.id }));
      if (run.status === 'FAILED' || run.status === 'CANCELLED') throw new Error(`training ${run.status}: ${run.error}`);
      return run.status === 'SUCCEEDED' && run.modelVersion;
    });
    return run;
  }

  async function deploy(name: string, version: number, batching?: Record<string, number>, token = api.adminToken): Promise<void> {
    dataOf(
      await api.gql(
        `mutation($input: CreateDeploymentInput!) { createDeployment(input: $input) { id } }`,
        { input: { name, model: MODEL, version, ...(batching ? { batching } : {}) } },
        token,
      ),
    );
  }

  async function ready(name: string, process = serving): Promise<void> {
    await waitUntil(`${name} ready`, async () => (await call(`${process.url}/v2/models/${name}/ready`, { token: api.adminToken })).status === 200);
  }

  /** Both traffic revisions loaded and ready in the serving process (the canary included). */
  async function trafficReady(name: string, revisions: number, process = serving): Promise<void> {
    await waitUntil(`${name}: ${revisions} revisions ready`, async () => {
      const { status, body } = await call<{ parameters?: { traffic: { state: string }[] } }>(`${process.url}/v2/models/${name}`, {
        token: api.adminToken,
      });
      const traffic = body.parameters?.traffic ?? [];
      return status === 200 && traffic.length === revisions && traffic.every((entry) => entry.state === 'READY');
    });
  }

  const predictUrl = (name: string, process = serving) => `${process.url}/v1/deployments/${name}/predict`;
  const inferUrl = (name: string, process = serving) => `${process.url}/v2/models/${name}/infer`;
  const instance = (row: number) => ({ ...rows[row]! });

  /** The OIP form of rows: one input per raw feature, numbers as FP32, the category as BYTES. */
  function inferBody(rowIndices: number[]) {
    return {
      inputs: FEATURES.map((name) => ({
        name,
        shape: [rowIndices.length],
        datatype: name === 'color' ? 'BYTES' : 'FP32',
        data: rowIndices.map((row) => (name === 'color' ? rows[row]![name] : Number(rows[row]![name]))),
      })),
    };
  }

  /** What the trainer's model says offline: model-io on the stored files, the dataset's own prepared test features. */
  async function offline(version: Version): Promise<number[][]> {
    const dir = await mkdtemp(path.join(workDir, 'offline-'));
    const prefix = api.artifacts.keyFromUri(version.artifactUri);
    for (const key of await api.artifacts.list(prefix)) await writeFile(path.join(dir, key.slice(prefix.length + 1)), await api.artifacts.get(key));
    await tf.setBackend('cpu');
    const model = await loadModel(dir);
    const { rows: found } = await api.db.pool.query<{ storage_uri: string }>(`SELECT storage_uri FROM dataset_version WHERE id = $1`, [datasetVersionId]);
    const datasetPrefix = api.artifacts.keyFromUri(found[0]!.storage_uri);
    const files: Record<string, Uint8Array> = {};
    for (const key of await api.artifacts.list(datasetPrefix)) files[key.slice(datasetPrefix.length + 1)] = await api.artifacts.get(key);
    const dataset = deserializePreparedDataset(files);
    const width = dataset.featureShape[0]!;
    const features = new Float32Array(testSplit.length * width);
    testSplit.forEach((row, i) => features.set(dataset.features.subarray(row * width, (row + 1) * width), i * width));
    const probabilities = tf.tidy(() => (model.predict(tf.tensor(features, [testSplit.length, width])) as tf.Tensor).arraySync() as number[][]);
    model.dispose();
    return probabilities;
  }

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'lepton-serving-test-'));
    api = await startTestApi();
    const data = blobsCsv(240);
    rows = data.rows;
    datasetVersionId = await anImportedCsv(api, 'blobs', data.csv, { seed: 1 });
    const worker = startWorkerProcess({ databaseUrl: api.db.url, artifactsDir: api.artifactsDir, env: { LEPTON_TF_BACKEND: 'cpu' } });
    try {
      versions = [await train(7), await train(8), await train(9)];
    } finally {
      await worker.stop();
    }
    const splits = await api.db.pool.query<{ file: string }>(`SELECT storage_uri AS file FROM dataset_version WHERE id = $1`, [datasetVersionId]);
    const prefix = api.artifacts.keyFromUri(splits.rows[0]!.file);
    const test = await api.artifacts.get(`${prefix}/splits/test.i32`);
    testSplit = Array.from(new Int32Array(test.buffer.slice(test.byteOffset, test.byteOffset + test.byteLength)));
    serving = await startServingProcess({ databaseUrl: api.db.url, artifactsDir: api.artifactsDir });
  }, 600_000);

  afterAll(async () => {
    await serving?.stop();
    await api?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it("answers the test split through both endpoints exactly as the trainer's model does offline", async () => {
    const name = uniqueName('equal');
    await deploy(name, versions[0]!.number);
    await ready(name);
    const expected = await offline(versions[0]!);

    const friendly = await call<{ deployment: string; revision: number; modelVersion: number; predictions: { label: string; probabilities: Record<string, number> }[] }>(
      predictUrl(name),
      { token: api.adminToken, body: { instances: testSplit.map(instance) } },
    );
    expect(friendly.status).toBe(200);
    expect(friendly.body).toMatchObject({ deployment: name, revision: 1, modelVersion: versions[0]!.number });
    expect(friendly.revision).toBe('1');
    friendly.body.predictions.forEach((prediction, i) => {
      ['class-0', 'class-1', 'class-2'].forEach((label, c) => expect(Math.abs(prediction.probabilities[label]! - expected[i]![c]!)).toBeLessThanOrEqual(1e-5));
      expect(prediction.label).toBe(`class-${expected[i]!.indexOf(Math.max(...expected[i]!))}`);
    });

    const oip = await call<{ model_name: string; model_version: string; parameters: { revision: number }; outputs: { name: string; shape: number[]; data: (number | string)[] }[] }>(
      inferUrl(name),
      { token: api.adminToken, body: { id: 'req-1', ...inferBody(testSplit) } },
    );
    expect(oip.status).toBe(200);
    expect(oip.body).toMatchObject({ model_name: name, model_version: String(versions[0]!.number), id: 'req-1', parameters: { revision: 1 } });
    const [probabilities, labels] = oip.body.outputs;
    expect(probabilities).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [testSplit.length, 3] });
    expect(labels).toMatchObject({ name: 'label', datatype: 'BYTES', shape: [testSplit.length] });
    expected.flat().forEach((p, i) => expect(Math.abs((probabilities!.data[i] as number) - p)).toBeLessThanOrEqual(1e-5));
    expect(labels!.data).toEqual(friendly.body.predictions.map((prediction) => prediction.label));

    // The same through /versions/{v}, and one instance at a time (batched with nothing else).
    const pinned = await call<{ outputs: { data: number[] }[] }>(`${serving.url}/v2/models/${name}/versions/${versions[0]!.number}/infer`, {
      token: api.adminToken,
      body: { ...inferBody([testSplit[0]!]), outputs: [{ name: 'probabilities' }] },
    });
    expect(pinned.status).toBe(200);
    pinned.body.outputs[0]!.data.forEach((p, c) => expect(Math.abs(p - expected[0]![c]!)).toBeLessThanOrEqual(1e-5));
  });
});
