import { ScenarioReconciler } from '@lepton/scenarios';
import { createClient } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createProject, dataOf, importFinished, startTestApi, uniqueName, type TestApi } from '../testing';

const PREPARE = `mutation($project: String) { prepareScenario(project: $project, key: SECURITY) { state } }`;
const STATE = `query($project: String) { scenario(project: $project, key: SECURITY) {
  state demos { state steps { kind status message } datasetVersion { id status exampleCount } run { status params } }
} }`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = Record<string, any>;

/**
 * The reconciler pass by pass against a real API and database (no worker: runs stay QUEUED), so each
 * transition and failure can be looked at. The full path to a deployment is apps/api's scenarios test.
 */
describe('ScenarioReconciler', () => {
  let api: TestApi;
  let reconciler: ScenarioReconciler;
  const logged: string[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    reconciler = new ScenarioReconciler(api.db.prisma, api.server.registry, (line) => logged.push(line));
  });
  afterAll(() => api.close());
  afterEach(() => {
    delete process.env['LEPTON_SCENARIO_MAX_EPOCHS'];
  });

  async function editorToken(project: string): Promise<{ token: string; id: string }> {
    const created = dataOf(
      await api.gql<{ createApiToken: { token: string; apiToken: { id: string } } }>(
        `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id } } }`,
        { input: { project, name: uniqueName('editor'), role: 'EDITOR' } },
      ),
    );
    return { token: created.createApiToken.token, id: created.createApiToken.apiToken.id };
  }

  const demoOf = async (project: string): Promise<Data> => dataOf(await api.gql<Data>(STATE, { project })).scenario.demos[0];

  it('shows the import running before doing it, then imports and queues the run with the epochs capped', async () => {
    const project = await createProject(api);
    const editor = await editorToken(project);
    dataOf(await api.gql(PREPARE, { project }, editor.token));
    process.env['LEPTON_SCENARIO_MAX_EPOCHS'] = '1';

    await reconciler.runOnce();
    expect((await demoOf(project)).steps[0]).toMatchObject({ kind: 'IMPORT', status: 'RUNNING' });
    await reconciler.runOnce();
    // The import is a job on the worker queue (the test API works it in-process): followed until READY.
    const importing = await demoOf(project);
    expect(importing.steps[0]).toMatchObject({ kind: 'IMPORT', status: 'RUNNING', message: 'Importing scenario-phishing v1 on a worker' });
    expect((await importFinished(api, importing.datasetVersion.id)).status).toBe('READY');
    await reconciler.runOnce();
    const imported = await demoOf(project);
    expect(imported.steps[0]).toMatchObject({ status: 'DONE', message: 'scenario-phishing v1: 11055 examples' });
    expect(imported.datasetVersion.exampleCount).toBe(11_055);

    await reconciler.runOnce();
    const queued = await demoOf(project);
    expect(queued.steps[1]).toMatchObject({ kind: 'TRAIN', status: 'RUNNING', message: 'Waiting for a training worker' });
    expect(queued.run.status).toBe('QUEUED');
    expect(queued.run.params).toMatchObject({ hyperparameters: { epochs: 1, batchSize: 64 }, spec: { architecture: 'mlp', hiddenUnits: [64, 32] } });
    // Nothing to do while the run waits: a pass changes nothing.
    await reconciler.runOnce();
    expect(await demoOf(project)).toEqual(queued);
  });

  it('fails the step with a message when the preparing token is revoked, and a new prepare resumes there', async () => {
    const project = await createProject(api);
    const editor = await editorToken(project);
    dataOf(await api.gql(PREPARE, { project }, editor.token));
    dataOf(await api.gql(`mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: editor.id }));

    await reconciler.runOnce();
    const failed = await demoOf(project);
    expect(failed.state).toBe('FAILED');
    expect(failed.steps[0]).toMatchObject({ kind: 'IMPORT', status: 'FAILED', message: 'The token that asked for this has been revoked' });
    expect(dataOf(await api.gql<Data>(STATE, { project })).scenario.state).toBe('FAILED');

    const next = await editorToken(project);
    dataOf(await api.gql(PREPARE, { project }, next.token));
    const again = await demoOf(project);
    expect(again.state).toBe('PREPARING');
    expect(again.steps[0]).toMatchObject({ status: 'PENDING', message: null });
    await reconciler.runOnce();
    expect((await demoOf(project)).steps[0].status).toBe('RUNNING');
  });

  it('streams each change of the scenario to scenarioUpdated subscribers', async () => {
    const project = await createProject(api);
    const client = createClient({
      url: api.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${api.adminToken}` },
      retryAttempts: 0,
    });
    const events: Data[] = [];
    const received = new Promise<void>((resolve, reject) => {
      const unsubscribe = client.subscribe<Data>(
        { query: `subscription($project: String) { scenarioUpdated(project: $project, key: SECURITY) { state demos { steps { kind status } } } }`, variables: { project } },
        {
          next: (result) => {
            if (result.errors) return reject(new Error(JSON.stringify(result.errors)));
            events.push(result.data!.scenarioUpdated);
            if (events.length === 2) {
              unsubscribe();
              resolve();
            }
          },
          error: reject,
          complete: () => resolve(),
        },
      );
    });
    const before = api.bus.subscriberCount();
    for (let attempt = 0; attempt < 500 && api.bus.subscriberCount() <= before; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    dataOf(await api.gql(PREPARE, { project }));
    await reconciler.runOnce();
    await received;
    await client.dispose();
    expect(events.map((event) => `${event.state}:${event.demos[0].steps[0].status}`)).toEqual(['PREPARING:PENDING', 'PREPARING:RUNNING']);
  });
});
