import { randomUUID } from 'node:crypto';
import {
  RequestStatsAccumulator,
  type InstanceReport,
  type RequestOutcome,
  type RequestStatsRow,
} from '@lepton/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aDatasetVersion,
  aDeployableModel,
  aDeployment,
  dataOf,
  errorCode,
  startTestApi,
  type DeployableModel,
  type TestApi,
} from '../testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = Record<string, any>;

const STATUS = `query($name: String!) {
  deployment(name: $name) {
    status endpoint
    currentRevision { number state readyInstances failure firstReadyAt }
    events(first: 20) { edges { node { kind message revision { number } } } }
  }
}`;
const SET_CANARY = `mutation($name: String!, $version: Int!, $weight: Int!) { setDeploymentCanary(name: $name, version: $version, weight: $weight) { name } }`;

function instance(overrides: Partial<InstanceReport> = {}): InstanceReport {
  return {
    id: randomUUID(),
    host: 'serving-host',
    pid: 4242,
    url: 'http://10.1.2.3:4001',
    loadedRevisionIds: [],
    readyRevisionIds: [],
    failedRevisions: [],
    ...overrides,
  };
}

async function revisionIds(api: TestApi, deploymentId: string): Promise<Map<number, string>> {
  const { rows } = await api.db.pool.query<{ number: number; id: string }>(
    'SELECT number, id FROM deployment_revision WHERE deployment_id = $1',
    [deploymentId],
  );
  return new Map(rows.map((row) => [row.number, row.id]));
}

describe('the catalog serving processes use', () => {
  let api: TestApi;
  let model: DeployableModel;
  const preprocessing = {
    kind: 'tabular',
    columns: [{ name: 'age', type: 'numeric', mean: 40, std: 10, fill: 40 }],
    labelColumn: 'churn',
  };
  beforeAll(async () => {
    api = await startTestApi();
    const datasetVersion = await aDatasetVersion(api, 'default', {
      kind: 'tabular',
      featureShape: [1],
      classes: ['no', 'yes'],
      preprocessing,
    });
    model = await aDeployableModel(api, { versions: 3, datasetVersionId: datasetVersion.id });
  });
  afterAll(() => api.close());

  it("loads deployments with their revisions, checked artifact keys, signatures and the training data's preprocessing", async () => {
    const { id, name } = await aDeployment(api, model, { version: 1 });
    dataOf(await api.gql(SET_CANARY, { name, version: 2, weight: 15 }));
    const catalog = api.server.registry.deploymentCatalog;
    const entry = await catalog.load(id);
    expect(entry).toMatchObject({
      id,
      name,
      logPayloads: false,
      stable: {
        number: 1,
        batching: { maxBatchSize: 32, maxQueueDelayMs: 5, maxQueueSize: 1024 },
        modelVersion: {
          number: 1,
          model: model.name,
          artifactUri: api.artifacts.uri(model.keys[0]!),
          artifactKey: model.keys[0],
          framework: 'tfjs-layers',
          inputSignature: { shape: [null, 4], dtype: 'float32' },
          outputSignature: { classes: ['no', 'yes'] },
        },
        trainingDataset: { schema: expect.objectContaining({ preprocessing, classes: ['no', 'yes'] }) },
      },
      canary: { number: 2, weight: 15, modelVersion: { number: 2, artifactKey: model.keys[1] } },
    });
    expect((await catalog.loadAll()).map((deployment) => deployment.name)).toContain(name);
  });

  it('reports a revision READY once a live instance has it ready, and records the first time as an event', async () => {
    const { id, name } = await aDeployment(api, model, { version: 1 });
    const [stable] = (await revisionIds(api, id)).values();
    const catalog = api.server.registry.deploymentCatalog;
    const first = instance({ loadedRevisionIds: [stable!] });
    await catalog.heartbeatInstance(first);
    let state = dataOf(await api.gql<Data>(STATUS, { name })).deployment;
    expect(state).toMatchObject({
      status: 'LOADING',
      currentRevision: { state: 'LOADING', readyInstances: 0, firstReadyAt: null },
    });

    await catalog.heartbeatInstance({ ...first, readyRevisionIds: [stable!] });
    await catalog.heartbeatInstance(instance({ readyRevisionIds: [stable!] }));
    state = dataOf(await api.gql<Data>(STATUS, { name })).deployment;
    expect(state).toMatchObject({
      status: 'READY',
      endpoint: expect.stringMatching(/\/v1\/deployments\//),
      currentRevision: { state: 'READY', readyInstances: 2, firstReadyAt: expect.any(String) },
    });
    const kinds = state.events.edges.map((edge: Data) => edge.node.kind);
    expect(kinds.filter((kind: string) => kind === 'REVISION_READY')).toHaveLength(1);

    // Instances that stop heartbeating stop counting.
    await api.db.pool.query(
      "UPDATE serving_instance SET heartbeat_at = now() - interval '1 minute' WHERE ready_revision_ids @> ARRAY[$1]::uuid[]",
      [stable],
    );
    expect(dataOf(await api.gql<Data>(STATUS, { name })).deployment).toMatchObject({
      status: 'LOADING',
      currentRevision: { readyInstances: 0 },
    });
  });

  it('reports a revision FAILED with the reason when a live instance could not load it and none has it ready', async () => {
    const { id, name } = await aDeployment(api, model, { version: 3 });
    const [stable] = (await revisionIds(api, id)).values();
    const catalog = api.server.registry.deploymentCatalog;
    const failing = instance({ failedRevisions: [{ revisionId: stable!, message: 'model.json: unknown layer Foo' }] });
    await catalog.heartbeatInstance(failing);
    const state = dataOf(await api.gql<Data>(STATUS, { name })).deployment;
    expect(state).toMatchObject({
      status: 'FAILED',
      currentRevision: { state: 'FAILED', failure: 'model.json: unknown layer Foo' },
    });
    expect(state.events.edges[0].node).toMatchObject({ kind: 'REVISION_FAILED', revision: { number: 1 } });
    expect(state.events.edges[0].node.message).toContain('unknown layer Foo');
    await catalog.removeInstance(failing.id);
    expect(dataOf(await api.gql<Data>(STATUS, { name })).deployment.status).toBe('LOADING');
  });

  it('adds the statistics of several serving processes and serves rps, error rate and percentiles per revision', async () => {
    const { id, name } = await aDeployment(api, model, { version: 1 });
    dataOf(await api.gql(SET_CANARY, { name, version: 2, weight: 50 }));
    const revisions = await revisionIds(api, id);
    const at = new Date();
    const processA = new RequestStatsAccumulator();
    const processB = new RequestStatsAccumulator();
    /** `count` requests of one revision, all ending alike. */
    const serve = (
      process: RequestStatsAccumulator,
      revision: number,
      count: number,
      outcome: RequestOutcome,
      latencyMs: number,
      batchSize: number,
    ) => {
      for (let index = 0; index < count; index += 1) {
        process.record({ deploymentId: id, revisionId: revisions.get(revision)!, latencyMs, outcome, batchSize, at });
      }
    };
    serve(processA, 1, 90, 'ok', 8, 4);
    serve(processB, 1, 10, 'error', 80, 4);
    serve(processB, 1, 5, 'client_error', 1, 1);
    serve(processB, 2, 40, 'ok', 4, 2);
    const catalog = api.server.registry.deploymentCatalog;
    await Promise.all([catalog.recordStats(processA.drain()), catalog.recordStats(processB.drain())]);

    const { rows } = await api.db.pool.query(
      'SELECT requests, errors, client_errors FROM deployment_request_stats WHERE revision_id = $1',
      [revisions.get(1)],
    );
    expect(rows).toEqual([{ requests: 105, errors: 10, client_errors: 5 }]);

    const METRICS = `query($name: String!) {
      deployment(name: $name) {
        metrics(window: 600, step: 60) { step revisions { revision { number } points { time requests rps errorRate clientErrorRate p50Ms p95Ms p99Ms meanBatchSize } } }
      }
    }`;
    const metrics = dataOf(await api.gql<Data>(METRICS, { name })).deployment.metrics;
    expect(metrics.step).toBe(60);
    const series = new Map<number, Data[]>(
      metrics.revisions.map((revision: Data) => [revision.revision.number, revision.points]),
    );
    expect(series.get(1)).toHaveLength(10);
    const stable = series.get(1)!.find((point) => point.requests > 0)!;
    expect(stable).toMatchObject({ requests: 105, errorRate: 0.1, clientErrorRate: 5 / 105, meanBatchSize: 4 });
    expect(stable.rps).toBeCloseTo(105 / 60, 10);
    expect(stable.p50Ms).toBeGreaterThan(7.5);
    expect(stable.p50Ms).toBeLessThanOrEqual(10);
    expect(stable.p99Ms).toBeGreaterThan(75);
    expect(stable.p99Ms).toBeLessThanOrEqual(100);
    const canary = series.get(2)!.find((point) => point.requests > 0)!;
    expect(canary).toMatchObject({ requests: 40, errorRate: 0, meanBatchSize: 2 });
    expect(
      series
        .get(1)!
        .filter((point) => point.requests === 0)
        .every((point) => point.errorRate === null && point.p99Ms === null),
    ).toBe(true);

    for (const [window, step] of [
      [5, 10],
      [600, 15],
      [600, 0],
      [60 * 60 * 24 * 8, 3600],
      [100_000, 10],
    ]) {
      const refused = await api.gql(
        `query($name: String!, $w: Int, $s: Int) { deployment(name: $name) { metrics(window: $w, step: $s) { step } } }`,
        { name, w: window, s: step },
      );
      expect(errorCode(refused), `${window}/${step}`).toBe('BAD_USER_INPUT');
    }
  });

  it('drops statistics and samples of deployments deleted meanwhile instead of failing the flush', async () => {
    const { id, name } = await aDeployment(api, model, { version: 1 });
    const revision = (await revisionIds(api, id)).get(1)!;
    const live = await aDeployment(api, model, { version: 1 });
    const liveRevision = (await revisionIds(api, live.id)).get(1)!;
    dataOf(await api.gql(`mutation($name: String!) { deleteDeployment(name: $name) }`, { name }));
    const accumulator = new RequestStatsAccumulator();
    accumulator.record({ deploymentId: id, revisionId: revision, latencyMs: 3, outcome: 'ok', batchSize: 1 });
    accumulator.record({ deploymentId: live.id, revisionId: liveRevision, latencyMs: 3, outcome: 'ok', batchSize: 1 });
    const catalog = api.server.registry.deploymentCatalog;
    await catalog.recordStats(accumulator.drain());
    await catalog.recordSamples([
      {
        deploymentId: id,
        revisionId: revision,
        at: new Date(),
        latencyMs: 3,
        status: 200,
        inputSha256: 'a'.repeat(64),
        instances: 1,
      },
      {
        deploymentId: live.id,
        revisionId: liveRevision,
        at: new Date(),
        latencyMs: 3,
        status: 200,
        inputSha256: 'b'.repeat(64),
        instances: 1,
      },
    ]);
    const { rows } = await api.db.pool.query(
      'SELECT deployment_id FROM deployment_request_stats WHERE deployment_id = ANY($1::uuid[])',
      [[id, live.id]],
    );
    expect(rows).toEqual([{ deployment_id: live.id }]);
    const samples = await api.db.pool.query(
      'SELECT deployment_id FROM deployment_request_sample WHERE deployment_id = ANY($1::uuid[])',
      [[id, live.id]],
    );
    expect(samples.rows).toEqual([{ deployment_id: live.id }]);
    const bad: RequestStatsRow = {
      deploymentId: live.id,
      revisionId: liveRevision,
      bucketStart: new Date(),
      requests: 1,
      errors: 0,
      clientErrors: 0,
      latencySumMs: 1,
      latencyBuckets: [1],
      batchSizeSum: 1,
    };
    await expect(catalog.recordStats([bad])).rejects.toThrow(/latency bucket counts/);
  });

  it('keeps a request log newest first, with payloads only as given, and deletes samples past the retention', async () => {
    const created = dataOf(
      await api.gql<Data>(`mutation($input: CreateDeploymentInput!) { createDeployment(input: $input) { id name } }`, {
        input: {
          name: `log-${randomUUID().slice(0, 8)}`,
          model: model.name,
          version: 1,
          logPayloads: true,
          requestLogRetentionHours: 1,
        },
      }),
    ).createDeployment;
    const revision = (await revisionIds(api, created.id)).get(1)!;
    const catalog = api.server.registry.deploymentCatalog;
    const now = Date.now();
    await catalog.recordSamples([
      {
        deploymentId: created.id,
        revisionId: revision,
        at: new Date(now - 2 * 3600_000),
        latencyMs: 5,
        status: 200,
        inputSha256: '1'.repeat(64),
        instances: 1,
      },
      {
        deploymentId: created.id,
        revisionId: revision,
        at: new Date(now - 1000),
        latencyMs: 7.5,
        status: 400,
        inputSha256: '2'.repeat(64),
        instances: 2,
        error: 'unknown feature "agee"',
      },
      {
        deploymentId: created.id,
        revisionId: revision,
        at: new Date(now),
        latencyMs: 6,
        status: 200,
        inputSha256: '3'.repeat(64),
        instances: 1,
        payload: { instances: [{ age: 41 }] },
      },
    ]);
    const LOG = `query($name: String!) { deployment(name: $name) { requestLog(first: 10) { edges { node { revision { number } latencyMs status inputSha256 instances payload error } } } } }`;
    const log = async () =>
      dataOf(await api.gql<Data>(LOG, { name: created.name })).deployment.requestLog.edges.map(
        (edge: Data) => edge.node,
      );
    const before = await log();
    expect(before.map((entry: Data) => entry.inputSha256[0])).toEqual(['3', '2', '1']);
    expect(before[0]).toEqual({
      revision: { number: 1 },
      latencyMs: 6,
      status: 200,
      inputSha256: '3'.repeat(64),
      instances: 1,
      payload: { instances: [{ age: 41 }] },
      error: null,
    });
    expect(before[1]).toMatchObject({ status: 400, payload: null, error: 'unknown feature "agee"' });

    await api.server.registry.requestStats.purgeExpired();
    expect((await log()).map((entry: Data) => entry.inputSha256[0])).toEqual(['3', '2']);
  });
});
