import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDatasetVersion, aModel, createProject, dataOf, startTestApi, type TestApi } from '../testing';

const NESTED = `query($project: String!) {
  models(project: $project, first: 50) {
    edges { node {
      name
      latestVersion { number }
      aliases { alias version { number } }
      versions(first: 10) { edges { node {
        number
        aliases
        trainingDatasetVersion { number dataset { name } }
        evaluations { split metrics datasetVersion { number } modelVersion { number } }
      } } }
    } }
  }
}`;

/** A project with `models` models, each with 3 versions, an alias and an evaluation per version. */
async function projectWith(api: TestApi, models: number): Promise<string> {
  const project = await createProject(api);
  const datasetVersion = await aDatasetVersion(api, project);
  for (let index = 0; index < models; index += 1) {
    const model = await aModel(api, project).withVersions(3).create();
    dataOf(
      await api.gql(`mutation($p: String!, $m: String!) { setModelAlias(project: $p, model: $m, alias: "champion", version: 2) { alias } }`, {
        p: project,
        m: model.name,
      }),
    );
    for (const version of [1, 2, 3]) {
      dataOf(
        await api.gql(`mutation($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { id } }`, {
          input: { project, model: model.name, version, datasetVersionId: datasetVersion.id, split: 'test', metrics: { accuracy: 0.9 } },
        }),
      );
    }
  }
  return project;
}

/**
 * Statements sent for one NESTED query. DataLoader batches what is requested in the same tick, so a
 * slow machine can split a batch in two; the fewest of a few runs is the query's real shape.
 */
async function statementsFor(api: TestApi, project: string): Promise<{ statements: number; models: number; evaluations: number }> {
  await api.gql(NESTED, { project }); // warm-up: token last-used bookkeeping happens at most once a minute
  let statements = Number.POSITIVE_INFINITY;
  let result!: { models: { edges: { node: { versions: { edges: { node: { evaluations: unknown[] } }[] } } }[] } };
  for (let run = 0; run < 3; run += 1) {
    const before = api.db.statementCount();
    result = dataOf(await api.gql<typeof result>(NESTED, { project }));
    statements = Math.min(statements, api.db.statementCount() - before);
  }
  const evaluations = result.models.edges.flatMap((edge) => edge.node.versions.edges.flatMap((version) => version.node.evaluations)).length;
  return { statements, models: result.models.edges.length, evaluations };
}

describe('nested queries', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('send a number of SQL statements that does not grow with the rows (2 models vs 12)', async () => {
    const small = await statementsFor(api, await projectWith(api, 2));
    const large = await statementsFor(api, await projectWith(api, 12));
    expect(small.models).toBe(2);
    expect(large.models).toBe(12);
    expect(small.evaluations).toBe(6);
    expect(large.evaluations).toBe(36);
    // An N+1 anywhere would add at least 10 statements here. What may differ is timing: when two
    // sibling results arrive in different event-loop turns, one DataLoader batch splits in two.
    expect(large.statements).toBeLessThanOrEqual(small.statements + 2);
    expect(large.statements).toBeLessThanOrEqual(18);
  });
});
