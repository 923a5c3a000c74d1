import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aModel, dataOf, errorCode, startTestApi, type TestApi } from '../testing';

const CREATE_VERSION = `mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) { number } }`;
const SET_ALIAS = `mutation($model: String!, $alias: String!, $version: Int!) {
  setModelAlias(model: $model, alias: $alias, version: $version) { alias version { number } }
}`;
const ALIAS_OF = `query($name: String!, $alias: String!) {
  model(name: $name) { aliases { alias version { number } } version(alias: $alias) { number } }
}`;

describe('model versions and aliases', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('numbers 100 concurrent versions exactly 1..100 with no gap or duplicate', async () => {
    const model = await aModel(api).create();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        api.gql<{ createModelVersion: { number: number } }>(CREATE_VERSION, {
          input: { model: model.name, artifactUri: `file://artifacts/${index}` },
        }),
      ),
    );
    const numbers = results.map((result) => dataOf(result).createModelVersion.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 100 }, (_, index) => index + 1));

    const stored = await api.db.pool.query<{ number: number }>(
      'SELECT number FROM model_version WHERE model_id = $1 ORDER BY number',
      [model.id],
    );
    expect(stored.rows.map((row) => row.number)).toEqual(numbers);
    const count = await api.db.pool.query<{ version_count: number }>('SELECT version_count FROM registered_model WHERE id = $1', [model.id]);
    expect(count.rows[0]?.version_count).toBe(100);
  });

  it('keeps numbering gapless when a version creation fails inside its transaction', async () => {
    const model = await aModel(api).withVersions(2).create();
    const failed = await api.gql(CREATE_VERSION, {
      input: { model: model.name, artifactUri: 'file://x', runId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(errorCode(failed)).toBe('NOT_FOUND');
    const next = dataOf(await api.gql<{ createModelVersion: { number: number } }>(CREATE_VERSION, { input: { model: model.name, artifactUri: 'file://y' } }));
    expect(next.createModelVersion.number).toBe(3);
  });

  it('moves an alias atomically: concurrent moves leave exactly one target and readers never see none', async () => {
    const model = await aModel(api).withVersions(5).create();
    dataOf(await api.gql(SET_ALIAS, { model: model.name, alias: 'champion', version: 1 }));

    let reading = true;
    const observed: (number | null)[] = [];
    const reader = (async () => {
      while (reading) {
        const result = dataOf(await api.gql<{ model: { version: { number: number } | null } }>(ALIAS_OF, { name: model.name, alias: 'champion' }));
        observed.push(result.model.version?.number ?? null);
      }
    })();
    const moves = await Promise.all(
      Array.from({ length: 40 }, (_, index) => api.gql(SET_ALIAS, { model: model.name, alias: 'champion', version: (index % 5) + 1 })),
    );
    reading = false;
    await reader;

    expect(moves.every((move) => !move.errors)).toBe(true);
    expect(observed.length).toBeGreaterThan(0);
    expect(observed.every((number) => number !== null && number >= 1 && number <= 5)).toBe(true);
    const rows = await api.db.pool.query('SELECT version_id FROM model_alias WHERE model_id = $1 AND alias = $2', [model.id, 'champion']);
    expect(rows.rowCount).toBe(1);
    const final = dataOf(await api.gql<{ model: { aliases: { alias: string; version: { number: number } }[] } }>(ALIAS_OF, { name: model.name, alias: 'champion' }));
    expect(final.model.aliases).toHaveLength(1);
  });

  it('moves an alias from one version to another and reports it on both', async () => {
    const model = await aModel(api).withVersions(2).create();
    dataOf(await api.gql(SET_ALIAS, { model: model.name, alias: 'prod', version: 1 }));
    dataOf(await api.gql(SET_ALIAS, { model: model.name, alias: 'prod', version: 2 }));
    const result = dataOf(
      await api.gql<{ model: { versions: { edges: { node: { number: number; aliases: string[] } }[] } } }>(
        `query($name: String!) { model(name: $name) { versions { edges { node { number aliases } } } } }`,
        { name: model.name },
      ),
    );
    expect(result.model.versions.edges.map((edge) => edge.node)).toEqual([
      { number: 2, aliases: ['prod'] },
      { number: 1, aliases: [] },
    ]);
  });
});
