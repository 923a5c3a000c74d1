import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDatasetVersion, aModel, aRun, aTrainingRun, dataOf, errorCode, startTestApi, type TestApi } from '../testing';

const RUNS_OF_MODEL = `query($model: String, $first: Int, $after: String) {
  runs(first: $first, after: $after, filter: { model: $model }) { edges { node { id } } pageInfo { hasNextPage endCursor } }
}`;
const LINEAGE = `query($dataset: String!, $first: Int, $after: String) {
  dataset(name: $dataset) { version(number: 1) {
    runs(first: $first, after: $after) { edges { node { id name } } pageInfo { hasNextPage endCursor } }
    modelVersions(first: $first, after: $after) { edges { node { number model { name } } } pageInfo { hasNextPage endCursor } }
  } }
}`;
const CREATE_VERSION = `mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) { number } }`;

interface Lineage {
  dataset: {
    version: {
      runs: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      modelVersions: {
        edges: { node: { number: number; model: { name: string } } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
  };
}

describe('run filter by model and dataset version lineage', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('filters runs by model: its training runs and the runs that registered its versions', async () => {
    const training = await aTrainingRun(api);
    await aTrainingRun(api);
    const model = await aModel(api).create();
    const registering = await aRun(api);
    await aRun(api);
    dataOf(await api.gql(CREATE_VERSION, { input: { model: model.name, artifactUri: 'file://x/1', runId: registering } }));

    const ofTraining = dataOf(await api.gql<{ runs: { edges: { node: { id: string } }[] } }>(RUNS_OF_MODEL, { model: training.model }));
    expect(ofTraining.runs.edges.map(({ node }) => node.id)).toEqual([training.id]);
    const ofModel = dataOf(await api.gql<{ runs: { edges: { node: { id: string } }[] } }>(RUNS_OF_MODEL, { model: model.name }));
    expect(ofModel.runs.edges.map(({ node }) => node.id)).toEqual([registering]);
    const none = dataOf(await api.gql<{ runs: { edges: unknown[] } }>(RUNS_OF_MODEL, { model: 'no-such-model' }));
    expect(none.runs.edges).toEqual([]);
  });

  it('lists the runs and model versions that used a dataset version, newest first, page by page', async () => {
    const version = await aDatasetVersion(api, 'default', { kind: 'tabular', featureShape: [4], classes: ['a', 'b'] });
    const unrelated = await aDatasetVersion(api);
    const started: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const run = dataOf(
        await api.gql<{ startTraining: { id: string } }>(
          `mutation($input: StartTrainingInput!) { startTraining(input: $input) { id } }`,
          {
            input: {
              model: `lineage-${index}`,
              datasetVersionId: version.id,
              spec: { architecture: 'MLP' },
              hyperparameters: { epochs: 1 },
            },
          },
        ),
      );
      started.push(run.startTraining.id);
    }
    const model = await aModel(api).create();
    for (const datasetVersionId of [version.id, unrelated.id, version.id]) {
      dataOf(await api.gql(CREATE_VERSION, { input: { model: model.name, artifactUri: 'file://x', datasetVersionId } }));
    }

    const first = dataOf(await api.gql<Lineage>(LINEAGE, { dataset: version.dataset, first: 2 })).dataset.version;
    expect(first.runs.edges.map(({ node }) => node.id)).toEqual([started[2], started[1]]);
    expect(first.runs.pageInfo.hasNextPage).toBe(true);
    expect(first.modelVersions.edges.map(({ node }) => node.number)).toEqual([3, 1]);
    expect(first.modelVersions.pageInfo.hasNextPage).toBe(false);
    const next = dataOf(
      await api.gql<Lineage>(LINEAGE, { dataset: version.dataset, first: 2, after: first.runs.pageInfo.endCursor }),
    ).dataset.version;
    expect(next.runs.edges.map(({ node }) => node.id)).toEqual([started[0]]);
    expect(next.runs.pageInfo.hasNextPage).toBe(false);

    const forged = await api.gql(LINEAGE, { dataset: version.dataset, after: Buffer.from('"nope|x"').toString('base64url') });
    expect(errorCode(forged)).toBe('BAD_USER_INPUT');
  });
});
