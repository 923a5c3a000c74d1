import { createHash, randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  aDeployableModel,
  aDeployableVersion,
  aDeployment,
  createProject,
  databaseSnapshot,
  dataOf,
  errorCode,
  startTestApi,
  tokenFor,
  uniqueName,
  type DeployableModel,
  type GraphQLResponse,
  type TestApi,
} from '../testing';

// GraphQL answers of many shapes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = Record<string, any>;

const CREATE = `mutation($input: CreateDeploymentInput!) {
  createDeployment(input: $input) {
    id name status endpoint inferenceEndpoint
    currentRevision { number state readyInstances modelVersion { number } batching { maxBatchSize maxQueueDelayMs maxQueueSize } createdBy { name } }
    traffic { revision { number } modelVersion { number } weight }
    canary { weight }
    followAlias { alias rollout canaryWeight analysis { minRequests } }
    logPayloads requestLogRetentionHours
  }
}`;
const SHOW = `query($name: String!) {
  deployment(name: $name) {
    id name status
    currentRevision { number modelVersion { number } batching { maxBatchSize maxQueueDelayMs maxQueueSize } }
    traffic { revision { number } modelVersion { number } weight }
    canary { revision { number modelVersion { number } } weight startedAt analysis { minRequests maxErrorRateDelta maxLatencyP99Ratio intervalSeconds windowSeconds } }
    revisions(first: 50) { edges { node { number modelVersion { number } } } }
    events(first: 50) { edges { node { kind message details actor revision { number } } } }
    keys { id name prefix revokedAt }
  }
}`;
const SET_CANARY = `mutation($name: String!, $version: Int!, $weight: Int!, $analysis: CanaryAnalysisInput, $batching: BatchingInput) {
  setDeploymentCanary(name: $name, version: $version, weight: $weight, analysis: $analysis, batching: $batching) {
    traffic { revision { number } modelVersion { number } weight }
    canary { revision { number batching { maxBatchSize maxQueueDelayMs } } weight analysis { minRequests intervalSeconds } }
  }
}`;
const PROMOTE = `mutation($name: String!) { promoteCanary(name: $name) { currentRevision { number } traffic { revision { number } weight } canary { weight } } }`;
const ROLLBACK = `mutation($name: String!, $to: Int) { rollbackDeployment(name: $name, toRevision: $to) { currentRevision { number } traffic { revision { number } weight } canary { weight } } }`;
const DELETE = `mutation($name: String!) { deleteDeployment(name: $name) }`;
const CREATE_KEY = `mutation($deployment: String!, $name: String!) { createDeploymentKey(deployment: $deployment, name: $name) { key deploymentKey { id name prefix createdAt revokedAt } } }`;
const REVOKE_KEY = `mutation($id: ID!) { revokeDeploymentKey(id: $id) { id revokedAt } }`;

function traffic(data: Data): [number, number, number][] {
  return data.traffic.map((split: Data) => [split.revision.number, split.modelVersion.number, split.weight]);
}

async function latestAudit(api: TestApi, targetId: string) {
  const { rows } = await api.db.pool.query(
    'SELECT action, details, actor_id FROM audit_event WHERE target_id = $1 ORDER BY id DESC LIMIT 1',
    [targetId],
  );
  return rows[0];
}

async function show(api: TestApi, name: string): Promise<Data> {
  return dataOf(await api.gql<Data>(SHOW, { name })).deployment;
}

function expectRefused(response: GraphQLResponse<unknown>, code: string, reason?: string): void {
  expect(errorCode(response), JSON.stringify(response.errors)).toBe(code);
  if (reason) expect(response.errors?.[0]?.extensions?.['reason']).toBe(reason);
  expect(JSON.stringify(response)).not.toMatch(/stacktrace|node_modules/);
}

describe('deployments: the control plane', () => {
  let api: TestApi;
  let model: DeployableModel;
  beforeAll(async () => {
    api = await startTestApi();
    model = await aDeployableModel(api, { versions: 4 });
  });
  afterAll(() => api.close());

  describe('createDeployment', () => {
    it('deploys a version as revision 1 with the default batching and all traffic, LOADING until a serving process is ready', async () => {
      const name = uniqueName('dep');
      const created = dataOf(
        await api.gql<Data>(CREATE, { input: { name, model: model.name, version: 2 } }),
      ).createDeployment;
      expect(created).toMatchObject({
        name,
        status: 'LOADING',
        endpoint: `http://127.0.0.1:4001/v1/deployments/${name}/predict`,
        inferenceEndpoint: `http://127.0.0.1:4001/v2/models/${name}`,
        currentRevision: {
          number: 1,
          state: 'LOADING',
          readyInstances: 0,
          modelVersion: { number: 2 },
          batching: { maxBatchSize: 32, maxQueueDelayMs: 5, maxQueueSize: 1024 },
          createdBy: { name: 'admin' },
        },
        canary: null,
        followAlias: null,
        logPayloads: false,
        requestLogRetentionHours: 168,
      });
      expect(traffic(created)).toEqual([[1, 2, 100]]);
      const shown = await show(api, name);
      expect(shown.events.edges.map((edge: Data) => edge.node)).toEqual([
        {
          kind: 'CREATED',
          message: `Created with revision 1: ${model.name} v2`,
          details: expect.objectContaining({ version: 2 }),
          actor: 'admin',
          revision: { number: 1 },
        },
      ]);
      expect(await latestAudit(api, created.id)).toMatchObject({
        action: 'deployment.create',
        details: expect.objectContaining({ name, version: 2 }),
      });
    });

    it('takes batching settings, defaults for those left out', async () => {
      const created = dataOf(
        await api.gql<Data>(CREATE, {
          input: {
            name: uniqueName('dep'),
            model: model.name,
            version: 1,
            batching: { maxBatchSize: 8 },
            logPayloads: true,
            requestLogRetentionHours: 24,
          },
        }),
      ).createDeployment;
      expect(created.currentRevision.batching).toEqual({ maxBatchSize: 8, maxQueueDelayMs: 5, maxQueueSize: 1024 });
      expect(created).toMatchObject({ logPayloads: true, requestLogRetentionHours: 24 });
    });

    it('follows an alias: the deployment starts on the version the alias points at', async () => {
      dataOf(
        await api.gql(`mutation($m: String!) { setModelAlias(model: $m, alias: "champion", version: 3) { alias } }`, {
          m: model.name,
        }),
      );
      const created = dataOf(
        await api.gql<Data>(CREATE, {
          input: {
            name: uniqueName('dep'),
            model: model.name,
            alias: 'champion',
            canary: { weight: 25, analysis: { minRequests: 50 } },
          },
        }),
      ).createDeployment;
      expect(created.currentRevision.modelVersion.number).toBe(3);
      expect(created.followAlias).toEqual({
        alias: 'champion',
        rollout: 'CANARY',
        canaryWeight: 25,
        analysis: { minRequests: 50 },
      });
    });

    it('names are unique across projects; a project the caller cannot reach is refused as FORBIDDEN', async () => {
      const name = uniqueName('dep');
      await aDeployment(api, model, { name });
      const other = await createProject(api);
      const otherModel = await aDeployableModel(api, { project: other, versions: 1 });
      const taken = await api.gql(CREATE, { input: { project: other, name, model: otherModel.name, version: 1 } });
      expectRefused(taken, 'CONFLICT');
      expect(taken.errors?.[0]?.message).toContain('unique across projects');
      const viewer = await tokenFor(api, other, 'VIEWER');
      expectRefused(
        await api.gql(
          CREATE,
          { input: { project: other, name: uniqueName('dep'), model: otherModel.name, version: 1 } },
          viewer,
        ),
        'FORBIDDEN',
      );
    });

    it("refuses a model version whose artifactUri is not inside the project's models in the artifact store, in every form, writing nothing", async () => {
      const base = api.artifacts.uri('x').slice(0, -1); // file:///…/artifacts/
      const elsewhere = mkdtempSync(path.join(tmpdir(), 'lepton-elsewhere-'));
      const other = await createProject(api);
      const otherModel = await aDeployableModel(api, { project: other, versions: 1 });
      await api.artifacts.put(`datasets/${model.projectId}/d/model.json`, '{}');
      const forms: [string, string][] = [
        ['a file: URI outside the store', 'file:///etc/passwd'],
        ['a file: URI of a system folder', 'file:///etc'],
        ['an http: URI (cloud metadata)', 'http://169.254.169.254/latest/meta-data/'],
        ['an https: URI', 'https://example.com/models/model.json'],
        ['an s3: URI of another bucket', `s3://another-bucket/models/${model.projectId}/m/1`],
        ['another store root', `${pathToFileURL(elsewhere).href}/models/${model.projectId}/m/1`],
        ['a sibling folder with the store as prefix', `${base.slice(0, -1)}-evil/models/${model.projectId}/m/1`],
        ['.. segments', `${base}models/${model.projectId}/../../../../etc`],
        [
          '.. segments into another project',
          `${base}models/${model.projectId}/../${otherModel.projectId}/${otherModel.name}`,
        ],
        ['%2e%2e-encoded segments', `${base}models/${model.projectId}/%2e%2e/%2e%2e/etc`],
        ['double-encoded segments', `${base}models/${model.projectId}/%252e%252e/etc`],
        ['an encoded slash', `${base}models/${model.projectId}/..%2f..%2fetc`],
        ['an absolute path', '/etc/passwd'],
        ['a relative path', `models/${model.projectId}/m/1`],
        ['a Windows path', 'C:\\models\\m\\1'],
        ['an upper-case scheme', base.replace('file:', 'FILE:') + `models/${model.projectId}/m/1`],
        ['a host in a file: URI', `file://localhost${base.slice('file://'.length)}models/${model.projectId}/m/1`],
        ['a query string', `${base}${model.keys[0]}?x=1`],
        ['a fragment', `${base}${model.keys[0]}#x`],
        ["another project's models (a real model.json)", api.artifacts.uri(otherModel.keys[0]!)],
        ['the store, but not under models/', api.artifacts.uri(`datasets/${model.projectId}/d`)],
      ];
      try {
        for (const [label, artifactUri] of forms) {
          const version = dataOf(
            await api.gql<Data>(
              `mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) { number } }`,
              {
                input: { model: model.name, artifactUri },
              },
            ),
          ).createModelVersion.number;
          const before = await databaseSnapshot(api);
          const refused = await api.gql(CREATE, { input: { name: uniqueName('dep'), model: model.name, version } });
          expect(errorCode(refused), label).toBe('BAD_USER_INPUT');
          expect(refused.errors?.[0]?.extensions, label).toMatchObject({
            reason: 'ARTIFACT_OUTSIDE_STORE',
            field: 'model version',
          });
          // The message names neither the server's folders nor the URI's target.
          expect(refused.errors?.[0]?.message, label).not.toContain(api.artifactsDir);
          expect(await databaseSnapshot(api), label).toEqual(before);
        }
      } finally {
        rmSync(elsewhere, { recursive: true, force: true });
      }
    });

    it('refuses versions that are not READY, not TF.js layers models, or have no model.json', async () => {
      const versionWith = async (input: Data) =>
        dataOf(
          await api.gql<Data>(
            `mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) { number } }`,
            { input: { model: model.name, ...input } },
          ),
        ).createModelVersion.number;
      const uri = api.artifacts.uri(model.keys[0]!);
      const cases: [string, number, RegExp][] = [
        ['PENDING', await versionWith({ artifactUri: uri, status: 'PENDING' }), /is PENDING/],
        ['FAILED', await versionWith({ artifactUri: uri, status: 'FAILED' }), /is FAILED/],
        ['ARCHIVED', await versionWith({ artifactUri: uri, status: 'ARCHIVED' }), /is ARCHIVED/],
        ['onnx', await versionWith({ artifactUri: uri, framework: 'onnx' }), /"onnx" model/],
        [
          'no model.json',
          await versionWith({ artifactUri: api.artifacts.uri(`models/${model.projectId}/${model.name}/empty`) }),
          /no model\.json/,
        ],
      ];
      for (const [label, version, message] of cases) {
        const before = await databaseSnapshot(api);
        const refused = await api.gql(CREATE, { input: { name: uniqueName('dep'), model: model.name, version } });
        expect(errorCode(refused), label).toBe('BAD_USER_INPUT');
        expect(refused.errors?.[0]?.extensions?.['reason'], label).toBe('MODEL_VERSION_NOT_DEPLOYABLE');
        expect(refused.errors?.[0]?.message, label).toMatch(message);
        expect(await databaseSnapshot(api), label).toEqual(before);
      }
    });
  });

  describe('canary, promote, rollback', () => {
    it('sets a canary as a new revision, adjusts its weight without one, and replaces it with another version', async () => {
      const { name, id } = await aDeployment(api, model, { version: 1 });
      const first = dataOf(await api.gql<Data>(SET_CANARY, { name, version: 2, weight: 10 })).setDeploymentCanary;
      expect(traffic(first)).toEqual([
        [1, 1, 90],
        [2, 2, 10],
      ]);
      expect(first.canary).toMatchObject({
        revision: { number: 2, batching: { maxBatchSize: 32, maxQueueDelayMs: 5 } },
        weight: 10,
        analysis: null,
      });

      // Same version and batching: the same revision, a new weight and analysis.
      const reweighted = dataOf(
        await api.gql<Data>(SET_CANARY, { name, version: 2, weight: 30, analysis: { minRequests: 10 } }),
      ).setDeploymentCanary;
      expect(traffic(reweighted)).toEqual([
        [1, 1, 70],
        [2, 2, 30],
      ]);
      expect(reweighted.canary.analysis).toEqual({ minRequests: 10, intervalSeconds: 30 });

      // Other batching: a new immutable revision; another version: another revision in its place.
      const rebatched = dataOf(
        await api.gql<Data>(SET_CANARY, { name, version: 2, weight: 30, batching: { maxBatchSize: 4 } }),
      ).setDeploymentCanary;
      expect(rebatched.canary.revision).toEqual({ number: 3, batching: { maxBatchSize: 4, maxQueueDelayMs: 5 } });
      const replaced = dataOf(await api.gql<Data>(SET_CANARY, { name, version: 3, weight: 5 })).setDeploymentCanary;
      expect(traffic(replaced)).toEqual([
        [1, 1, 95],
        [4, 3, 5],
      ]);

      const shown = await show(api, name);
      expect(shown.revisions.edges.map((edge: Data) => [edge.node.number, edge.node.modelVersion.number])).toEqual([
        [4, 3],
        [3, 2],
        [2, 2],
        [1, 1],
      ]);
      expect(shown.events.edges.map((edge: Data) => edge.node.kind)).toEqual([
        'CANARY_SET',
        'CANARY_SET',
        'CANARY_SET',
        'CANARY_SET',
        'CREATED',
      ]);
      expect(shown.events.edges[0].node.message).toBe('Canary revision 4 (v3) at 5%');
      expect(await latestAudit(api, id)).toMatchObject({
        action: 'deployment.setCanary',
        details: expect.objectContaining({ revision: 4, version: 3, weight: 5, replaced: 3 }),
      });
    });

    it('refuses a canary of the stable version, of a missing version, or with a weight outside 0..100', async () => {
      const { name } = await aDeployment(api, model, { version: 1 });
      const before = await databaseSnapshot(api);
      expectRefused(await api.gql(SET_CANARY, { name, version: 1, weight: 10 }), 'CONFLICT');
      expectRefused(await api.gql(SET_CANARY, { name, version: 99, weight: 10 }), 'NOT_FOUND');
      expectRefused(await api.gql(SET_CANARY, { name, version: 2, weight: 101 }), 'BAD_USER_INPUT');
      expectRefused(
        await api.gql(SET_CANARY, { name, version: 2, weight: 10, analysis: { maxErrorRateDelta: 2 } }),
        'BAD_USER_INPUT',
      );
      expectRefused(await api.gql(SET_CANARY, { name: uniqueName('missing'), version: 2, weight: 10 }), 'NOT_FOUND');
      expect(await databaseSnapshot(api)).toEqual(before);
    });

    it('promotes the canary to stable and remembers the old stable for rollback', async () => {
      const { name, id } = await aDeployment(api, model, { version: 1 });
      expectRefused(await api.gql(PROMOTE, { name }), 'CONFLICT');
      dataOf(await api.gql(SET_CANARY, { name, version: 2, weight: 10 }));
      const promoted = dataOf(await api.gql<Data>(PROMOTE, { name })).promoteCanary;
      expect(promoted).toEqual({
        currentRevision: { number: 2 },
        traffic: [{ revision: { number: 2 }, weight: 100 }],
        canary: null,
      });
      expect(await latestAudit(api, id)).toMatchObject({
        action: 'deployment.promote',
        details: expect.objectContaining({ revision: 2, previousRevision: 1 }),
      });
      // Rolling back goes to the revision that was stable before, and back again (like kubectl rollout undo).
      expect(dataOf(await api.gql<Data>(ROLLBACK, { name })).rollbackDeployment.currentRevision.number).toBe(1);
      expect(dataOf(await api.gql<Data>(ROLLBACK, { name })).rollbackDeployment.currentRevision.number).toBe(2);
    });

    it('rolls a canary back by dropping it: the stable revision serves everything, no revision is created', async () => {
      const { name, id } = await aDeployment(api, model, { version: 1 });
      dataOf(await api.gql(SET_CANARY, { name, version: 2, weight: 50 }));
      const rolledBack = dataOf(await api.gql<Data>(ROLLBACK, { name })).rollbackDeployment;
      expect(rolledBack).toEqual({
        currentRevision: { number: 1 },
        traffic: [{ revision: { number: 1 }, weight: 100 }],
        canary: null,
      });
      const shown = await show(api, name);
      expect(shown.revisions.edges).toHaveLength(2);
      expect(shown.events.edges[0].node).toMatchObject({
        kind: 'ROLLED_BACK',
        revision: { number: 1 },
        message: 'Rolled back canary revision 2; revision 1 serves everything',
      });
      expect(await latestAudit(api, id)).toMatchObject({
        action: 'deployment.rollback',
        details: expect.objectContaining({ toRevision: 1, fromRevision: 2, droppedCanary: 2 }),
      });
      // Nothing left to undo: revision 1 was never replaced.
      expectRefused(await api.gql(ROLLBACK, { name }), 'CONFLICT');
    });

    it('rolls back to a named revision, dropping any canary', async () => {
      const { name } = await aDeployment(api, model, { version: 1 });
      dataOf(await api.gql(SET_CANARY, { name, version: 2, weight: 10 }));
      dataOf(await api.gql(PROMOTE, { name }));
      dataOf(await api.gql(SET_CANARY, { name, version: 3, weight: 10 }));
      const rolledBack = dataOf(await api.gql<Data>(ROLLBACK, { name, to: 1 })).rollbackDeployment;
      expect(rolledBack).toEqual({
        currentRevision: { number: 1 },
        traffic: [{ revision: { number: 1 }, weight: 100 }],
        canary: null,
      });
      const before = await databaseSnapshot(api);
      expectRefused(await api.gql(ROLLBACK, { name, to: 1 }), 'CONFLICT');
      expectRefused(await api.gql(ROLLBACK, { name, to: 9 }), 'NOT_FOUND');
      expectRefused(await api.gql(ROLLBACK, { name, to: 0 }), 'BAD_USER_INPUT');
      expect(await databaseSnapshot(api)).toEqual(before);
    });

    it('numbers revisions 1..n without gaps when canaries race', async () => {
      const { name } = await aDeployment(api, model, { version: 1 });
      const results = await Promise.all(
        [2, 3, 4, 2, 3, 4, 2, 3].map((version, index) => api.gql(SET_CANARY, { name, version, weight: index + 1 })),
      );
      for (const result of results) dataOf(result);
      const shown = await show(api, name);
      const numbers = shown.revisions.edges.map((edge: Data) => edge.node.number);
      expect(numbers).toEqual([...Array(numbers.length).keys()].map((index) => numbers.length - index));
    });
  });

  describe('deleteDeployment', () => {
    it('deletes the deployment with its revisions, keys and events; the name is free again; the audit trail keeps it', async () => {
      const { name, id } = await aDeployment(api, model, { version: 1 });
      dataOf(await api.gql(SET_CANARY, { name, version: 2, weight: 10 }));
      dataOf(await api.gql(CREATE_KEY, { deployment: name, name: 'ci' }));
      expect(dataOf(await api.gql<Data>(DELETE, { name })).deleteDeployment).toBe(true);
      expect(await show(api, name)).toBeNull();
      for (const table of ['deployment_revision', 'deployment_key', 'deployment_event']) {
        const { rowCount } = await api.db.pool.query(`SELECT 1 FROM ${table} WHERE deployment_id = $1`, [id]);
        expect(rowCount, table).toBe(0);
      }
      expect(await latestAudit(api, id)).toMatchObject({
        action: 'deployment.delete',
        details: { name, stableRevision: 1, canaryRevision: 2 },
      });
      expectRefused(await api.gql(DELETE, { name }), 'NOT_FOUND');
      await aDeployment(api, model, { name, version: 3 });
      expect((await show(api, name)).currentRevision).toMatchObject({ number: 1, modelVersion: { number: 3 } });
    });
  });

  describe('invoke keys', () => {
    it('shows a key once, stores only its SHA-256, and authorizes it for its own deployment only', async () => {
      const { name, id } = await aDeployment(api, model, { version: 1 });
      const other = await aDeployment(api, model, { version: 1 });
      const created = dataOf(
        await api.gql<Data>(CREATE_KEY, { deployment: name, name: 'batch-scoring' }),
      ).createDeploymentKey;
      const key: string = created.key;
      expect(key).toMatch(/^lepd_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(key.slice(5), 'base64url').length).toBe(32);
      const { rows } = await api.db.pool.query('SELECT * FROM deployment_key WHERE id = $1', [
        created.deploymentKey.id,
      ]);
      expect(rows[0].key_hash).toBe(createHash('sha256').update(key).digest('hex'));
      expect(JSON.stringify(rows[0])).not.toContain(key.slice(10));
      const shown = await show(api, name);
      expect(shown.keys).toEqual([
        { id: created.deploymentKey.id, name: 'batch-scoring', prefix: key.slice(0, 10), revokedAt: null },
      ]);
      expect(JSON.stringify(shown)).not.toContain(key.slice(10));
      expect(shown.events.edges[0].node).toMatchObject({ kind: 'KEY_CREATED' });
      expect(await latestAudit(api, id)).toMatchObject({ action: 'deploymentKey.create' });

      const catalog = api.server.registry.deploymentCatalog;
      expect(await catalog.authorizeInvoke(`Bearer ${key}`, name)).toEqual({
        deploymentId: id,
        via: 'key',
        keyId: created.deploymentKey.id,
      });
      await expect(catalog.authorizeInvoke(`Bearer ${key}`, other.name)).rejects.toMatchObject({ reason: 'NOT_FOUND' });
      await expect(catalog.authorizeInvoke(`Bearer ${key}`, uniqueName('missing'))).rejects.toMatchObject({
        reason: 'NOT_FOUND',
      });
      // A key is not an API token.
      expect(errorCode(await api.gql(`{ viewer { user { name } } }`, {}, key))).toBe('UNAUTHENTICATED');
    });

    it('stops authorizing a revoked key, and refuses to revoke it twice', async () => {
      const { name } = await aDeployment(api, model, { version: 1 });
      const created = dataOf(await api.gql<Data>(CREATE_KEY, { deployment: name, name: 'old' })).createDeploymentKey;
      const revoked = dataOf(await api.gql<Data>(REVOKE_KEY, { id: created.deploymentKey.id })).revokeDeploymentKey;
      expect(revoked.revokedAt).toEqual(expect.any(String));
      await expect(
        api.server.registry.deploymentCatalog.authorizeInvoke(`Bearer ${created.key}`, name),
      ).rejects.toMatchObject({ reason: 'UNAUTHENTICATED' });
      expectRefused(await api.gql(REVOKE_KEY, { id: created.deploymentKey.id }), 'CONFLICT');
      expectRefused(await api.gql(REVOKE_KEY, { id: '00000000-0000-4000-8000-000000000000' }), 'NOT_FOUND');
      expect((await show(api, name)).events.edges[0].node.kind).toBe('KEY_REVOKED');
    });

    it("authorizes project tokens with at least VIEWER in the deployment's project, and nobody else", async () => {
      const project = await createProject(api);
      const projectModel = await aDeployableModel(api, { project, versions: 1 });
      const { name, id } = await aDeployment(api, projectModel, { version: 1 });
      const catalog = api.server.registry.deploymentCatalog;
      const viewer = await tokenFor(api, project, 'VIEWER');
      expect(await catalog.authorizeInvoke(`Bearer ${viewer}`, name)).toMatchObject({ deploymentId: id, via: 'token' });
      expect(await catalog.authorizeInvoke(`Bearer ${api.adminToken}`, name)).toMatchObject({
        deploymentId: id,
        via: 'token',
      });
      const outsider = await tokenFor(api, await createProject(api), 'ADMIN');
      await expect(catalog.authorizeInvoke(`Bearer ${outsider}`, name)).rejects.toMatchObject({ reason: 'NOT_FOUND' });
      await expect(catalog.authorizeInvoke(`Bearer lep_${'x'.repeat(43)}`, name)).rejects.toMatchObject({
        reason: 'UNAUTHENTICATED',
      });
      await expect(catalog.authorizeInvoke(`Bearer lepd_${'x'.repeat(43)}`, name)).rejects.toMatchObject({
        reason: 'UNAUTHENTICATED',
      });
      await expect(catalog.authorizeInvoke(undefined, name)).rejects.toMatchObject({ reason: 'UNAUTHENTICATED' });
      // Unauthenticated callers learn nothing about which names exist.
      await expect(catalog.authorizeInvoke(undefined, uniqueName('missing'))).rejects.toMatchObject({
        reason: 'UNAUTHENTICATED',
      });
    });
  });

  describe('notifications', () => {
    function subscriber(token: string): Client {
      return createClient({
        url: api.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
        lazy: true,
      });
    }

    it('tells serving processes of each committed change (never of a failed one), on lepton_deployment_changed', async () => {
      const changes = api.server.registry.deploymentCatalog.changes();
      try {
        const { name, id } = await aDeployment(api, model, { version: 1 });
        expect((await changes.next()).value).toEqual({ deploymentId: id });
        expectRefused(await api.gql(SET_CANARY, { name, version: 1, weight: 10 }), 'CONFLICT');
        dataOf(await api.gql(SET_CANARY, { name, version: 2, weight: 10 }));
        dataOf(await api.gql(DELETE, { name }));
        // The failed call (a rolled-back transaction) sent nothing: the next two are the canary and the delete.
        expect((await changes.next()).value).toEqual({ deploymentId: id });
        expect((await changes.next()).value).toEqual({ deploymentId: id });
        expect(await api.server.registry.deploymentCatalog.load(id)).toBeNull();
      } finally {
        await changes.return?.();
      }
    });

    it('streams deploymentUpdated to subscribers, then null and the end once it is deleted', async () => {
      const { name } = await aDeployment(api, model, { version: 1 });
      const client = subscriber(api.adminToken);
      const before = api.bus.subscriberCount();
      const received: Data[] = [];
      const done = new Promise<void>((resolve, reject) => {
        client.subscribe<Data>(
          {
            query: `subscription($name: String!) { deploymentUpdated(name: $name) { name traffic { revision { number } weight } } }`,
            variables: { name },
          },
          {
            next: (result) =>
              result.errors ? reject(new Error(JSON.stringify(result.errors))) : received.push(result.data!),
            error: reject,
            complete: resolve,
          },
        );
      });
      for (let attempt = 0; attempt < 500 && api.bus.subscriberCount() <= before; attempt += 1)
        await new Promise((resolve) => setTimeout(resolve, 10));
      dataOf(await api.gql(SET_CANARY, { name, version: 2, weight: 20 }));
      dataOf(await api.gql(DELETE, { name }));
      await done;
      await client.dispose();
      expect(received).toEqual([
        {
          deploymentUpdated: {
            name,
            traffic: [
              { revision: { number: 1 }, weight: 80 },
              { revision: { number: 2 }, weight: 20 },
            ],
          },
        },
        { deploymentUpdated: null },
      ]);
    });

    it('refuses a subscription to a deployment the token cannot reach as NOT_FOUND', async () => {
      const { name } = await aDeployment(api, model, { version: 1 });
      const outsider = await tokenFor(api, await createProject(api), 'ADMIN');
      const client = subscriber(outsider);
      const errors = await new Promise<readonly { extensions?: Data }[]>((resolve) => {
        client.subscribe(
          { query: `subscription($name: String!) { deploymentUpdated(name: $name) { name } }`, variables: { name } },
          {
            next: (result) => resolve(result.errors ?? []),
            error: (error) => resolve(error as readonly { extensions?: Data }[]),
            complete: () => undefined,
          },
        );
      });
      await client.dispose();
      expect(errors[0]?.extensions?.['code']).toBe('NOT_FOUND');
    });
  });

  describe('predict (forwarded to a serving process)', () => {
    const PREDICT = `mutation($d: String!, $instances: JSON!) { predict(deployment: $d, instances: $instances) { revision predictions { label } } }`;

    it('lets a VIEWER through to serving, and answers SERVICE_UNAVAILABLE when no serving process answers', async () => {
      const project = await createProject(api);
      const projectModel = await aDeployableModel(api, { project, versions: 1 });
      const { name, id } = await aDeployment(api, projectModel, { version: 1 });
      // A live instance that is not listening: the API must pick it (it has the revision ready) and fail cleanly.
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      await new Promise((resolve) => server.close(resolve));
      const { rows } = await api.db.pool.query('SELECT stable_revision_id AS id FROM deployment WHERE id = $1', [id]);
      const instance = {
        id: randomUUID(),
        host: 'gone',
        pid: 1,
        url: `http://127.0.0.1:${port}`,
        loadedRevisionIds: [rows[0].id],
        readyRevisionIds: [rows[0].id],
        failedRevisions: [],
      };
      await api.server.registry.deploymentCatalog.heartbeatInstance(instance);
      try {
        const viewer = await tokenFor(api, project, 'VIEWER');
        const unavailable = await api.gql(PREDICT, { d: name, instances: [{ age: 1 }] }, viewer);
        expectRefused(unavailable, 'SERVICE_UNAVAILABLE', 'SERVING_UNAVAILABLE');
        expect(unavailable.errors?.[0]?.message).toContain(`http://127.0.0.1:${port}`);
        const outsider = await tokenFor(api, await createProject(api), 'ADMIN');
        expectRefused(await api.gql(PREDICT, { d: name, instances: [{ age: 1 }] }, outsider), 'NOT_FOUND');
        const anonymous = await api.gql(PREDICT, { d: name, instances: [{ age: 1 }] }, null);
        expect(anonymous.status).toBe(401);
      } finally {
        await api.server.registry.deploymentCatalog.removeInstance(instance.id);
      }
    });
  });

  it("lists a project's deployments by name, as a Relay connection", async () => {
    const project = await createProject(api);
    const projectModel = await aDeployableModel(api, { project, versions: 1 });
    const names = ['c', 'a', 'b'].map((letter) => `${letter}-${uniqueName('dep')}`);
    for (const name of names) await aDeployment(api, projectModel, { name });
    const LIST = `query($p: String, $after: String) { deployments(project: $p, first: 2, after: $after) { edges { node { name } } pageInfo { hasNextPage endCursor } } }`;
    const first = dataOf(await api.gql<Data>(LIST, { p: project })).deployments;
    expect(first.edges.map((edge: Data) => edge.node.name)).toEqual([...names].sort().slice(0, 2));
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = dataOf(await api.gql<Data>(LIST, { p: project, after: first.pageInfo.endCursor })).deployments;
    expect(second.edges.map((edge: Data) => edge.node.name)).toEqual([[...names].sort()[2]]);
    // Another project's deployment is invisible by name too.
    const outsider = await tokenFor(api, await createProject(api), 'ADMIN');
    expect(dataOf(await api.gql<Data>(SHOW, { name: names[0] }, outsider)).deployment).toBeNull();
  });

  it("creates a revision only for deployable versions of the deployment's own model", async () => {
    const { name } = await aDeployment(api, model, { version: 1 });
    await aDeployableVersion(api, { project: model.project, projectId: model.projectId, model: model.name });
    const versions = dataOf(
      await api.gql<Data>(`query($m: String!) { model(name: $m) { versionCount } }`, { m: model.name }),
    ).model.versionCount;
    const set = dataOf(await api.gql<Data>(SET_CANARY, { name, version: versions, weight: 1 })).setDeploymentCanary;
    expect(set.traffic[1]).toEqual({ revision: { number: 2 }, modelVersion: { number: versions }, weight: 1 });
  });
});
