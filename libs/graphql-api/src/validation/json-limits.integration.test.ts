import { JSON_LIMITS } from '@lepton/util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { captureServerLog, databaseSnapshot, errorCode, startTestApi, STACK_OR_CRASH, type TestApi } from '../testing';

const CREATE_RUN = `mutation($input: CreateRunInput!) { createRun(input: $input) { id params } }`;

/** `{ a: { a: ... { a: leaf } } }`, `depth` objects deep, built without recursion. */
function nested(depth: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let level = 0; level < depth; level += 1) value = { a: value };
  return value;
}

/** The JSON text of nested(depth, leaf), written directly: JSON.stringify itself recurses. */
function nestedJson(depth: number, leafJson = '1', open = '{"a":', close = '}'): string {
  return `${open.repeat(depth)}${leafJson}${close.repeat(depth)}`;
}

describe('JSON values: depth and size limits, and no recursion a client controls', () => {
  let api: TestApi;
  let log: ReturnType<typeof captureServerLog>;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());
  beforeEach(() => {
    log = captureServerLog();
  });
  afterEach(() => {
    log.stop();
    expect(log.lines().filter((line) => STACK_OR_CRASH.test(line))).toEqual([]);
  });

  /** Sends a request whose `variables` is raw JSON text. */
  async function post(query: string, variablesJson: string) {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api.adminToken}` },
      body: `{"query":${JSON.stringify(query)},"variables":${variablesJson}}`,
    });
    return {
      status: response.status,
      ...((await response.json()) as {
        data?: unknown;
        errors?: { message: string; extensions?: { code?: string } }[];
      }),
    };
  }

  async function rejected(
    query: string,
    variablesJson: string,
    message: RegExp,
    code = 'BAD_USER_INPUT',
  ): Promise<void> {
    const before = await databaseSnapshot(api);
    const result = await post(query, variablesJson);
    expect(result.status).toBeLessThan(500);
    expect(errorCode(result), JSON.stringify(result).slice(0, 500)).toBe(code);
    expect(result.errors![0]!.message).toMatch(message);
    expect(await databaseSnapshot(api)).toEqual(before);
  }

  it('answers a params variable nested 5,000 deep with BAD_USER_INPUT naming the argument', async () => {
    await rejected(
      CREATE_RUN,
      `{"input":{"name":"deep","params":${nestedJson(5000)}}}`,
      /input\.params.*nested deeper than 32 levels/,
    );
  });

  it('finds a NUL character at the bottom of a 5,000-deep variable without recursing', async () => {
    await rejected(
      CREATE_RUN,
      `{"input":{"name":"deep","params":${nestedJson(5000, '"nul\\u0000"')}}}`,
      /params must not contain NUL/,
    );
  });

  it(`accepts params nested exactly ${JSON_LIMITS.maxDepth} deep and refuses one level more`, async () => {
    const accepted = await api.gql<{ createRun: { params: unknown } }>(CREATE_RUN, {
      input: { name: 'deep-ok', params: nested(JSON_LIMITS.maxDepth) },
    });
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.createRun.params).toEqual(nested(JSON_LIMITS.maxDepth));
    await rejected(
      CREATE_RUN,
      JSON.stringify({ input: { name: 'deep', params: nested(JSON_LIMITS.maxDepth + 1) } }),
      /nested deeper than 32 levels/,
    );
  });

  it('refuses a deep JSON literal written in the query itself (failing validation, as any invalid literal)', async () => {
    const literal = `${'{a: '.repeat(40)}1${'}'.repeat(40)}`;
    const query = `mutation { createRun(input: { name: "deep", params: ${literal} }) { id } }`;
    await rejected(query, '{}', /nested deeper than 32 levels/, 'GRAPHQL_VALIDATION_FAILED');
  });

  it(`refuses a JSON value larger than ${JSON_LIMITS.maxLength} characters before anything serialises it`, async () => {
    const wide = { values: Array.from({ length: 300_000 }, (_, index) => index) };
    await rejected(
      CREATE_RUN,
      JSON.stringify({ input: { name: 'wide', params: wide } }),
      /input\.params.*larger than 1048576 characters of JSON/,
    );
  });

  it.each([
    [
      'schema of createDatasetVersion',
      `mutation($v: JSON) { createDatasetVersion(input: { dataset: "d", contentSha256: "${'a'.repeat(64)}", sizeBytes: 1, exampleCount: 1, storageUri: "file://x", schema: $v }) { id } }`,
    ],
    [
      'inputSignature of createModelVersion',
      `mutation($v: JSON) { createModelVersion(input: { model: "m", artifactUri: "file://x", inputSignature: $v }) { id } }`,
    ],
    [
      'metrics of recordEvaluation',
      `mutation($v: JSON!) { recordEvaluation(input: { model: "m", version: 1, datasetVersionId: "00000000-0000-4000-8000-000000000000", split: "test", metrics: $v }) { id } }`,
    ],
  ])('refuses a 5,000-deep value for %s', async (_name, query) => {
    await rejected(query, `{"v":${nestedJson(5000)}}`, /nested deeper than 32 levels/);
  });

  it('refuses lists nested deeper than a String list argument allows', async () => {
    const tags = nestedJson(5000, '"tag"', '[', ']');
    await rejected(
      `mutation($tags: [String!]) { registerModel(input: { name: "m", task: "classification", tags: $tags }) { id } }`,
      `{"tags":${tags}}`,
      /String cannot represent/,
    );
  });
});
