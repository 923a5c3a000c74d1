import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aDatasetVersion,
  aDeployableModel,
  aDeployment,
  databaseSnapshot,
  dataOf,
  errorCode,
  startTestApi,
  tokenFor,
  type DeployableModel,
  type TestApi,
} from '../testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = Record<string, any>;

const SET_ALIAS = `mutation($m: String!, $a: String!, $v: Int!) { setModelAlias(model: $m, alias: $a, version: $v) { alias version { number } } }`;
const STATE = `query($name: String!) {
  deployment(name: $name) {
    currentRevision { number modelVersion { number } batching { maxBatchSize } }
    traffic { revision { number } modelVersion { number } weight }
    canary { weight analysis { minRequests maxErrorRateDelta } }
    events(first: 10) { edges { node { kind message actor details revision { number } } } }
  }
}`;

/** [revision, model version, weight] per traffic split. */
async function traffic(api: TestApi, name: string): Promise<[number, number, number][]> {
  const { deployment } = dataOf(await api.gql<Data>(STATE, { name }));
  return deployment.traffic.map((split: Data) => [split.revision.number, split.modelVersion.number, split.weight]);
}

async function latestEvent(api: TestApi, name: string): Promise<Data> {
  return dataOf(await api.gql<Data>(STATE, { name })).deployment.events.edges[0].node;
}

describe('deployments that follow a model alias', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  async function modelWithChampion(versions = 4, champion = 1): Promise<DeployableModel> {
    const model = await aDeployableModel(api, { versions });
    dataOf(await api.gql(SET_ALIAS, { m: model.name, a: 'champion', v: champion }));
    return model;
  }

  it("rolls straight to the new version when the alias moves (DIRECT), in the alias move's transaction", async () => {
    const model = await modelWithChampion();
    const { name, id } = await aDeployment(api, model, { alias: 'champion' });
    const editor = await tokenFor(api, 'default', 'EDITOR');
    dataOf(await api.gql(SET_ALIAS, { m: model.name, a: 'champion', v: 3 }, editor));
    expect(await traffic(api, name)).toEqual([[2, 3, 100]]);
    expect(await latestEvent(api, name)).toMatchObject({
      kind: 'ALIAS_FOLLOWED',
      revision: { number: 2 },
      message: 'Alias "champion" moved to v3: revision 2 is stable (was revision 1)',
      details: { alias: 'champion', version: 3, rollout: 'DIRECT', revision: 2, previousStableRevision: 1 },
    });
    const { rows } = await api.db.pool.query(
      'SELECT action FROM audit_event WHERE target_id = $1 ORDER BY id DESC LIMIT 1',
      [id],
    );
    expect(rows[0].action).toBe('deployment.followAlias');
    // Following keeps working, and a rollback still goes back to the previous stable revision.
    dataOf(await api.gql(SET_ALIAS, { m: model.name, a: 'champion', v: 4 }));
    expect(await traffic(api, name)).toEqual([[3, 4, 100]]);
    dataOf(
      await api.gql(`mutation($n: String!) { rollbackDeployment(name: $n) { currentRevision { number } } }`, {
        n: name,
      }),
    );
    expect(await traffic(api, name)).toEqual([[2, 3, 100]]);
  });

  it("starts a canary with the deployment's weight and analysis when it says CANARY", async () => {
    const model = await modelWithChampion();
    const { name } = await aDeployment(api, model, {
      alias: 'champion',
      canary: { weight: 20, analysis: { minRequests: 500 } },
    });
    dataOf(await api.gql(SET_ALIAS, { m: model.name, a: 'champion', v: 2 }));
    expect(await traffic(api, name)).toEqual([
      [1, 1, 80],
      [2, 2, 20],
    ]);
    const state = dataOf(await api.gql<Data>(STATE, { name })).deployment;
    expect(state.canary).toEqual({ weight: 20, analysis: { minRequests: 500, maxErrorRateDelta: 0.01 } });
    // Moving on before the canary finished: the newer version replaces it.
    dataOf(await api.gql(SET_ALIAS, { m: model.name, a: 'champion', v: 3 }));
    expect(await traffic(api, name)).toEqual([
      [1, 1, 80],
      [3, 3, 20],
    ]);
    // Moving back to the stable version drops the canary.
    dataOf(await api.gql(SET_ALIAS, { m: model.name, a: 'champion', v: 1 }));
    expect(await traffic(api, name)).toEqual([[1, 1, 100]]);
    expect((await latestEvent(api, name)).message).toBe(
      'Alias "champion" moved back to v1 (revision 1); canary revision 3 dropped',
    );
  });

  it('ignores moves of other aliases and of the same alias of other models', async () => {
    const model = await modelWithChampion();
    const other = await modelWithChampion();
    const { name } = await aDeployment(api, model, { alias: 'champion' });
    dataOf(await api.gql(SET_ALIAS, { m: model.name, a: 'staging', v: 2 }));
    dataOf(await api.gql(SET_ALIAS, { m: other.name, a: 'champion', v: 2 }));
    expect(await traffic(api, name)).toEqual([[1, 1, 100]]);
  });

  it('follows the promotion gate when it moves the alias, and not when it refuses', async () => {
    const model = await modelWithChampion(3, 1);
    const datasetVersionId = (await aDatasetVersion(api)).id;
    const targets = Array.from({ length: 500 }, (_, i) => i % 2);
    const evaluate = async (version: number, correct: number) =>
      dataOf(
        await api.gql(`mutation($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { id } }`, {
          input: {
            model: model.name,
            version,
            datasetVersionId,
            split: 'test',
            metrics: { accuracy: correct / 500 },
            targets,
            predictions: targets.map((t, i) => (i < correct ? t : 1 - t)),
          },
        }),
      );
    await evaluate(1, 400);
    await evaluate(2, 470);
    await evaluate(3, 390);
    const { name } = await aDeployment(api, model, { alias: 'champion', canary: { weight: 10 } });
    const PROMOTE = `mutation($m: String!, $v: Int!) { promoteModelVersion(model: $m, alias: "champion", version: $v, policy: { metric: "accuracy" }) { promoted } }`;

    expect(dataOf(await api.gql<Data>(PROMOTE, { m: model.name, v: 3 })).promoteModelVersion.promoted).toBe(false);
    expect(await traffic(api, name)).toEqual([[1, 1, 100]]);

    expect(dataOf(await api.gql<Data>(PROMOTE, { m: model.name, v: 2 })).promoteModelVersion.promoted).toBe(true);
    expect(await traffic(api, name)).toEqual([
      [1, 1, 90],
      [2, 2, 10],
    ]);
    expect(await latestEvent(api, name)).toMatchObject({
      kind: 'ALIAS_FOLLOWED',
      actor: 'admin',
      details: { alias: 'champion', version: 2, rollout: 'CANARY' },
    });
  });

  it('does not follow to a version that cannot be served: the alias moves, the deployment stays, and says why', async () => {
    const model = await modelWithChampion(1);
    const { name } = await aDeployment(api, model, { alias: 'champion' });
    const outside = dataOf(
      await api.gql<Data>(
        `mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) { number } }`,
        {
          input: { model: model.name, artifactUri: 'file:///etc/passwd' },
        },
      ),
    ).createModelVersion.number;
    const moved = dataOf(await api.gql<Data>(SET_ALIAS, { m: model.name, a: 'champion', v: outside })).setModelAlias;
    expect(moved.version.number).toBe(outside);
    expect(await traffic(api, name)).toEqual([[1, 1, 100]]);
    expect(await latestEvent(api, name)).toMatchObject({
      kind: 'ALIAS_NOT_FOLLOWED',
      details: { reason: 'ARTIFACT_OUTSIDE_STORE', version: outside },
    });
    expect((await latestEvent(api, name)).message).toMatch(/^Alias "champion" moved to v2, which cannot be served: /);
  });

  it('leaves alias and deployments untouched when the move is refused', async () => {
    const model = await modelWithChampion();
    const { name } = await aDeployment(api, model, { alias: 'champion' });
    const viewer = await tokenFor(api, 'default', 'VIEWER');
    const before = await databaseSnapshot(api);
    expect(errorCode(await api.gql(SET_ALIAS, { m: model.name, a: 'champion', v: 3 }, viewer))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(SET_ALIAS, { m: model.name, a: 'champion', v: 99 }))).toBe('NOT_FOUND');
    expect(await databaseSnapshot(api)).toEqual(before);
    expect(await traffic(api, name)).toEqual([[1, 1, 100]]);
  });

  it('keeps a deployment whose alias is deleted on its current revision', async () => {
    const model = await modelWithChampion();
    const { name } = await aDeployment(api, model, { alias: 'champion' });
    dataOf(
      await api.gql(`mutation($m: String!) { deleteModelAlias(model: $m, alias: "champion") }`, { m: model.name }),
    );
    expect(await traffic(api, name)).toEqual([[1, 1, 100]]);
    dataOf(await api.gql(SET_ALIAS, { m: model.name, a: 'champion', v: 2 }));
    expect(await traffic(api, name)).toEqual([[2, 2, 100]]);
  });

  it('refuses an alias that does not exist and a canary policy without an alias', async () => {
    const model = await modelWithChampion();
    const CREATE = `mutation($input: CreateDeploymentInput!) { createDeployment(input: $input) { name } }`;
    expect(
      errorCode(await api.gql(CREATE, { input: { name: 'no-such-alias', model: model.name, alias: 'nope' } })),
    ).toBe('NOT_FOUND');
    const canaryWithoutAlias = await api.gql(CREATE, {
      input: { name: 'canary-no-alias', model: model.name, version: 1, canary: { weight: 10 } },
    });
    expect(errorCode(canaryWithoutAlias)).toBe('BAD_USER_INPUT');
    expect(canaryWithoutAlias.errors?.[0]?.extensions?.['field']).toBe('canary');
  });
});
