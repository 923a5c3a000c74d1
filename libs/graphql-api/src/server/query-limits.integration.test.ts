import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startTestApi, type TestApi } from '../testing';
import { QUERY_LIMITS } from './create-api-server';

async function post(api: TestApi, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${api.adminToken}`, ...headers },
    body,
  });
  return { status: response.status, text: await response.text() };
}

describe('query limits and transport hardening', () => {
  let api: TestApi;
  let production: TestApi;
  beforeAll(async () => {
    [api, production] = await Promise.all([startTestApi(), startTestApi({ production: true })]);
  });
  afterAll(() => Promise.all([api.close(), production.close()]));

  it('rejects a query deeper than the depth limit', async () => {
    const deep = `{ run(id: "x") { ${'modelVersions { sourceRun { '.repeat(6)} id ${'} } '.repeat(6)} } }`;
    const result = await api.gql(deep);
    expect(errorCode(result)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(result.errors![0]!.message).toMatch(/depth/i);
  });

  it('rejects more aliases than allowed', async () => {
    const aliases = Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: viewer { user { name } }`).join(' ');
    const result = await api.gql(`{ ${aliases} }`);
    expect(errorCode(result)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(result.errors![0]!.message).toMatch(/alias/i);
  });

  it('rejects documents with too many tokens', async () => {
    const fields = Array.from({ length: QUERY_LIMITS.maxTokens }, () => '__typename').join(' ');
    const result = await api.gql(`{ ${fields} }`);
    expect(result.errors![0]!.message).toMatch(/token/i);
    expect(result.data ?? null).toBeNull();
  });

  it('rejects queries over the cost limit', async () => {
    const wide = Array.from({ length: 14 }, (_, i) => `m${i}: models(first: 100) { edges { node { versions { edges { node { evaluations { metrics datasetVersion { dataset { name } } } } } } } } }`).join(' ');
    const result = await api.gql(`{ ${wide} }`);
    expect(errorCode(result)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(result.errors!.some((error) => /cost/i.test(error.message))).toBe(true);
  });

  it('refuses batched HTTP requests', async () => {
    const response = await post(api, JSON.stringify([{ query: '{ viewer { user { name } } }' }, { query: '{ viewer { user { name } } }' }]));
    expect(response.status).toBe(400);
    expect(response.text).not.toContain('"data"');
  });

  it('blocks simple (CSRF-able) requests that skip the JSON content type', async () => {
    const response = await post(api, JSON.stringify({ query: '{ viewer { user { name } } }' }), { 'content-type': 'text/plain' });
    expect(response.status).toBe(400);
    const get = await fetch(`${api.url}?query=${encodeURIComponent('{ viewer { user { name } } }')}`, {
      headers: { authorization: `Bearer ${api.adminToken}` },
    });
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/CSRF/i);
  });

  it('answers an oversized body with 413 and a stable code, not a stack trace', async () => {
    const response = await post(api, JSON.stringify({ query: '{ viewer { user { name } } }', variables: { pad: 'x'.repeat(9 * 1024 * 1024) } }));
    expect(response.status).toBe(413);
    expect(JSON.parse(response.text)).toEqual({ errors: [{ message: 'The request body is too large', extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('answers malformed JSON with 400 and BAD_USER_INPUT', async () => {
    const response = await post(api, '{"query": ');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(response.text).not.toMatch(/at .*\.js/);
  });

  it('allows introspection and field suggestions in development only', async () => {
    const introspection = '{ __schema { queryType { name } } }';
    expect((await api.gql<{ __schema: unknown }>(introspection)).data?.__schema).toEqual({ queryType: { name: 'Query' } });
    const blocked = await production.gql(introspection, undefined, production.adminToken);
    expect(errorCode(blocked)).toBe('GRAPHQL_VALIDATION_FAILED');

    const typo = '{ viewr { user { name } } }';
    expect((await api.gql(typo)).errors![0]!.message).toMatch(/Did you mean "viewer"/);
    const hidden = await production.gql(typo, undefined, production.adminToken);
    expect(hidden.errors![0]!.message).not.toMatch(/Did you mean/);
  });

  it('needs a token for every operation, but not for /healthz', async () => {
    const anonymous = await api.gql('{ __typename }', undefined, null);
    expect(anonymous.status).toBe(401);
    expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
    const health = await fetch(api.url.replace(/\/graphql$/, '/healthz'));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });
});
