import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDeployableModel, aDeployment, createProject, dataOf, startTestApi, type TestApi } from '../testing';

const NESTED = `query($project: String!) {
  deployments(project: $project, first: 50) {
    edges { node {
      name status endpoint
      model { name }
      createdBy { name }
      currentRevision { number state createdBy { name } modelVersion { number model { name } } }
      traffic { weight revision { number readyInstances } modelVersion { number } }
      canary { weight revision { number } }
      revisions(first: 5) { edges { node { number modelVersion { number } } } }
      keys { name }
    } }
  }
}`;

/** A project with `count` deployments, each with a canary and an invoke key. */
async function projectWith(api: TestApi, count: number): Promise<string> {
  const project = await createProject(api);
  const model = await aDeployableModel(api, { project, versions: 2 });
  for (let index = 0; index < count; index += 1) {
    const { name } = await aDeployment(api, model, { version: 1 });
    dataOf(
      await api.gql(`mutation($n: String!) { setDeploymentCanary(name: $n, version: 2, weight: 10) { name } }`, {
        n: name,
      }),
    );
    dataOf(
      await api.gql(`mutation($n: String!) { createDeploymentKey(deployment: $n, name: "ci") { key } }`, { n: name }),
    );
  }
  return project;
}

/** The fewest statements of a few runs (DataLoader batches may split on a slow machine). */
async function statementsFor(api: TestApi, project: string): Promise<{ statements: number; deployments: number }> {
  await api.gql(NESTED, { project });
  let statements = Number.POSITIVE_INFINITY;
  let result!: { deployments: { edges: unknown[] } };
  for (let run = 0; run < 3; run += 1) {
    const before = api.db.statementCount();
    result = dataOf(await api.gql<typeof result>(NESTED, { project }));
    statements = Math.min(statements, api.db.statementCount() - before);
  }
  return { statements, deployments: result.deployments.edges.length };
}

describe('nested deployment queries', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('send a number of SQL statements that does not grow with the deployments (2 vs 8)', async () => {
    const small = await statementsFor(api, await projectWith(api, 2));
    const large = await statementsFor(api, await projectWith(api, 8));
    expect(small.deployments).toBe(2);
    expect(large.deployments).toBe(8);
    expect(large.statements).toBeLessThanOrEqual(small.statements + 2);
    expect(large.statements).toBeLessThanOrEqual(16);
  });
});
