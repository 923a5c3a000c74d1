import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aDatasetVersion,
  aDeployableModel,
  aDeployment,
  aModel,
  aRun,
  createProject,
  databaseSnapshot,
  dataOf,
  errorCode,
  SHA,
  startTestApi,
  uniqueName,
  type GraphQLResponse,
  type TestApi,
} from '../testing';

// Table-driven tests walk GraphQL answers of many shapes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = Record<string, any>;
type Role = 'VIEWER' | 'EDITOR' | 'ADMIN';

async function auditRowCount(api: TestApi): Promise<number> {
  const { rows } = await api.db.pool.query<{ count: number }>('SELECT count(*)::int AS count FROM audit_event');
  return rows[0]!.count;
}

function expectNoStackTrace(response: GraphQLResponse<unknown>): void {
  const text = JSON.stringify(response);
  expect(text).not.toMatch(/stacktrace/i);
  expect(text).not.toMatch(/\bat \/|\bat [\w.<>$]+ \(|node_modules/);
}

const ADD_MEMBER = `mutation($input: ProjectMemberInput!) { addProjectMember(input: $input) { role user { id name } } }`;
const CREATE_TOKEN = `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id name role prefix } } }`;
const REVOKE_TOKEN = `mutation($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }`;
const VIEWER_QUERY = `{ viewer { user { name } token { id } } }`;
const LATEST_AUDIT = `query($project: String) {
  auditEvents(project: $project, first: 1) { edges { node { action targetType targetId actor details } } }
}`;

interface Caller {
  /** The bearer token to send; null sends no Authorization header. */
  token: string | null;
  /** Owner of the token, the actor audit events name. */
  user: string;
  tokenId: string;
}

const CALLERS = {
  none: 'no token',
  invalid: 'an invalid token',
  revoked: 'a revoked token',
  viewer: "the project's VIEWER",
  editor: "the project's EDITOR",
  admin: "the project's ADMIN",
  otherAdmin: 'an ADMIN token scoped to another project',
  personal: 'an unscoped personal ADMIN token',
} as const;
type CallerKey = keyof typeof CALLERS;
const CALLER_KEYS = Object.keys(CALLERS) as CallerKey[];

type Outcome = 'OK' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';
const OK = 'OK';
const U = 'UNAUTHENTICATED';
const F = 'FORBIDDEN';
// Mutations that name a resource by id (revokeApiToken, logMetrics, finishRun) answer NOT_FOUND, not
// FORBIDDEN, for one in a project the caller cannot reach: they never confirm that the id exists.
const NF = 'NOT_FOUND';

/** The expected outcome of every mutation for every caller, in CALLERS order. */
const MATRIX = {
  // columns: none, invalid, revoked, viewer, editor, admin, otherAdmin, personal
  createProject: [U, U, U, F, F, F, F, OK],
  addProjectMember: [U, U, U, F, F, OK, F, OK],
  removeProjectMember: [U, U, U, F, F, OK, F, OK],
  createApiToken: [U, U, U, F, F, OK, F, OK],
  revokeApiToken: [U, U, U, F, F, OK, NF, OK],
  createDataset: [U, U, U, F, OK, OK, F, OK],
  createDatasetVersion: [U, U, U, F, OK, OK, F, OK],
  registerModel: [U, U, U, F, OK, OK, F, OK],
  updateModel: [U, U, U, F, OK, OK, F, OK],
  createModelVersion: [U, U, U, F, OK, OK, F, OK],
  updateModelVersion: [U, U, U, F, OK, OK, F, OK],
  setModelAlias: [U, U, U, F, OK, OK, F, OK],
  deleteModelAlias: [U, U, U, F, OK, OK, F, OK],
  createRun: [U, U, U, F, OK, OK, F, OK],
  logMetrics: [U, U, U, F, OK, OK, NF, OK],
  finishRun: [U, U, U, F, OK, OK, NF, OK],
  recordEvaluation: [U, U, U, F, OK, OK, F, OK],
  createDeployment: [U, U, U, F, OK, OK, F, OK],
  // Deployments are named globally: one in a project the caller cannot reach is answered as missing.
  setDeploymentCanary: [U, U, U, F, OK, OK, NF, OK],
  promoteCanary: [U, U, U, F, OK, OK, NF, OK],
  rollbackDeployment: [U, U, U, F, OK, OK, NF, OK],
  deleteDeployment: [U, U, U, F, OK, OK, NF, OK],
  createDeploymentKey: [U, U, U, F, OK, OK, NF, OK],
  revokeDeploymentKey: [U, U, U, F, OK, OK, NF, OK],
} satisfies Record<string, Outcome[]>;
type MutationName = keyof typeof MATRIX;

interface AuditExpectation {
  project: string;
  action: string;
  targetId: string;
}

interface Arranged {
  variables: Record<string, unknown>;
  /** Checks that a successful call really took effect. */
  verify(data: Data): Promise<void>;
  /** The audit event a successful call writes (null: metric points are telemetry and not audited). */
  audit(data: Data): AuditExpectation | null;
}

interface MutationSpec {
  document: string;
  /** Builds fresh data as the bootstrap admin, so each cell is independent. */
  arrange(): Promise<Arranged>;
}

describe('role matrix', () => {
  let api: TestApi;
  let project: string;
  let otherProject: string;
  const callers = {} as Record<CallerKey, Caller>;

  async function gqlAs(caller: CallerKey, document: string, variables: Record<string, unknown>) {
    return api.gql<Data>(document, variables, callers[caller].token);
  }

  /** A new user who is a member of the project with `role`, and a project token of theirs with the same role. */
  async function memberWithToken(projectName: string, role: Role, tokenRole: Role = role): Promise<Caller> {
    const user = uniqueName(role.toLowerCase());
    dataOf(await api.gql(ADD_MEMBER, { input: { project: projectName, user, role } }));
    const created = dataOf(
      await api.gql<Data>(CREATE_TOKEN, { input: { project: projectName, name: uniqueName('token'), role: tokenRole, user } }),
    );
    return { token: created.createApiToken.token, tokenId: created.createApiToken.apiToken.id, user };
  }

  /** A token of the bootstrap admin (ADMIN of every project here) scoped to `projectName` with `role`. */
  async function adminTokenScopedTo(projectName: string, role: Role): Promise<Caller> {
    const created = dataOf(await api.gql<Data>(CREATE_TOKEN, { input: { project: projectName, name: uniqueName('token'), role } }));
    return { token: created.createApiToken.token, tokenId: created.createApiToken.apiToken.id, user: 'admin' };
  }

  beforeAll(async () => {
    api = await startTestApi();
    project = await createProject(api);
    otherProject = await createProject(api);
    const personal = dataOf(await api.gql<Data>(VIEWER_QUERY));
    callers.personal = { token: api.adminToken, tokenId: personal.viewer.token.id, user: 'admin' };
    callers.viewer = await memberWithToken(project, 'VIEWER');
    callers.editor = await memberWithToken(project, 'EDITOR');
    callers.admin = await memberWithToken(project, 'ADMIN');
    // The owner is ADMIN of `project` too: only the token's scope keeps it out.
    callers.otherAdmin = await adminTokenScopedTo(otherProject, 'ADMIN');
    const revoked = await memberWithToken(project, 'ADMIN');
    dataOf(await api.gql(REVOKE_TOKEN, { id: revoked.tokenId }));
    callers.revoked = revoked;
    callers.invalid = { token: `lep_${randomBytes(32).toString('base64url')}`, tokenId: '', user: '' };
    callers.none = { token: null, tokenId: '', user: '' };
  });
  afterAll(() => api.close());

  const SPECS: Record<MutationName, MutationSpec> = {
    createProject: {
      document: `mutation($input: CreateProjectInput!) { createProject(input: $input) { id name } }`,
      async arrange() {
        const name = uniqueName('project');
        return {
          variables: { input: { name, description: 'matrix' } },
          async verify(data) {
            expect(data.createProject.name).toBe(name);
            const members = dataOf(await api.gql<Data>(`query($p: String) { members(project: $p) { role user { name } } }`, { p: name }));
            expect(members.members).toEqual([{ role: 'ADMIN', user: { name: 'admin' } }]);
          },
          audit: (data) => ({ project: name, action: 'project.create', targetId: data.createProject.id }),
        };
      },
    },
    addProjectMember: {
      document: ADD_MEMBER,
      async arrange() {
        const user = uniqueName('member');
        return {
          variables: { input: { project, user, role: 'EDITOR' } },
          async verify(data) {
            expect(data.addProjectMember).toMatchObject({ role: 'EDITOR', user: { name: user } });
            const members = dataOf(await api.gql<Data>(`query($p: String) { members(project: $p) { role user { name } } }`, { p: project }));
            expect(members.members).toContainEqual({ role: 'EDITOR', user: { name: user } });
          },
          audit: (data) => ({ project, action: 'member.set', targetId: data.addProjectMember.user.id }),
        };
      },
    },
    removeProjectMember: {
      document: `mutation($project: String, $user: String!) { removeProjectMember(project: $project, user: $user) }`,
      async arrange() {
        const user = uniqueName('member');
        const added = dataOf(await api.gql<Data>(ADD_MEMBER, { input: { project, user, role: 'VIEWER' } }));
        return {
          variables: { project, user },
          async verify(data) {
            expect(data.removeProjectMember).toBe(true);
            const members = dataOf(await api.gql<Data>(`query($p: String) { members(project: $p) { user { name } } }`, { p: project }));
            expect(members.members.map((member: Data) => member.user.name)).not.toContain(user);
          },
          audit: () => ({ project, action: 'member.remove', targetId: added.addProjectMember.user.id }),
        };
      },
    },
    createApiToken: {
      document: CREATE_TOKEN,
      async arrange() {
        const name = uniqueName('token');
        return {
          variables: { input: { project, name, role: 'VIEWER' } },
          async verify(data) {
            expect(data.createApiToken.apiToken).toMatchObject({ name, role: 'VIEWER' });
            const viewer = dataOf(await api.gql<Data>(VIEWER_QUERY, {}, data.createApiToken.token));
            expect(viewer.viewer.token.id).toBe(data.createApiToken.apiToken.id);
          },
          audit: (data) => ({ project, action: 'apiToken.create', targetId: data.createApiToken.apiToken.id }),
        };
      },
    },
    revokeApiToken: {
      document: REVOKE_TOKEN,
      async arrange() {
        const target = await adminTokenScopedTo(project, 'VIEWER');
        return {
          variables: { id: target.tokenId },
          async verify(data) {
            expect(data.revokeApiToken.id).toBe(target.tokenId);
            expect(data.revokeApiToken.revokedAt).toEqual(expect.any(String));
            const after = await api.gql(VIEWER_QUERY, {}, target.token);
            expect(after.status).toBe(401);
            expect(errorCode(after)).toBe('UNAUTHENTICATED');
          },
          audit: () => ({ project, action: 'apiToken.revoke', targetId: target.tokenId }),
        };
      },
    },
    createDataset: {
      document: `mutation($input: CreateDatasetInput!) { createDataset(input: $input) { id name } }`,
      async arrange() {
        const name = uniqueName('dataset');
        return {
          variables: { input: { project, name, tags: ['images'] } },
          async verify(data) {
            const read = dataOf(await api.gql<Data>(`query($p: String, $n: String!) { dataset(project: $p, name: $n) { id tags } }`, { p: project, n: name }));
            expect(read.dataset).toEqual({ id: data.createDataset.id, tags: ['images'] });
          },
          audit: (data) => ({ project, action: 'dataset.create', targetId: data.createDataset.id }),
        };
      },
    },
    createDatasetVersion: {
      document: `mutation($input: CreateDatasetVersionInput!) { createDatasetVersion(input: $input) { id number } }`,
      async arrange() {
        const dataset = uniqueName('dataset');
        dataOf(await api.gql(`mutation($input: CreateDatasetInput!) { createDataset(input: $input) { id } }`, { input: { project, name: dataset } }));
        return {
          variables: {
            input: { project, dataset, contentSha256: SHA(dataset), sizeBytes: 2048, exampleCount: 10, storageUri: `file://datasets/${dataset}` },
          },
          async verify(data) {
            expect(data.createDatasetVersion.number).toBe(1);
            const read = dataOf(
              await api.gql<Data>(`query($p: String, $n: String!) { dataset(project: $p, name: $n) { versionCount latestVersion { id } } }`, {
                p: project,
                n: dataset,
              }),
            );
            expect(read.dataset).toEqual({ versionCount: 1, latestVersion: { id: data.createDatasetVersion.id } });
          },
          audit: (data) => ({ project, action: 'datasetVersion.create', targetId: data.createDatasetVersion.id }),
        };
      },
    },
    registerModel: {
      document: `mutation($input: RegisterModelInput!) { registerModel(input: $input) { id name } }`,
      async arrange() {
        const name = uniqueName('model');
        return {
          variables: { input: { project, name, task: 'classification' } },
          async verify(data) {
            const read = dataOf(await api.gql<Data>(`query($p: String, $n: String!) { model(project: $p, name: $n) { id task } }`, { p: project, n: name }));
            expect(read.model).toEqual({ id: data.registerModel.id, task: 'classification' });
          },
          audit: (data) => ({ project, action: 'model.register', targetId: data.registerModel.id }),
        };
      },
    },
    updateModel: {
      document: `mutation($input: UpdateModelInput!) { updateModel(input: $input) { id description } }`,
      async arrange() {
        const model = await aModel(api, project).create();
        return {
          variables: { input: { project, name: model.name, description: 'retrained on more data' } },
          async verify(data) {
            expect(data.updateModel).toEqual({ id: model.id, description: 'retrained on more data' });
          },
          audit: () => ({ project, action: 'model.update', targetId: model.id }),
        };
      },
    },
    createModelVersion: {
      document: `mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) { id number } }`,
      async arrange() {
        const model = await aModel(api, project).create();
        return {
          variables: { input: { project, model: model.name, artifactUri: `file://artifacts/${model.name}/1` } },
          async verify(data) {
            expect(data.createModelVersion.number).toBe(1);
            const { rows } = await api.db.pool.query('SELECT version_count FROM registered_model WHERE id = $1', [model.id]);
            expect(rows[0].version_count).toBe(1);
          },
          audit: (data) => ({ project, action: 'modelVersion.create', targetId: data.createModelVersion.id }),
        };
      },
    },
    updateModelVersion: {
      document: `mutation($input: UpdateModelVersionInput!) { updateModelVersion(input: $input) { id status } }`,
      async arrange() {
        const model = await aModel(api, project).withVersions(1).create();
        return {
          variables: { input: { project, model: model.name, version: 1, status: 'ARCHIVED' } },
          async verify(data) {
            expect(data.updateModelVersion.status).toBe('ARCHIVED');
          },
          audit: (data) => ({ project, action: 'modelVersion.update', targetId: data.updateModelVersion.id }),
        };
      },
    },
    setModelAlias: {
      document: `mutation($project: String, $model: String!, $alias: String!, $version: Int!) {
        setModelAlias(project: $project, model: $model, alias: $alias, version: $version) { alias version { number } }
      }`,
      async arrange() {
        const model = await aModel(api, project).withVersions(1).create();
        return {
          variables: { project, model: model.name, alias: 'champion', version: 1 },
          async verify(data) {
            expect(data.setModelAlias).toEqual({ alias: 'champion', version: { number: 1 } });
          },
          audit: () => ({ project, action: 'modelAlias.set', targetId: model.id }),
        };
      },
    },
    deleteModelAlias: {
      document: `mutation($project: String, $model: String!, $alias: String!) { deleteModelAlias(project: $project, model: $model, alias: $alias) }`,
      async arrange() {
        const model = await aModel(api, project).withVersions(1).create();
        dataOf(
          await api.gql(`mutation($p: String, $m: String!) { setModelAlias(project: $p, model: $m, alias: "prod", version: 1) { alias } }`, {
            p: project,
            m: model.name,
          }),
        );
        return {
          variables: { project, model: model.name, alias: 'prod' },
          async verify(data) {
            expect(data.deleteModelAlias).toBe(true);
            const { rowCount } = await api.db.pool.query('SELECT 1 FROM model_alias WHERE model_id = $1', [model.id]);
            expect(rowCount).toBe(0);
          },
          audit: () => ({ project, action: 'modelAlias.delete', targetId: model.id }),
        };
      },
    },
    createRun: {
      document: `mutation($input: CreateRunInput!) { createRun(input: $input) { id name status } }`,
      async arrange() {
        const name = uniqueName('run');
        return {
          variables: { input: { project, name, params: { lr: 0.01 }, kind: 'EVALUATION' } },
          async verify(data) {
            expect(data.createRun).toMatchObject({ name, status: 'RUNNING' });
          },
          audit: (data) => ({ project, action: 'run.create', targetId: data.createRun.id }),
        };
      },
    },
    logMetrics: {
      document: `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { accepted duplicates } }`,
      async arrange() {
        const runId = await aRun(api, project);
        return {
          variables: {
            runId,
            points: [
              { key: 'loss', step: 0, value: 1.5 },
              { key: 'loss', step: 1, value: 0.75 },
            ],
          },
          async verify(data) {
            expect(data.logMetrics).toEqual({ accepted: 2, duplicates: 0 });
            const { rows } = await api.db.pool.query('SELECT count(*)::int AS count FROM metric_point WHERE run_id = $1', [runId]);
            expect(rows[0].count).toBe(2);
          },
          audit: () => null,
        };
      },
    },
    finishRun: {
      document: `mutation($id: ID!, $status: RunStatus!) { finishRun(id: $id, status: $status) { id status endedAt } }`,
      async arrange() {
        const runId = await aRun(api, project);
        return {
          variables: { id: runId, status: 'SUCCEEDED' },
          async verify(data) {
            expect(data.finishRun).toMatchObject({ id: runId, status: 'SUCCEEDED', endedAt: expect.any(String) });
          },
          audit: () => ({ project, action: 'run.finish', targetId: runId }),
        };
      },
    },
    recordEvaluation: {
      document: `mutation($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { id metrics } }`,
      async arrange() {
        const model = await aModel(api, project).withVersions(1).create();
        const datasetVersion = await aDatasetVersion(api, project);
        return {
          variables: {
            input: { project, model: model.name, version: 1, datasetVersionId: datasetVersion.id, split: 'test', metrics: { accuracy: 0.91 } },
          },
          async verify(data) {
            expect(data.recordEvaluation.metrics).toEqual({ accuracy: 0.91 });
          },
          audit: (data) => ({ project, action: 'evaluation.record', targetId: data.recordEvaluation.id }),
        };
      },
    },
    createDeployment: {
      document: `mutation($input: CreateDeploymentInput!) { createDeployment(input: $input) { id name currentRevision { number } } }`,
      async arrange() {
        const model = await aDeployableModel(api, { project, versions: 1 });
        const name = uniqueName('dep');
        return {
          variables: { input: { project, name, model: model.name, version: 1 } },
          async verify(data) {
            expect(data.createDeployment).toMatchObject({ name, currentRevision: { number: 1 } });
          },
          audit: (data) => ({ project, action: 'deployment.create', targetId: data.createDeployment.id }),
        };
      },
    },
    setDeploymentCanary: {
      document: `mutation($name: String!) { setDeploymentCanary(name: $name, version: 2, weight: 10) { id traffic { weight } } }`,
      async arrange() {
        const deployment = await aDeployment(api, await aDeployableModel(api, { project, versions: 2 }));
        return {
          variables: { name: deployment.name },
          async verify(data) {
            expect(data.setDeploymentCanary.traffic).toEqual([{ weight: 90 }, { weight: 10 }]);
          },
          audit: () => ({ project, action: 'deployment.setCanary', targetId: deployment.id }),
        };
      },
    },
    promoteCanary: {
      document: `mutation($name: String!) { promoteCanary(name: $name) { currentRevision { number } } }`,
      async arrange() {
        const deployment = await deploymentWithCanary();
        return {
          variables: { name: deployment.name },
          async verify(data) {
            expect(data.promoteCanary.currentRevision.number).toBe(2);
          },
          audit: () => ({ project, action: 'deployment.promote', targetId: deployment.id }),
        };
      },
    },
    rollbackDeployment: {
      document: `mutation($name: String!) { rollbackDeployment(name: $name) { currentRevision { number } canary { weight } } }`,
      async arrange() {
        const deployment = await deploymentWithCanary();
        return {
          variables: { name: deployment.name },
          async verify(data) {
            expect(data.rollbackDeployment).toEqual({ currentRevision: { number: 1 }, canary: null });
          },
          audit: () => ({ project, action: 'deployment.rollback', targetId: deployment.id }),
        };
      },
    },
    deleteDeployment: {
      document: `mutation($name: String!) { deleteDeployment(name: $name) }`,
      async arrange() {
        const deployment = await aDeployment(api, await aDeployableModel(api, { project, versions: 1 }));
        return {
          variables: { name: deployment.name },
          async verify(data) {
            expect(data.deleteDeployment).toBe(true);
            const { rowCount } = await api.db.pool.query('SELECT 1 FROM deployment WHERE id = $1', [deployment.id]);
            expect(rowCount).toBe(0);
          },
          audit: () => ({ project, action: 'deployment.delete', targetId: deployment.id }),
        };
      },
    },
    createDeploymentKey: {
      document: `mutation($name: String!) { createDeploymentKey(deployment: $name, name: "ci") { key deploymentKey { id name } } }`,
      async arrange() {
        const deployment = await aDeployment(api, await aDeployableModel(api, { project, versions: 1 }));
        return {
          variables: { name: deployment.name },
          async verify(data) {
            expect(data.createDeploymentKey.key).toMatch(/^lepd_/);
            expect(await api.server.registry.deploymentCatalog.authorizeInvoke(`Bearer ${data.createDeploymentKey.key}`, deployment.name)).toMatchObject({ via: 'key' });
          },
          audit: () => ({ project, action: 'deploymentKey.create', targetId: deployment.id }),
        };
      },
    },
    revokeDeploymentKey: {
      document: `mutation($id: ID!) { revokeDeploymentKey(id: $id) { id revokedAt } }`,
      async arrange() {
        const deployment = await aDeployment(api, await aDeployableModel(api, { project, versions: 1 }));
        const created = dataOf(
          await api.gql<Data>(`mutation($name: String!) { createDeploymentKey(deployment: $name, name: "old") { key deploymentKey { id } } }`, { name: deployment.name }),
        );
        return {
          variables: { id: created.createDeploymentKey.deploymentKey.id },
          async verify(data) {
            expect(data.revokeDeploymentKey.revokedAt).toEqual(expect.any(String));
            await expect(
              api.server.registry.deploymentCatalog.authorizeInvoke(`Bearer ${created.createDeploymentKey.key}`, deployment.name),
            ).rejects.toMatchObject({ reason: 'UNAUTHENTICATED' });
          },
          audit: () => ({ project, action: 'deploymentKey.revoke', targetId: deployment.id }),
        };
      },
    },
  };

  /** A deployment on v1 with a 10 % canary of v2. */
  async function deploymentWithCanary() {
    const deployment = await aDeployment(api, await aDeployableModel(api, { project, versions: 2 }));
    dataOf(await api.gql(`mutation($name: String!) { setDeploymentCanary(name: $name, version: 2, weight: 10) { id } }`, { name: deployment.name }));
    return deployment;
  }

  describe.each(Object.keys(MATRIX) as MutationName[])('%s', (mutation) => {
    const cells = CALLER_KEYS.map((caller, index) => {
      const outcome: Outcome = MATRIX[mutation][index]!;
      const name =
        outcome === OK
          ? `succeeds for ${CALLERS[caller]} and writes an audit event`
          : `answers ${outcome} to ${CALLERS[caller]} and writes nothing`;
      return [name, { caller, outcome }] as const;
    });

    it.each(cells)('%s', async (_name, { caller, outcome }) => {
      const spec = SPECS[mutation];
      const arranged = await spec.arrange();
      const before = await databaseSnapshot(api);
      const auditBefore = await auditRowCount(api);

      const result = await gqlAs(caller, spec.document, arranged.variables);
      expectNoStackTrace(result);

      if (outcome === OK) {
        expect(result.errors).toBeUndefined();
        const data = result.data!;
        await arranged.verify(data);
        expect(await databaseSnapshot(api)).not.toEqual(before);
        const expectation = arranged.audit(data);
        if (expectation) {
          expect(await auditRowCount(api)).toBe(auditBefore + 1);
          const events = dataOf(await api.gql<Data>(LATEST_AUDIT, { project: expectation.project }));
          expect(events.auditEvents.edges[0].node).toMatchObject({
            action: expectation.action,
            targetId: expectation.targetId,
            actor: callers[caller].user,
          });
          const { rows } = await api.db.pool.query('SELECT token_id FROM audit_event ORDER BY id DESC LIMIT 1');
          expect(rows[0].token_id).toBe(callers[caller].tokenId);
        }
        return;
      }

      expect(errorCode(result)).toBe(outcome);
      expect(result.errors).toHaveLength(1);
      expect(result.data?.[mutation] ?? null).toBeNull();
      const message = result.errors![0]!.message;
      if (outcome === 'UNAUTHENTICATED') {
        expect(result.status).toBe(401);
        expect(message).toMatch(caller === 'none' ? /Send a token/ : /invalid or has been revoked/);
      } else if (outcome === 'FORBIDDEN') {
        expect(message).toMatch(/needs the (EDITOR|ADMIN) role|has no access to project|project-scoped token cannot create projects|Only the project ADMIN/);
      } else {
        expect(message).toMatch(/does not exist/);
      }
      expect(await databaseSnapshot(api)).toEqual(before);
      expect(await auditRowCount(api)).toBe(auditBefore);
    });
  });

  describe('how roles combine', () => {
    const REGISTER = `mutation($input: RegisterModelInput!) { registerModel(input: $input) { id } }`;

    it("caps the owner's membership at the token's role", async () => {
      const capped = await adminTokenScopedTo(project, 'VIEWER');
      const result = await api.gql(REGISTER, { input: { project, name: uniqueName('model') } }, capped.token);
      expect(errorCode(result)).toBe('FORBIDDEN');
      expect(result.errors![0]!.message).toMatch(/needs the EDITOR role .* the token has VIEWER/);
    });

    it("caps the token's role at the owner's membership", async () => {
      const viewerWithAdminToken = await memberWithToken(project, 'VIEWER', 'ADMIN');
      const register = await api.gql(REGISTER, { input: { project, name: uniqueName('model') } }, viewerWithAdminToken.token);
      expect(errorCode(register)).toBe('FORBIDDEN');
      const token = await api.gql(CREATE_TOKEN, { input: { project, name: uniqueName('token'), role: 'ADMIN' } }, viewerWithAdminToken.token);
      expect(errorCode(token)).toBe('FORBIDDEN');
    });

    it('refuses a token of someone who is not a member of the project at all', async () => {
      const outsider = await memberWithToken(otherProject, 'ADMIN');
      const name = uniqueName('model');
      const result = await api.gql(REGISTER, { input: { project, name } }, outsider.token);
      expect(errorCode(result)).toBe('FORBIDDEN');
      const { rowCount } = await api.db.pool.query('SELECT 1 FROM registered_model WHERE name = $1', [name]);
      expect(rowCount).toBe(0);
    });

    it("stops a removed member's token at once, though the token itself stays valid", async () => {
      const editor = await memberWithToken(project, 'EDITOR');
      dataOf(await api.gql(REGISTER, { input: { project, name: uniqueName('model') } }, editor.token));
      dataOf(await api.gql(`mutation($p: String, $u: String!) { removeProjectMember(project: $p, user: $u) }`, { p: project, u: editor.user }));
      const after = await api.gql(REGISTER, { input: { project, name: uniqueName('model') } }, editor.token);
      expect(errorCode(after)).toBe('FORBIDDEN');
      const viewer = dataOf(await api.gql<Data>(VIEWER_QUERY, {}, editor.token));
      expect(viewer.viewer.user.name).toBe(editor.user);
    });

    it('answers FORBIDDEN for a project that does not exist, exactly as for one the caller cannot reach', async () => {
      const missing = await api.gql(REGISTER, { input: { project: uniqueName('nowhere'), name: uniqueName('model') } }, callers.editor.token);
      const unreachable = await api.gql(REGISTER, { input: { project: otherProject, name: uniqueName('model') } }, callers.editor.token);
      expect(errorCode(missing)).toBe('FORBIDDEN');
      expect(errorCode(unreachable)).toBe('FORBIDDEN');
    });
  });

  describe('reading', () => {
    interface ProjectData {
      model: string;
      dataset: string;
      runId: string;
      evaluationId: string;
      deployment: string;
    }

    async function arrangeProjectData(): Promise<ProjectData> {
      const model = await aModel(api, project).withVersions(1).create();
      const datasetVersion = await aDatasetVersion(api, project);
      const runId = await aRun(api, project);
      const evaluation = dataOf(
        await api.gql<Data>(`mutation($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { id } }`, {
          input: { project, model: model.name, version: 1, datasetVersionId: datasetVersion.id, split: 'test', metrics: { f1: 0.8 } },
        }),
      );
      const deployment = await aDeployment(api, await aDeployableModel(api, { project, versions: 1 }));
      return { model: model.name, dataset: datasetVersion.dataset, runId, evaluationId: evaluation.recordEvaluation.id, deployment: deployment.name };
    }

    const READS: Record<string, { document: string; variables(data: ProjectData): Record<string, unknown>; check(result: Data, data: ProjectData): void }> = {
      models: {
        document: `query($p: String, $n: String) { models(project: $p, first: 100, filter: { nameContains: $n }) { edges { node { name versionCount } } } }`,
        variables: (data) => ({ p: project, n: data.model }),
        check: (result, data) => expect(result.models.edges).toEqual([{ node: { name: data.model, versionCount: 1 } }]),
      },
      model: {
        document: `query($p: String, $n: String!) { model(project: $p, name: $n) { name latestVersion { number } } }`,
        variables: (data) => ({ p: project, n: data.model }),
        check: (result, data) => expect(result.model).toEqual({ name: data.model, latestVersion: { number: 1 } }),
      },
      datasets: {
        document: `query($p: String, $n: String) { datasets(project: $p, filter: { nameContains: $n }) { edges { node { name versionCount } } } }`,
        variables: (data) => ({ p: project, n: data.dataset }),
        check: (result, data) => expect(result.datasets.edges).toEqual([{ node: { name: data.dataset, versionCount: 1 } }]),
      },
      dataset: {
        document: `query($p: String, $n: String!) { dataset(project: $p, name: $n) { name latestVersion { number exampleCount } } }`,
        variables: (data) => ({ p: project, n: data.dataset }),
        check: (result, data) => expect(result.dataset).toEqual({ name: data.dataset, latestVersion: { number: 1, exampleCount: 100 } }),
      },
      runs: {
        document: `query($p: String) { runs(project: $p, first: 100) { edges { node { id status } } } }`,
        variables: () => ({ p: project }),
        check: (result, data) => expect(result.runs.edges).toContainEqual({ node: { id: data.runId, status: 'RUNNING' } }),
      },
      run: {
        document: `query($id: ID!) { run(id: $id) { id params project { name } } }`,
        variables: (data) => ({ id: data.runId }),
        check: (result, data) => expect(result.run).toEqual({ id: data.runId, params: { lr: 0.001 }, project: { name: project } }),
      },
      evaluations: {
        document: `query($p: String, $n: String!) { evaluations(project: $p, model: $n) { id split metrics } }`,
        variables: (data) => ({ p: project, n: data.model }),
        check: (result, data) => expect(result.evaluations).toEqual([{ id: data.evaluationId, split: 'test', metrics: { f1: 0.8 } }]),
      },
      deployments: {
        document: `query($p: String) { deployments(project: $p, first: 100) { edges { node { name } } } }`,
        variables: () => ({ p: project }),
        check: (result, data) => expect(result.deployments.edges).toContainEqual({ node: { name: data.deployment } }),
      },
      deployment: {
        document: `query($n: String!) { deployment(name: $n) { name status traffic { weight } events(first: 1) { edges { node { kind } } } keys { id } } }`,
        variables: (data) => ({ n: data.deployment }),
        check: (result, data) =>
          expect(result.deployment).toEqual({ name: data.deployment, status: 'LOADING', traffic: [{ weight: 100 }], events: { edges: [{ node: { kind: 'CREATED' } }] }, keys: [] }),
      },
    };
    const READ_NAMES = Object.keys(READS);

    it.each(READ_NAMES)('lets a VIEWER read %s', async (name) => {
      const data = await arrangeProjectData();
      const read = READS[name]!;
      const result = await api.gql<Data>(read.document, read.variables(data), callers.viewer.token);
      read.check(dataOf(result), data);
    });

    // run(id) and deployment(name) name one thing directly: another project's reads as null, as a missing one does.
    it.each(READ_NAMES)('answers a token scoped to another project reading %s with FORBIDDEN (by project) or null (by id)', async (name) => {
      const data = await arrangeProjectData();
      const read = READS[name]!;
      const result = await api.gql<Data>(read.document, read.variables(data), callers.otherAdmin.token);
      if (name === 'run' || name === 'deployment') expect(result.errors).toBeUndefined();
      else expect(errorCode(result)).toBe('FORBIDDEN');
      expect(result.data?.[name] ?? null).toBeNull();
      expect(JSON.stringify(result)).not.toContain(data.model);
      expectNoStackTrace(result);
    });

    it.each(READ_NAMES)('answers 401 UNAUTHENTICATED to a request for %s with no, an invalid or a revoked token', async (name) => {
      const data = await arrangeProjectData();
      const read = READS[name]!;
      for (const caller of ['none', 'invalid', 'revoked'] as const) {
        const result = await api.gql<Data>(read.document, read.variables(data), callers[caller].token);
        expect(result.status).toBe(401);
        expect(errorCode(result)).toBe('UNAUTHENTICATED');
        expect(result.data ?? null).toBeNull();
      }
    });

    it('lets only ADMINs read the audit trail and the token list', async () => {
      const tokens = `query($p: String) { apiTokens(project: $p) { id } }`;
      const audit = `query($p: String) { auditEvents(project: $p) { edges { node { action } } } }`;
      for (const document of [tokens, audit]) {
        for (const caller of ['viewer', 'editor', 'otherAdmin'] as const) {
          expect(errorCode(await gqlAs(caller, document, { p: project }))).toBe('FORBIDDEN');
        }
        expect((await gqlAs('admin', document, { p: project })).errors).toBeUndefined();
      }
      const listed = dataOf(await gqlAs('admin', tokens, { p: project }));
      expect(listed.apiTokens.map((token: Data) => token.id)).toContain(callers.viewer.tokenId);
    });

    it("shows a scoped token only its own project, whatever its owner's memberships", async () => {
      const scoped = dataOf(await gqlAs('otherAdmin', `{ projects { name } viewer { memberships { role project { name } } } }`, {}));
      expect(scoped.projects).toEqual([{ name: otherProject }]);
      expect(scoped.viewer.memberships).toEqual([{ role: 'ADMIN', project: { name: otherProject } }]);
      const personal = dataOf(await gqlAs('personal', `{ projects { name } }`, {}));
      expect(personal.projects.map((p: Data) => p.name)).toEqual(expect.arrayContaining(['default', project, otherProject]));
    });

    it('serves GET /healthz without a token', async () => {
      const response = await fetch(api.url.replace(/\/graphql$/, '/healthz'));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    });
  });

  describe('API tokens', () => {
    it('returns a new token once and stores only its SHA-256 hash', async () => {
      const name = uniqueName('token');
      const created = dataOf(await api.gql<Data>(CREATE_TOKEN, { input: { project, name, role: 'EDITOR' } }));
      const token: string = created.createApiToken.token;
      const id: string = created.createApiToken.apiToken.id;

      const { rows } = await api.db.pool.query('SELECT * FROM api_token WHERE id = $1', [id]);
      expect(rows).toHaveLength(1);
      const row = rows[0];
      expect(row.token_hash).toBe(createHash('sha256').update(token, 'utf8').digest('hex'));
      expect(row.prefix).toBe(token.slice(0, 10));
      expect(created.createApiToken.apiToken.prefix).toBe(token.slice(0, 10));
      // Neither the token nor its secret part is stored anywhere in the row.
      const stored = JSON.stringify(row);
      expect(stored).not.toContain(token);
      expect(stored).not.toContain(token.slice(10));

      // It is never shown again: not in the listing, not to its own holder.
      const listing = await api.gql(`query($p: String) { apiTokens(project: $p) { id name prefix role createdAt } }`, { p: project });
      expect(JSON.stringify(dataOf(listing))).not.toContain(token.slice(10));
      const self = await api.gql(`{ viewer { token { id name prefix } } }`, {}, token);
      expect(dataOf(self)).toEqual({ viewer: { token: { id, name, prefix: token.slice(0, 10) } } });
      expect(JSON.stringify(self)).not.toContain(token.slice(10));
    });

    it('mints every token from at least 32 random bytes, never the same twice', async () => {
      const tokens: string[] = [];
      for (let index = 0; index < 20; index += 1) {
        const created = dataOf(await api.gql<Data>(CREATE_TOKEN, { input: { project, name: uniqueName('token'), role: 'VIEWER' } }));
        tokens.push(created.createApiToken.token);
      }
      for (const token of tokens) {
        const match = /^lep_([A-Za-z0-9_-]+)$/.exec(token);
        expect(match).not.toBeNull();
        expect(Buffer.from(match![1]!, 'base64url').length).toBeGreaterThanOrEqual(32);
      }
      expect(new Set(tokens).size).toBe(tokens.length);
      // No shared structure beyond the fixed "lep_" prefix: the first random characters differ too.
      expect(new Set(tokens.map((token) => token.slice(4, 16))).size).toBe(tokens.length);
      const { rows } = await api.db.pool.query<{ count: number }>('SELECT count(DISTINCT token_hash)::int AS count FROM api_token WHERE token_hash = ANY($1)', [
        tokens.map((token) => createHash('sha256').update(token).digest('hex')),
      ]);
      expect(rows[0]!.count).toBe(tokens.length);
    });

    it('stops accepting a revoked token on the very next request', async () => {
      const holder = await memberWithToken(project, 'EDITOR');
      const REGISTER = `mutation($input: RegisterModelInput!) { registerModel(input: $input) { id } }`;
      dataOf(await api.gql(REGISTER, { input: { project, name: uniqueName('model') } }, holder.token));

      dataOf(await api.gql(REVOKE_TOKEN, { id: holder.tokenId }, callers.admin.token));
      const name = uniqueName('model');
      const after = await api.gql(REGISTER, { input: { project, name } }, holder.token);
      expect(after.status).toBe(401);
      expect(errorCode(after)).toBe('UNAUTHENTICATED');
      const read = await api.gql(VIEWER_QUERY, {}, holder.token);
      expect(errorCode(read)).toBe('UNAUTHENTICATED');
      const { rowCount } = await api.db.pool.query('SELECT 1 FROM registered_model WHERE name = $1', [name]);
      expect(rowCount).toBe(0);

      // The owner's other tokens keep working.
      const second = dataOf(
        await api.gql<Data>(CREATE_TOKEN, { input: { project, name: uniqueName('token'), role: 'EDITOR', user: holder.user } }),
      );
      expect(dataOf(await api.gql<Data>(VIEWER_QUERY, {}, second.createApiToken.token)).viewer.user.name).toBe(holder.user);
    });
  });

  describe('audit trail', () => {
    it('records each mutation with its action, target, actor and details, newest first', async () => {
      const editor = await memberWithToken(project, 'EDITOR');
      const name = uniqueName('model');
      const registered = dataOf(
        await api.gql<Data>(`mutation($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, { input: { project, name } }, editor.token),
      );
      const version = dataOf(
        await api.gql<Data>(
          `mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) { id } }`,
          { input: { project, model: name, artifactUri: 'file://artifacts/x' } },
          editor.token,
        ),
      );
      dataOf(
        await api.gql(
          `mutation($p: String, $m: String!) { setModelAlias(project: $p, model: $m, alias: "staging", version: 1) { alias } }`,
          { p: project, m: name },
          editor.token,
        ),
      );

      const events = dataOf(
        await api.gql<Data>(`query($p: String) { auditEvents(project: $p, first: 3) { edges { node { action targetType targetId actor details createdAt } } } }`, {
          p: project,
        }),
      );
      const nodes = events.auditEvents.edges.map((edge: Data) => edge.node);
      expect(nodes).toMatchObject([
        { action: 'modelAlias.set', targetType: 'registeredModel', targetId: registered.registerModel.id, actor: editor.user, details: { alias: 'staging', version: 1 } },
        { action: 'modelVersion.create', targetType: 'modelVersion', targetId: version.createModelVersion.id, actor: editor.user, details: { model: name, number: 1 } },
        { action: 'model.register', targetType: 'registeredModel', targetId: registered.registerModel.id, actor: editor.user, details: { name } },
      ]);
      const times = nodes.map((node: Data) => Date.parse(node.createdAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });

    it('leaves neither an audit row nor partial data when a mutation fails inside its transaction', async () => {
      const model = await aModel(api, project).withVersions(1).create();
      const foreignDatasetVersion = await aDatasetVersion(api, otherProject);
      const soleAdminProject = await createProject(api);
      const before = await databaseSnapshot(api);

      // Fails after the version number was taken.
      const version = await api.gql(
        `mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) { id } }`,
        { input: { project, model: model.name, artifactUri: 'file://x', runId: '00000000-0000-4000-8000-000000000000' } },
        callers.editor.token,
      );
      expect(errorCode(version)).toBe('NOT_FOUND');
      // Fails after the model version was resolved: the dataset version lives in another project.
      const evaluation = await api.gql(
        `mutation($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { id } }`,
        { input: { project, model: model.name, version: 1, datasetVersionId: foreignDatasetVersion.id, split: 'test', metrics: { f1: 1 } } },
        callers.editor.token,
      );
      expect(errorCode(evaluation)).toBe('NOT_FOUND');
      // Fails on the unique constraint, at the insert itself.
      const duplicate = await api.gql(
        `mutation($input: RegisterModelInput!) { registerModel(input: $input) { id } }`,
        { input: { project, name: model.name } },
        callers.editor.token,
      );
      expect(errorCode(duplicate)).toBe('CONFLICT');
      // Fails on the last-ADMIN guard after the user row was looked up.
      const demote = await api.gql(ADD_MEMBER, { input: { project: soleAdminProject, user: 'admin', role: 'VIEWER' } });
      expect(errorCode(demote)).toBe('CONFLICT');

      expect(await databaseSnapshot(api)).toEqual(before);
      const next = dataOf(
        await api.gql<Data>(`mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) { number } }`, {
          input: { project, model: model.name, artifactUri: 'file://y' },
        }),
      );
      expect(next.createModelVersion.number).toBe(2);
    });
  });
});
