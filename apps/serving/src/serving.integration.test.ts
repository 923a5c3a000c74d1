import { deserializePreparedDataset } from '@lepton/datasets';
import {
  anImportedCsv,
  createProject,
  dataOf,
  projectId,
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
  const random = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const parsed: Row[] = [];
  const lines = [`${FEATURES.join(',')},label`];
  for (let i = 0; i < rows; i += 1) {
    const label = i % 3;
    const center = [label * 3, -label * 2, label, 1 - label];
    const values = center.map((c) => (c + random() - 0.5).toFixed(4));
    const row = {
      f1: values[0]!,
      f2: values[1]!,
      f3: values[2]!,
      f4: values[3]!,
      color: ['red', 'green', 'blue'][label]!,
    };
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
  options: {
    method?: string;
    token?: string | null;
    body?: unknown;
    raw?: string | Buffer;
    headers?: Record<string, string>;
  } = {},
): Promise<Answer<T>> {
  const response = await fetch(url, {
    method: options.method ?? (options.body !== undefined || options.raw !== undefined ? 'POST' : 'GET'),
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.raw !== undefined
      ? { body: options.raw }
      : options.body !== undefined
        ? { body: JSON.stringify(options.body) }
        : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Prometheus text, or a plain 400 from the HTTP parser.
  }
  return {
    status: response.status,
    body: body as T,
    revision: response.headers.get('x-lepton-revision'),
    headers: response.headers,
  };
}

async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Sends `count` requests, `concurrency` at a time; answers in the order sent. */
async function fire(count: number, concurrency: number, send: (index: number) => Promise<Answer>): Promise<Answer[]> {
  const answers: Answer[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        answers[index] = await send(index);
      }
    }),
  );
  return answers;
}

const STACK_LINE = /\n\s+at .+:\d+:\d+/;

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
          spec: { architecture: 'MLP', hiddenUnits: [16] },
          hyperparameters: { epochs: 3, batchSize: 16, learningRate: 0.01, seed },
        },
      }),
    );
    const run = await waitUntil('training', async () => {
      const { run } = dataOf(
        await api.gql<{ run: { status: string; error: string | null; modelVersion: Version | null } }>(RUN, {
          id: startTraining.id,
        }),
      );
      if (run.status === 'FAILED' || run.status === 'CANCELLED')
        throw new Error(`training ${run.status}: ${run.error}`);
      return run.status === 'SUCCEEDED' && run.modelVersion;
    });
    return run;
  }

  async function deploy(
    name: string,
    version: number,
    batching?: Record<string, number>,
    token = api.adminToken,
  ): Promise<void> {
    dataOf(
      await api.gql(
        `mutation($input: CreateDeploymentInput!) { createDeployment(input: $input) { id } }`,
        { input: { name, model: MODEL, version, ...(batching ? { batching } : {}) } },
        token,
      ),
    );
  }

  async function ready(name: string, process = serving): Promise<void> {
    await waitUntil(
      `${name} ready`,
      async () => (await call(`${process.url}/v2/models/${name}/ready`, { token: api.adminToken })).status === 200,
    );
  }

  /** Both traffic revisions loaded and ready in the serving process (the canary included). */
  async function trafficReady(name: string, revisions: number, process = serving): Promise<void> {
    await waitUntil(`${name}: ${revisions} revisions ready`, async () => {
      const { status, body } = await call<{ parameters?: { traffic: { state: string }[] } }>(
        `${process.url}/v2/models/${name}`,
        {
          token: api.adminToken,
        },
      );
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
    for (const key of await api.artifacts.list(prefix))
      await writeFile(path.join(dir, key.slice(prefix.length + 1)), await api.artifacts.get(key));
    await tf.setBackend('cpu');
    const model = await loadModel(dir);
    const { rows: found } = await api.db.pool.query<{ storage_uri: string }>(
      `SELECT storage_uri FROM dataset_version WHERE id = $1`,
      [datasetVersionId],
    );
    const datasetPrefix = api.artifacts.keyFromUri(found[0]!.storage_uri);
    const files: Record<string, Uint8Array> = {};
    for (const key of await api.artifacts.list(datasetPrefix))
      files[key.slice(datasetPrefix.length + 1)] = await api.artifacts.get(key);
    const dataset = deserializePreparedDataset(files);
    const width = dataset.featureShape[0]!;
    const features = new Float32Array(testSplit.length * width);
    testSplit.forEach((row, i) => features.set(dataset.features.subarray(row * width, (row + 1) * width), i * width));
    const probabilities = tf.tidy(
      () => (model.predict(tf.tensor(features, [testSplit.length, width])) as tf.Tensor).arraySync() as number[][],
    );
    model.dispose();
    return probabilities;
  }

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'lepton-serving-test-'));
    api = await startTestApi();
    const data = blobsCsv(240);
    rows = data.rows;
    datasetVersionId = await anImportedCsv(api, 'blobs', data.csv, { seed: 1 });
    const worker = startWorkerProcess({
      databaseUrl: api.db.url,
      artifactsDir: api.artifactsDir,
      env: { LEPTON_TF_BACKEND: 'cpu' },
    });
    try {
      versions = [await train(7), await train(8), await train(9)];
    } finally {
      await worker.stop();
    }
    const splits = await api.db.pool.query<{ file: string }>(
      `SELECT storage_uri AS file FROM dataset_version WHERE id = $1`,
      [datasetVersionId],
    );
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

    const friendly = await call<{
      deployment: string;
      revision: number;
      modelVersion: number;
      predictions: { label: string; probabilities: Record<string, number> }[];
    }>(predictUrl(name), { token: api.adminToken, body: { instances: testSplit.map(instance) } });
    expect(friendly.status).toBe(200);
    expect(friendly.body).toMatchObject({ deployment: name, revision: 1, modelVersion: versions[0]!.number });
    expect(friendly.revision).toBe('1');
    friendly.body.predictions.forEach((prediction, i) => {
      ['class-0', 'class-1', 'class-2'].forEach((label, c) =>
        expect(Math.abs(prediction.probabilities[label]! - expected[i]![c]!)).toBeLessThanOrEqual(1e-5),
      );
      expect(prediction.label).toBe(`class-${expected[i]!.indexOf(Math.max(...expected[i]!))}`);
    });

    const oip = await call<{
      model_name: string;
      model_version: string;
      parameters: { revision: number };
      outputs: { name: string; shape: number[]; data: (number | string)[] }[];
    }>(inferUrl(name), { token: api.adminToken, body: { id: 'req-1', ...inferBody(testSplit) } });
    expect(oip.status).toBe(200);
    expect(oip.body).toMatchObject({
      model_name: name,
      model_version: String(versions[0]!.number),
      id: 'req-1',
      parameters: { revision: 1 },
    });
    const [probabilities, labels] = oip.body.outputs;
    expect(probabilities).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [testSplit.length, 3] });
    expect(labels).toMatchObject({ name: 'label', datatype: 'BYTES', shape: [testSplit.length] });
    expected
      .flat()
      .forEach((p, i) => expect(Math.abs((probabilities!.data[i] as number) - p)).toBeLessThanOrEqual(1e-5));
    expect(labels!.data).toEqual(friendly.body.predictions.map((prediction) => prediction.label));

    // The same through /versions/{v}, and one instance at a time (batched with nothing else).
    const pinned = await call<{ outputs: { data: number[] }[] }>(
      `${serving.url}/v2/models/${name}/versions/${versions[0]!.number}/infer`,
      {
        token: api.adminToken,
        body: { ...inferBody([testSplit[0]!]), outputs: [{ name: 'probabilities' }] },
      },
    );
    expect(pinned.status).toBe(200);
    pinned.body.outputs[0]!.data.forEach((p, c) => expect(Math.abs(p - expected[0]![c]!)).toBeLessThanOrEqual(1e-5));
  });

  describe('auth', () => {
    it('takes a project token (VIEWER or more) or a key of the deployment on every endpoint; health and metrics need none', async () => {
      const name = uniqueName('auth');
      const other = uniqueName('auth-other');
      await deploy(name, versions[0]!.number);
      await deploy(other, versions[0]!.number);
      await ready(name);
      const createKey = async (deployment: string) =>
        dataOf(
          await api.gql<{ createDeploymentKey: { key: string; deploymentKey: { id: string } } }>(
            `mutation($d: String!, $n: String!) { createDeploymentKey(deployment: $d, name: $n) { key deploymentKey { id } } }`,
            { d: deployment, n: uniqueName('key') },
          ),
        ).createDeploymentKey;
      const key = await createKey(name);
      const otherKey = await createKey(other);
      const revoked = await createKey(name);
      dataOf(
        await api.gql(`mutation($id: ID!) { revokeDeploymentKey(id: $id) { id } }`, { id: revoked.deploymentKey.id }),
      );
      const viewer = await tokenFor(api, 'default', 'VIEWER');
      const editor = await tokenFor(api, 'default', 'EDITOR');
      const stranger = await tokenFor(api, await createProject(api), 'ADMIN');

      const v = versions[0]!.number;
      const endpoints = [
        { what: 'predict', url: predictUrl(name), body: { instances: [instance(0)] } as unknown },
        { what: 'infer', url: inferUrl(name), body: inferBody([0]) as unknown },
        {
          what: 'version infer',
          url: `${serving.url}/v2/models/${name}/versions/${v}/infer`,
          body: inferBody([0]) as unknown,
        },
        { what: 'metadata', url: `${serving.url}/v2/models/${name}` },
        { what: 'version metadata', url: `${serving.url}/v2/models/${name}/versions/${v}` },
        { what: 'ready', url: `${serving.url}/v2/models/${name}/ready` },
        { what: 'version ready', url: `${serving.url}/v2/models/${name}/versions/${v}/ready` },
      ];
      const credentials: [string, string | null, number][] = [
        ['no token', null, 401],
        ['a malformed token', 'not-a-token', 401],
        ['an unknown token', `lep_${'x'.repeat(40)}`, 401],
        ['a revoked key', revoked.key, 401],
        ["another project's token", stranger, 404],
        ["another deployment's key", otherKey.key, 404],
        ['a VIEWER token', viewer, 200],
        ['an EDITOR token', editor, 200],
        ['the admin token', api.adminToken, 200],
        ["the deployment's key", key.key, 200],
      ];
      for (const endpoint of endpoints) {
        for (const [who, token, status] of credentials) {
          const answer = await call<{ error?: string; code?: string }>(endpoint.url, {
            token,
            ...(endpoint.body ? { body: endpoint.body } : {}),
          });
          expect(answer.status, `${endpoint.what} with ${who}`).toBe(status);
          if (status === 401) {
            expect(answer.body.code).toBe('UNAUTHENTICATED');
            expect(answer.headers.get('www-authenticate')).toBe('Bearer');
          }
          // Refusals name no deployment the credential cannot reach: the same answer as a name that does not exist.
          if (status === 404) {
            const missing = await call<{ error: string }>(endpoint.url.replace(name, 'no-such-deployment'), {
              token,
              ...(endpoint.body ? { body: endpoint.body } : {}),
            });
            expect(missing.status).toBe(404);
            expect(answer.body.error).toBe(missing.body.error.replace('no-such-deployment', name));
          }
        }
      }
      for (const path of ['/v2/health/live', '/v2/health/ready', '/metrics']) {
        expect((await call(`${serving.url}${path}`)).status, path).toBe(200);
      }
    });
  });

  describe('bad requests', () => {
    let name: string;
    beforeAll(async () => {
      name = uniqueName('bad');
      await deploy(name, versions[0]!.number);
      await ready(name);
    });

    it('answers 400 naming the field for malformed friendly requests, 413 beyond the limits', async () => {
      const token = api.adminToken;
      const cases: [string, { body?: unknown; raw?: string }, number, string | undefined][] = [
        ['not JSON', { raw: '{"instances": [' }, 400, 'body'],
        ['an empty body', { raw: '' }, 400, 'body'],
        ['an array', { body: [instance(0)] }, 400, 'body'],
        ['no instances', { body: {} }, 400, 'instances'],
        ['instances not an array', { body: { instances: instance(0) } }, 400, 'instances'],
        ['no instance', { body: { instances: [] } }, 400, 'instances'],
        ['an unknown top-level field', { body: { instances: [instance(0)], debug: true } }, 400, 'debug'],
        [
          'an unknown feature',
          { body: { instances: [instance(0), { ...instance(1), height: 3 }] } },
          400,
          'instances[1].height',
        ],
        ['a missing feature', { body: { instances: [{ ...instance(0), f2: undefined }] } }, 400, 'instances[0].f2'],
        ['a boolean for a number', { body: { instances: [{ ...instance(0), f3: true }] } }, 400, 'instances[0].f3'],
        ['text in a numeric column', { body: { instances: [{ ...instance(0), f4: 'four' }] } }, 400, 'instances[0].f4'],
        [
          'an object for a category',
          { body: { instances: [{ ...instance(0), color: { name: 'red' } }] } },
          400,
          'instances[0].color',
        ],
        ['an instance that is not an object', { body: { instances: [42] } }, 400, 'instances[0]'],
        ['JSON nested too deep', { raw: `{"instances": ${'['.repeat(64)}${']'.repeat(64)}}` }, 400, 'body'],
        [
          '1,025 instances',
          { body: { instances: Array.from({ length: 1025 }, (_, i) => instance(i % rows.length)) } },
          413,
          'instances',
        ],
        [
          'more than 8 MB',
          { raw: JSON.stringify({ instances: [{ ...instance(0), color: 'x'.repeat(8.5 * 1024 * 1024) }] }) },
          413,
          'body',
        ],
      ];
      for (const [what, request, status, field] of cases) {
        const answer = await call<{ error: string; code: string; field?: string }>(predictUrl(name), {
          token,
          ...request,
        });
        expect(answer.status, what).toBe(status);
        expect(answer.body.code, what).toBe(status === 400 ? 'BAD_USER_INPUT' : 'PAYLOAD_TOO_LARGE');
        expect(answer.body.field, what).toBe(field);
        expect(answer.body.error, what).toContain(field);
        expect(answer.body.error, what).not.toMatch(STACK_LINE);
      }
      // Missing values are not errors: null (or a CSV missing marker) stands for unknown.
      const missing = await call(predictUrl(name), {
        token,
        body: { instances: [{ ...instance(0), f1: null, color: 'NA' }] },
      });
      expect(missing.status).toBe(200);
    });

    it('answers 400 naming the field for malformed OIP v2 requests', async () => {
      const token = api.adminToken;
      const valid = inferBody([0, 1]);
      const withInput = (index: number, change: Record<string, unknown>) => ({
        inputs: valid.inputs.map((input, i) => (i === index ? { ...input, ...change } : input)),
      });
      const cases: [string, unknown, number, string][] = [
        ['no inputs', { inputs: [] }, 400, 'inputs'],
        ['a missing input', { inputs: valid.inputs.slice(1) }, 400, 'inputs'],
        [
          'an unknown input',
          { inputs: [...valid.inputs.slice(0, 4), { ...valid.inputs[4]!, name: 'colour' }] },
          400,
          'inputs[4].name',
        ],
        ['an input given twice', { inputs: [...valid.inputs.slice(0, 4), valid.inputs[0]!] }, 400, 'inputs[4].name'],
        ['an unsupported datatype', withInput(1, { datatype: 'BOOL' }), 400, 'inputs[1].datatype'],
        ['a shape that is not [N]', withInput(2, { shape: [2, 3] }), 400, 'inputs[2].shape'],
        ['inputs with different rows', withInput(3, { shape: [1], data: [1] }), 400, 'inputs[3].shape'],
        ['data shorter than the shape', withInput(0, { data: [1] }), 400, 'inputs[0].data'],
        ['text in an FP32 tensor', withInput(0, { data: ['1.5', 2] }), 400, 'inputs[0].data[0]'],
        [
          'a fraction in an INT64 tensor',
          withInput(1, { datatype: 'INT64', data: [1, 2.5] }),
          400,
          'inputs[1].data[1]',
        ],
        [
          'text that is not a number',
          withInput(2, { datatype: 'BYTES', data: ['1', 'many'] }),
          400,
          'inputs[2].data[1]',
        ],
        ['an unknown output', { ...valid, outputs: [{ name: 'logits' }] }, 400, 'outputs[0].name'],
        ['an unknown field', { ...valid, model: 'x' }, 400, 'model'],
        ['1,025 rows', inferBody(Array.from({ length: 1025 }, (_, i) => i % rows.length)), 413, 'inputs[0].shape'],
      ];
      for (const [what, body, status, field] of cases) {
        const answer = await call<{ error: string; field?: string }>(inferUrl(name), { token, body });
        expect(answer.status, what).toBe(status);
        expect(answer.body.field, what).toBe(field);
        expect(answer.body.error, what).toMatch(/^\S/);
      }
      // Nested rows ([N, 1]) and numbers as text (BYTES) are fine, as in a CSV.
      const nested = withInput(0, { shape: [2, 1], data: [[Number(rows[0]!.f1)], [Number(rows[1]!.f1)]] });
      expect((await call(inferUrl(name), { token, body: nested })).status).toBe(200);
      expect(
        (
          await call(inferUrl(name), {
            token,
            body: withInput(2, { datatype: 'BYTES', data: [rows[0]!.f3, rows[1]!.f3] }),
          })
        ).status,
      ).toBe(200);
    });

    it('answers 404 for unknown deployments, versions and paths, and 405 for the wrong method', async () => {
      const token = api.adminToken;
      expect((await call(predictUrl('no-such-deployment'), { token, body: { instances: [instance(0)] } })).status).toBe(
        404,
      );
      expect(
        (
          await call(`${serving.url}/v1/deployments/Not%20A%20Name/predict`, {
            token,
            body: { instances: [instance(0)] },
          })
        ).status,
      ).toBe(404);
      expect(
        (await call(`${serving.url}/v2/models/${name}/versions/99/infer`, { token, body: inferBody([0]) })).status,
      ).toBe(404);
      expect((await call(`${serving.url}/v2/models/${name}/versions/latest`, { token })).status).toBe(404);
      expect((await call(`${serving.url}/v2/nothing`, { token })).status).toBe(404);
      const wrongMethod = await call(inferUrl(name), { token, method: 'GET' });
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.get('allow')).toBe('POST');
    });

    it('survives fuzzed bodies: every answer is 200, 400 or 413 with an error and no stack, and the process keeps answering', async () => {
      const token = api.adminToken;
      const value = fc.oneof(
        fc.double(),
        fc.integer(),
        fc.string(),
        fc.constant(null),
        fc.boolean(),
        fc.object(),
        fc.array(fc.integer()),
      );
      const instanceLike = fc.dictionary(
        fc.constantFrom(...FEATURES, 'label', 'extra', '__proto__', 'constructor'),
        value,
      );
      const body = fc.oneof(
        fc.json().map((text) => ({ raw: text })),
        fc.string().map((text) => ({ raw: text })),
        fc.record({ instances: fc.array(instanceLike, { maxLength: 5 }) }).map((b) => ({ body: b as unknown })),
        fc
          .record({
            inputs: fc.array(
              fc.record({
                name: fc.constantFrom(...FEATURES, 'x'),
                shape: fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: 3 }),
                datatype: fc.constantFrom('FP32', 'BYTES', 'INT64', 'BOOL', 'X'),
                data: fc.array(value, { maxLength: 4 }),
              }),
              { maxLength: 6 },
            ),
          })
          .map((b) => ({ body: b as unknown })),
      );
      await fc.assert(
        fc.asyncProperty(body, fc.constantFrom(predictUrl(name), inferUrl(name)), async (request, url) => {
          const answer = await call<{ error?: string }>(url, { token, ...request });
          expect([200, 400, 413]).toContain(answer.status);
          if (answer.status !== 200) {
            expect(typeof answer.body.error).toBe('string');
            expect(answer.body.error).not.toMatch(STACK_LINE);
          }
        }),
        { numRuns: 300 },
      );
      expect((await call(`${serving.url}/v2/health/live`)).status).toBe(200);
      expect(serving.child.exitCode).toBeNull();
      expect(serving.output()).not.toMatch(STACK_LINE);
    });
  });

  describe('availability', () => {
    it('answers 503 with the reason while a revision cannot be loaded, and reports it FAILED to the control plane', async () => {
      const project = await projectId(api, 'default');
      const key = `models/${project}/${MODEL}/${uniqueName('broken')}`;
      const source = api.artifacts.keyFromUri(versions[0]!.artifactUri);
      await api.artifacts.put(`${key}/model.json`, await api.artifacts.get(`${source}/model.json`));
      await api.artifacts.put(`${key}/weights.bin`, Buffer.alloc(12));
      const created = dataOf(
        await api.gql<{ createModelVersion: { number: number } }>(
          `mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) { number } }`,
          {
            input: { model: MODEL, artifactUri: api.artifacts.uri(key), datasetVersionId },
          },
        ),
      );
      const name = uniqueName('broken');
      await deploy(name, created.createModelVersion.number);
      const state = await waitUntil('FAILED', async () => {
        const { deployment } = dataOf(
          await api.gql<{ deployment: { currentRevision: { state: string; failure: string | null } } }>(
            `query($n: String!) { deployment(name: $n) { currentRevision { state failure } } }`,
            { n: name },
          ),
        );
        return deployment.currentRevision.state === 'FAILED' && deployment.currentRevision;
      });
      expect(state.failure).toMatch(/lists \d+ bytes of weights but its files hold 12/);
      const answer = await call<{ error: string; code: string }>(predictUrl(name), {
        token: api.adminToken,
        body: { instances: [instance(0)] },
      });
      expect(answer.status).toBe(503);
      expect(answer.body.code).toBe('UNAVAILABLE');
      expect(answer.body.error).toContain('revision 1 could not be loaded');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await call(`${serving.url}/v2/models/${name}/ready`, { token: api.adminToken })).status).toBe(503);
      expect((await call(inferUrl(name), { token: api.adminToken, body: inferBody([0]) })).status).toBe(503);
    });

    it('refuses with 503 and Retry-After when the queue is full, never buffering beyond it; 413 for more than it can ever hold', async () => {
      const name = uniqueName('tiny-queue');
      // A batch runs only after the full delay (its size is never reached), so the queue stays full meanwhile.
      await deploy(name, versions[0]!.number, { maxBatchSize: 4, maxQueueDelayMs: 1000, maxQueueSize: 2 });
      await ready(name);
      const token = api.adminToken;
      const depth = async () => {
        const metrics = (await call<string>(`${serving.url}/metrics`)).body;
        return Number(
          new RegExp(`lepton_serving_queue_depth\\{deployment="${name}",revision="1"\\} (\\d+)`).exec(metrics)?.[1] ??
            0,
        );
      };
      let refused: Answer<{ code: string; error: string }> | null = null;
      // The refusal must land while the first request waits; on a starved machine a round may miss that window.
      for (let round = 0; round < 5 && !refused; round++) {
        const filling = call(predictUrl(name), { token, body: { instances: [instance(0), instance(1)] } });
        await waitUntil('a full queue', async () => (await depth()) === 2, 5_000).catch(() => null);
        const extra = await call<{ code: string; error: string }>(predictUrl(name), {
          token,
          body: { instances: [instance(2)] },
        });
        if (extra.status === 503) refused = extra;
        else expect(extra.status).toBe(200);
        expect((await filling).status).toBe(200);
      }
      expect(refused).not.toBeNull();
      expect(refused!.body.code).toBe('UNAVAILABLE');
      expect(refused!.body.error).toContain('queue is full');
      expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused!.revision).toBe('1');
      const tooMany = await call<{ field: string }>(predictUrl(name), {
        token,
        body: { instances: [instance(0), instance(1), instance(2)] },
      });
      expect(tooMany.status).toBe(413);
      expect(tooMany.body.field).toBe('instances');
    });
  });

  describe('traffic', () => {
    const setCanary = (name: string, version: number, weight: number) =>
      api
        .gql(
          `mutation($n: String!, $v: Int!, $w: Int!) { setDeploymentCanary(name: $n, version: $v, weight: $w) { id } }`,
          { n: name, v: version, w: weight },
        )
        .then(dataOf);

    it('splits traffic by the canary weight: 20 % of 5,000 requests within 2.5 points, each answer naming its revision', async () => {
      const name = uniqueName('split');
      await deploy(name, versions[0]!.number);
      await ready(name);
      await setCanary(name, versions[1]!.number, 20);
      await trafficReady(name, 2);
      const answers = await fire(5000, 32, (i) =>
        call(predictUrl(name), { token: api.adminToken, body: { instances: [instance(i % rows.length)] } }),
      );
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      const canary = answers.filter((answer) => answer.revision === '2');
      expect(answers.every((answer) => answer.revision === '1' || answer.revision === '2')).toBe(true);
      expect(canary.length / answers.length).toBeGreaterThanOrEqual(0.175);
      expect(canary.length / answers.length).toBeLessThanOrEqual(0.225);
      for (const answer of answers.slice(0, 200)) {
        const body = answer.body as { revision: number; modelVersion: number };
        expect(String(body.revision)).toBe(answer.revision);
        expect(body.modelVersion).toBe(versions[answer.revision === '2' ? 1 : 0]!.number);
      }
    });

    it('pins a routing key to one revision (sticky A/B), spreading keys by the weight', async () => {
      const name = uniqueName('sticky');
      await deploy(name, versions[0]!.number);
      await ready(name);
      await setCanary(name, versions[1]!.number, 30);
      await trafficReady(name, 2);
      const keys = Array.from({ length: 200 }, (_, i) => `user-${i}`);
      const answers = await fire(keys.length * 3, 16, (i) =>
        call(predictUrl(name), {
          token: api.adminToken,
          body: { instances: [instance(i % rows.length)] },
          headers: { 'x-lepton-routing-key': keys[i % keys.length]! },
        }),
      );
      const byKey = new Map<string, Set<string | null>>();
      answers.forEach((answer, i) => {
        expect(answer.status).toBe(200);
        const key = keys[i % keys.length]!;
        byKey.set(key, (byKey.get(key) ?? new Set()).add(answer.revision));
      });
      expect([...byKey.values()].every((seen) => seen.size === 1)).toBe(true);
      const onCanary = [...byKey.values()].filter((seen) => seen.has('2')).length / keys.length;
      expect(onCanary).toBeGreaterThan(0.15);
      expect(onCanary).toBeLessThan(0.45);
    });

    it('loses no request while the canary is promoted and the deployment rolled back under continuous load', async () => {
      const name = uniqueName('rollback');
      await deploy(name, versions[0]!.number);
      await ready(name);
      await setCanary(name, versions[1]!.number, 20);
      await trafficReady(name, 2);
      const answers: Answer[] = [];
      let running = true;
      const load = Promise.all(
        Array.from({ length: 8 }, async (_, worker) => {
          for (let i = 0; running; i++) {
            answers.push(
              await call(predictUrl(name), {
                token: api.adminToken,
                body: { instances: [instance((worker * 31 + i) % rows.length)] },
              }),
            );
          }
        }),
      );
      const seenSince = async (revision: string, from: number) =>
        waitUntil(`revision ${revision} answering alone`, async () => {
          const recent = answers.slice(from).slice(-50);
          return recent.length === 50 && recent.every((answer) => answer.revision === revision);
        });
      try {
        await new Promise((resolve) => setTimeout(resolve, 500));
        dataOf(await api.gql(`mutation($n: String!) { promoteCanary(name: $n) { id } }`, { n: name }));
        await seenSince('2', answers.length);
        // Back to the previous stable revision: it must load again here while revision 2 keeps answering.
        dataOf(await api.gql(`mutation($n: String!) { rollbackDeployment(name: $n) { id } }`, { n: name }));
        await seenSince('1', answers.length);
        await setCanary(name, versions[2]!.number, 50);
        await waitUntil('the new canary answering', async () =>
          answers.slice(-100).some((answer) => answer.revision === '3'),
        );
        dataOf(await api.gql(`mutation($n: String!) { rollbackDeployment(name: $n) { id } }`, { n: name }));
        await seenSince('1', answers.length);
      } finally {
        running = false;
        await load;
      }
      expect(answers.length).toBeGreaterThan(100);
      const failed = answers.filter((answer) => answer.status !== 200);
      expect(failed.map((answer) => [answer.status, answer.body])).toEqual([]);
      expect(new Set(answers.map((answer) => answer.revision))).toEqual(new Set(['1', '2', '3']));
    });
  });

  it('keeps answering from a second process when one is killed with SIGKILL under load', async () => {
    const name = uniqueName('ha');
    await deploy(name, versions[0]!.number);
    const [a, b] = await Promise.all([
      startServingProcess({ databaseUrl: api.db.url, artifactsDir: api.artifactsDir }),
      startServingProcess({ databaseUrl: api.db.url, artifactsDir: api.artifactsDir }),
    ]);
    try {
      await Promise.all([ready(name, a), ready(name, b)]);
      const answers: { process: 'a' | 'b'; status: number | 'refused'; at: number }[] = [];
      let running = true;
      let killedAt = Infinity;
      const load = Promise.all(
        Array.from({ length: 8 }, async (_, worker) => {
          for (let i = 0; running; i++) {
            const target = (worker + i) % 2 === 0 ? a : b;
            const status = await call(predictUrl(name, target), {
              token: api.adminToken,
              body: { instances: [instance(i % rows.length)] },
            }).then(
              (answer) => answer.status,
              () => 'refused' as const,
            );
            answers.push({ process: target === a ? 'a' : 'b', status, at: Date.now() });
          }
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 1500));
      a.child.kill('SIGKILL');
      killedAt = Date.now();
      await a.exit;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      running = false;
      await load;
      const survivor = answers.filter((answer) => answer.process === 'b');
      expect(survivor.length).toBeGreaterThan(20);
      expect(survivor.every((answer) => answer.status === 200)).toBe(true);
      expect(survivor.filter((answer) => answer.at > killedAt + 100).length).toBeGreaterThan(10);
      expect(
        answers
          .filter((answer) => answer.process === 'a' && answer.at < killedAt)
          .every((answer) => answer.status === 200),
      ).toBe(true);
    } finally {
      a.child.kill('SIGKILL');
      await b.stop();
    }
  });

  it('exposes Prometheus metrics and stores request statistics, and the control plane sees the revision READY', async () => {
    const name = uniqueName('observed');
    await deploy(name, versions[0]!.number);
    await ready(name);
    const answers = await fire(40, 8, (i) =>
      call(predictUrl(name), { token: api.adminToken, body: { instances: [instance(i), instance(i + 1)] } }),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    await call(predictUrl(name), { token: api.adminToken, body: { instances: [{ wrong: 1 }] } });
    const metrics = (await call<string>(`${serving.url}/metrics`)).body;
    expect(metrics).toContain(
      `lepton_serving_requests_total{deployment="${name}",revision="1",endpoint="predict",code="200"} 40`,
    );
    expect(metrics).toContain(
      `lepton_serving_requests_total{deployment="${name}",revision="1",endpoint="predict",code="400"} 1`,
    );
    expect(metrics).toMatch(
      new RegExp(
        `lepton_serving_request_duration_seconds_count\\{deployment="${name}",revision="1",endpoint="predict"\\} 41`,
      ),
    );
    expect(metrics).toMatch(new RegExp(`lepton_serving_batch_size_count\\{deployment="${name}",revision="1"\\} \\d+`));
    expect(metrics).toMatch(new RegExp(`lepton_serving_queue_depth\\{deployment="${name}",revision="1"\\} 0`));
    expect(metrics).toMatch(
      new RegExp(
        `lepton_serving_revision_ready\\{deployment="${name}",revision="1",model_version="${versions[0]!.number}",state="READY",backend="(wasm|cpu|tensorflow)"\\} 1`,
      ),
    );

    const stored = await waitUntil(
      'request statistics',
      async () => {
        const { rows: found } = await api.db.pool.query<{
          requests: string;
          client_errors: string;
          batch_size_sum: string;
        }>(
          `SELECT sum(s.requests) AS requests, sum(s.client_errors) AS client_errors, sum(s.batch_size_sum) AS batch_size_sum
           FROM deployment_request_stats s JOIN deployment d ON d.id = s.deployment_id WHERE d.name = $1`,
          [name],
        );
        return Number(found[0]?.requests ?? 0) >= 41 && found[0]!;
      },
      30_000,
    );
    expect(Number(stored.client_errors)).toBe(1);
    expect(Number(stored.batch_size_sum)).toBeGreaterThanOrEqual(80);
    const { deployment } = dataOf(
      await api.gql<{ deployment: { status: string; currentRevision: { state: string; readyInstances: number } } }>(
        `query($n: String!) { deployment(name: $n) { status currentRevision { state readyInstances } } }`,
        { n: name },
      ),
    );
    expect(deployment.currentRevision).toMatchObject({ state: 'READY' });
    expect(deployment.currentRevision.readyInstances).toBeGreaterThanOrEqual(1);
  });
});
