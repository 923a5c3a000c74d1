import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aDatasetVersion,
  aModel,
  aRun,
  aTrainingRun,
  createProject,
  dataOf,
  errorCode,
  startTestApi,
  tokenFor,
  type TestApi,
} from '../testing';

const RUN = `query($id: ID!) { run(id: $id) { id kind status endedAt lease { state } eta etaSeconds modelVersion { number } } }`;
const FINISH = `mutation($id: ID!, $status: RunStatus!) { finishRun(id: $id, status: $status) { id status } }`;
const LOG = `mutation($id: ID!) { logMetrics(runId: $id, points: [{ key: "loss", step: 0, value: 1 }]) { accepted } }`;
const CANCEL = `mutation($id: ID!) { cancelRun(id: $id) { id status } }`;
const RETRY = `mutation($id: ID!) { retryRun(id: $id) { id status } }`;
const CREATE = `mutation($input: CreateRunInput!) { createRun(input: $input) { id kind } }`;
const MISSING_ID = '00000000-0000-4000-8000-000000000000';

describe('runs owned by their workers', () => {
  let api: TestApi;
  let editor: string;
  let project: string;

  beforeAll(async () => {
    api = await startTestApi();
    project = await createProject(api);
    editor = await tokenFor(api, project, 'EDITOR');
  });
  afterAll(() => api.close());

  const pointsOf = async (runId: string) =>
    (await api.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM metric_point WHERE run_id = $1', [runId]))
      .rows[0]!.n;

  it('refuses finishRun on a queued training run (FORBIDDEN, pointing to cancelRun) and leaves it queued with no version', async () => {
    const training = await aTrainingRun(api, project);
    for (const status of ['SUCCEEDED', 'FAILED', 'CANCELLED']) {
      const result = await api.gql(FINISH, { id: training.id, status }, editor);
      expect(errorCode(result)).toBe('FORBIDDEN');
      expect(result.errors![0]!.extensions).toMatchObject({ reason: 'RUN_OWNED_BY_WORKER' });
      expect(result.errors![0]!.message).toMatch(/cancelRun/);
    }
    const run = dataOf(
      await api.gql<{ run: { status: string; endedAt: string | null; modelVersion: unknown } }>(
        RUN,
        { id: training.id },
        editor,
      ),
    ).run;
    expect(run).toMatchObject({ status: 'QUEUED', endedAt: null, modelVersion: null });
  });

  it('refuses logMetrics on a training run and stores nothing', async () => {
    const training = await aTrainingRun(api, project);
    const result = await api.gql(LOG, { id: training.id }, editor);
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(result.errors![0]!.extensions).toMatchObject({ reason: 'RUN_OWNED_BY_WORKER' });
    expect(await pointsOf(training.id)).toBe(0);
  });

  it('stops a training run through cancelRun', async () => {
    const training = await aTrainingRun(api, project);
    expect(
      dataOf(await api.gql<{ cancelRun: { status: string } }>(CANCEL, { id: training.id }, editor)).cancelRun.status,
    ).toBe('CANCELLED');
  });

  it('refuses to create a TRAINING run through createRun', async () => {
    const result = await api.gql(CREATE, { input: { project, name: 'sneaky', kind: 'TRAINING' } }, editor);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0]!.extensions).toMatchObject({ field: 'kind' });
  });

  it.each(['EXPERIMENT', 'EVALUATION'])(
    'lets clients log metrics to and finish the %s runs they create',
    async (kind) => {
      const created = dataOf(
        await api.gql<{ createRun: { id: string; kind: string } }>(
          CREATE,
          { input: { project, name: 'mine', kind } },
          editor,
        ),
      );
      const id = created.createRun.id;
      expect(dataOf(await api.gql<{ logMetrics: { accepted: number } }>(LOG, { id }, editor)).logMetrics.accepted).toBe(
        1,
      );
      expect(
        dataOf(await api.gql<{ finishRun: { status: string } }>(FINISH, { id, status: 'SUCCEEDED' }, editor)).finishRun
          .status,
      ).toBe('SUCCEEDED');
      const again = await api.gql(LOG, { id }, editor);
      expect(errorCode(again)).toBe('CONFLICT');
    },
  );

  it('shows no lease and no ETA on a queued training run, and no lease on other runs', async () => {
    const training = await aTrainingRun(api, project);
    const run = dataOf(await api.gql<{ run: Record<string, unknown> }>(RUN, { id: training.id }, editor)).run;
    expect(run).toMatchObject({ kind: 'TRAINING', status: 'QUEUED', lease: null, eta: null, etaSeconds: null });
    const experiment = await aRun(api, project);
    expect(
      dataOf(await api.gql<{ run: Record<string, unknown> }>(RUN, { id: experiment }, editor)).run['lease'],
    ).toBeNull();
  });
});

describe('no existence oracle for runs of other projects', () => {
  let api: TestApi;
  let outsider: string;
  let project: string;
  let outsiderProject: string;

  beforeAll(async () => {
    api = await startTestApi();
    project = await createProject(api);
    outsiderProject = await createProject(api);
    // An ADMIN of another project: it may write runs, just not this project's.
    outsider = await tokenFor(api, outsiderProject, 'ADMIN');
  });
  afterAll(() => api.close());

  it("answers run(id) with null for another project's run, exactly as for a run that does not exist", async () => {
    const runId = await aRun(api, project);
    const theirs = await api.gql(RUN, { id: runId }, outsider);
    const missing = await api.gql(RUN, { id: MISSING_ID }, outsider);
    expect(theirs).toEqual({ status: 200, data: { run: null } });
    expect(missing).toEqual({ status: 200, data: { run: null } });
  });

  it.each([
    ['logMetrics', LOG],
    ['finishRun', FINISH],
    ['cancelRun', CANCEL],
    ['retryRun', RETRY],
  ])(
    "answers %s on another project's run as on a missing run, naming no id but the one sent",
    async (_name, document) => {
      const experiment = await aRun(api, project);
      const training = await aTrainingRun(api, project);
      const projectId = (await api.db.pool.query<{ id: string }>('SELECT id FROM project WHERE name = $1', [project]))
        .rows[0]!.id;
      for (const id of [experiment, training.id]) {
        const theirs = await api.gql(document, { id, status: 'SUCCEEDED' }, outsider);
        const missing = await api.gql(document, { id: MISSING_ID, status: 'SUCCEEDED' }, outsider);
        expect(errorCode(theirs)).toBe('NOT_FOUND');
        expect(theirs.errors![0]!.message.replace(id, '<id>')).toBe(
          missing.errors![0]!.message.replace(MISSING_ID, '<id>'),
        );
        expect(JSON.stringify(theirs)).not.toContain(projectId);
        expect(JSON.stringify(theirs)).not.toContain(project);
      }
    },
  );

  it("answers ids of another project's uploads, dataset versions and runs, given to the caller's own project, as missing ids", async () => {
    const upload = await fetch(api.url.replace(/\/graphql$/, `/v1/uploads?project=${project}`), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${api.adminToken}`,
        'content-type': 'application/octet-stream',
        'x-filename': 'a.csv',
      },
      body: 'a,label\n1,x\n2,y\n',
    });
    const { uploadId } = (await upload.json()) as { uploadId: string };
    const datasetVersion = await aDatasetVersion(api, project);
    const runId = await aRun(api, project);
    const model = await aModel(api, outsiderProject).withVersions(1).create();
    const cases: [string, (id: string) => Record<string, unknown>, string][] = [
      [
        `mutation($input: ImportDatasetInput!) { importDataset(input: $input) { id } }`,
        (id) => ({ input: { project: outsiderProject, name: 'stolen', format: 'CSV', uploadId: id } }),
        uploadId,
      ],
      [
        `mutation($input: StartTrainingInput!) { startTraining(input: $input) { id } }`,
        (id) => ({
          input: {
            project: outsiderProject,
            model: 'stolen',
            datasetVersionId: id,
            spec: { architecture: 'MLP' },
            hyperparameters: { epochs: 1 },
          },
        }),
        datasetVersion.id,
      ],
      [
        `mutation($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { id } }`,
        (id) => ({
          input: {
            project: outsiderProject,
            model: model.name,
            version: 1,
            datasetVersionId: id,
            split: 'test',
            metrics: { accuracy: 1 },
          },
        }),
        datasetVersion.id,
      ],
      [
        `mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) { id } }`,
        (id) => ({ input: { project: outsiderProject, model: model.name, artifactUri: 'file://m', runId: id } }),
        runId,
      ],
    ];
    for (const [document, variables, theirId] of cases) {
      const theirs = await api.gql(document, variables(theirId), outsider);
      const missing = await api.gql(document, variables(MISSING_ID), outsider);
      expect(errorCode(theirs), document).toBe('NOT_FOUND');
      expect(theirs.errors![0]!.message.replace(theirId, '<id>')).toBe(
        missing.errors![0]!.message.replace(MISSING_ID, '<id>'),
      );
      expect(JSON.stringify(theirs)).not.toContain(`"${project}"`);
    }
  });
});
