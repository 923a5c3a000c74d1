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
  SHA,
  startTestApi,
  uniqueName,
  type TestApi,
} from '../testing';

// Table-driven tests walk GraphQL answers of many shapes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = Record<string, any>;
type Code = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN' | 'BAD_REQUEST';

interface Reply {
  status: number;
  text: string;
  body: { data?: Data | null; errors?: { message: string; extensions?: Data }[] };
}

const MISSING_ID = '00000000-0000-4000-8000-000000000000';
const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

/**
 * JSON cannot spell Infinity, so it is sent as 1e999, which the server's JSON.parse reads back as
 * Infinity: exactly what a client sending an overflowing literal produces.
 */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (item === Infinity ? '__+INF__' : item === -Infinity ? '__-INF__' : item))
    .replaceAll('"__+INF__"', '1e999')
    .replaceAll('"__-INF__"', '-1e999');
}

/** True for null, or an object whose every field holds no value (e.g. `{ model: { version: null } }`). */
function holdsNoValue(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every(holdsNoValue);
}

function expectNoStackTrace(reply: Reply): void {
  expect(reply.text).not.toMatch(/stacktrace/i);
  expect(reply.text).not.toMatch(/\bat \/|\bat [\w.<>$]+ \(|node_modules|\.ts:\d+/);
  for (const error of reply.body.errors ?? []) {
    expect(error.extensions ?? {}).not.toHaveProperty('stacktrace');
    expect(error.extensions ?? {}).not.toHaveProperty('exception');
  }
}

describe('bad input', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  async function send(body: string, headers: Record<string, string> = {}): Promise<Reply> {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api.adminToken}`, ...headers },
      body,
    });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as Reply['body'] };
  }

  const gql = (query: string, variables: Data = {}) => send(toJson({ query, variables }));

  const snapshot = () => databaseSnapshot(api);

  interface Expected {
    code: Code;
    message: RegExp;
    field?: string;
  }

  /** Sends, then checks the stable code, the message, that no data came back and that not a single row changed. */
  async function expectRejected(request: () => Promise<Reply>, expected: Expected): Promise<Reply> {
    const before = await snapshot();
    const reply = await request();
    expectNoStackTrace(reply);
    expect(reply.status).toBeLessThan(500);
    expect(reply.body.errors, reply.text).toHaveLength(1);
    const [error] = reply.body.errors!;
    expect(error!.extensions?.['code']).toBe(expected.code);
    expect(error!.message).toMatch(expected.message);
    if (expected.field !== undefined) expect(error!.extensions?.['field']).toBe(expected.field);
    expect(holdsNoValue(reply.body.data ?? null), reply.text).toBe(true);
    expect(await snapshot()).toEqual(before);
    return reply;
  }

  interface Mutation {
    document: string;
    /** Arranges fresh data and returns variables that succeed; every bad case starts from these. */
    valid(): Promise<Data>;
  }

  interface BadCase extends Expected {
    name: string;
    /** Turns the valid variables into bad ones (arranging any extra data it needs). */
    patch(variables: Data): Data | Promise<Data>;
    /** Runs after patching and before the snapshot, e.g. to create the duplicate first. */
    before?(variables: Data): Promise<unknown>;
  }

  const inInput =
    (patch: Data) =>
    (variables: Data): Data => ({ ...variables, input: { ...variables['input'], ...patch } });
  const args =
    (patch: Data) =>
    (variables: Data): Data => ({ ...variables, ...patch });

  function describeMutation(name: string, mutation: Mutation, cases: BadCase[]): void {
    describe(name, () => {
      it('accepts the valid input every bad case starts from', async () => {
        const reply = await gql(mutation.document, await mutation.valid());
        expect(reply.body.errors, reply.text).toBeUndefined();
        expect(reply.body.data?.[name]).toBeTruthy();
      });

      it.each(cases.map((badCase) => [`rejects ${badCase.name} with ${badCase.code}`, badCase] as const))('%s', async (_title, badCase) => {
        const variables = await badCase.patch(await mutation.valid());
        await badCase.before?.(variables);
        await expectRejected(() => gql(mutation.document, variables), badCase);
      });
    });
  }

  const NAME_ERRORS = (field: string, max: number) => [
    { name: `an empty ${field}`, value: '', message: new RegExp(`${field} must not be empty`) },
    { name: `a ${field} longer than ${max} characters`, value: 'a'.repeat(max + 1), message: new RegExp(`${field} is longer than ${max} characters`) },
    { name: `a ${field} with a space`, value: 'my thing', message: new RegExp(`${field} "my thing" may contain only letters, digits`) },
    { name: `a ${field} starting with '-'`, value: '-thing', message: /must start with a letter or digit/ },
    { name: `a ${field} with non-ASCII letters`, value: 'modèle', message: /may contain only letters, digits/ },
  ];

  // ─── projects, members and tokens ──────────────────────────────────────────────────────────────

  describeMutation(
    'createProject',
    {
      document: `mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }`,
      valid: async () => ({ input: { name: uniqueName('project'), description: 'a project' } }),
    },
    [
      ...NAME_ERRORS('name', 64).map(({ name, value, message }) => ({
        name,
        patch: inInput({ name: value }),
        code: 'BAD_USER_INPUT' as const,
        message,
        field: 'name',
      })),
      {
        name: 'a name that is already taken',
        patch: (v: Data) => v,
        before: (v: Data) => createProject(api, v['input'].name),
        code: 'CONFLICT',
        message: /Project ".+" already exists/,
      },
      {
        name: 'a description longer than 10,000 characters',
        patch: inInput({ description: 'x'.repeat(10_001) }),
        code: 'BAD_USER_INPUT',
        message: /description is longer than 10000 characters/,
        field: 'description',
      },
      {
        name: 'a description containing a NUL character',
        patch: inInput({ description: 'before\u0000after' }),
        code: 'BAD_USER_INPUT',
        message: /description must not contain NUL characters/,
        field: 'description',
      },
    ],
  );

  describeMutation(
    'addProjectMember',
    {
      document: `mutation($input: ProjectMemberInput!) { addProjectMember(input: $input) { role } }`,
      valid: async () => ({ input: { project: await createProject(api), user: uniqueName('user'), role: 'VIEWER' } }),
    },
    [
      ...NAME_ERRORS('user', 64).map(({ name, value, message }) => ({
        name,
        patch: inInput({ user: value }),
        code: 'BAD_USER_INPUT' as const,
        message,
        field: 'user',
      })),
      {
        name: 'a role that does not exist',
        patch: inInput({ role: 'OWNER' }),
        code: 'BAD_USER_INPUT',
        message: /Value "OWNER" does not exist in "Role" enum/,
      },
      {
        name: "demoting the project's last ADMIN",
        patch: inInput({ user: 'admin', role: 'EDITOR' }),
        code: 'CONFLICT',
        message: /would leave the project without an ADMIN/,
      },
      {
        // Unknown and unreachable projects answer alike, so project names do not leak.
        name: 'a project that does not exist',
        patch: inInput({ project: uniqueName('nowhere') }),
        code: 'FORBIDDEN',
        message: /has no access to project/,
      },
    ],
  );

  describeMutation(
    'removeProjectMember',
    {
      document: `mutation($project: String, $user: String!) { removeProjectMember(project: $project, user: $user) }`,
      async valid() {
        const project = await createProject(api);
        const user = uniqueName('user');
        dataOf(await api.gql(`mutation($input: ProjectMemberInput!) { addProjectMember(input: $input) { role } }`, { input: { project, user, role: 'EDITOR' } }));
        return { project, user };
      },
    },
    [
      { name: 'a user that does not exist', patch: args({ user: uniqueName('ghost') }), code: 'NOT_FOUND', message: /User ".+" does not exist/ },
      {
        name: 'a user who is not a member of the project',
        async patch(v: Data) {
          const elsewhere = uniqueName('user');
          dataOf(
            await api.gql(`mutation($input: ProjectMemberInput!) { addProjectMember(input: $input) { role } }`, {
              input: { project: 'default', user: elsewhere, role: 'VIEWER' },
            }),
          );
          return { ...v, user: elsewhere };
        },
        code: 'NOT_FOUND',
        message: /is not a member of project/,
      },
      { name: "removing the project's last ADMIN", patch: args({ user: 'admin' }), code: 'CONFLICT', message: /without an ADMIN/ },
    ],
  );

  describeMutation(
    'createApiToken',
    {
      document: `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }`,
      valid: async () => ({ input: { project: 'default', name: uniqueName('token'), role: 'VIEWER' } }),
    },
    [
      ...NAME_ERRORS('name', 64).map(({ name, value, message }) => ({
        name,
        patch: inInput({ name: value }),
        code: 'BAD_USER_INPUT' as const,
        message,
        field: 'name',
      })),
      {
        name: 'an owner who is not a member of the project',
        patch: inInput({ user: uniqueName('stranger') }),
        code: 'NOT_FOUND',
        message: /User ".+" is not a member of project "default"/,
      },
      { name: 'a role that does not exist', patch: inInput({ role: 'ROOT' }), code: 'BAD_USER_INPUT', message: /Value "ROOT" does not exist in "Role" enum/ },
      {
        name: 'a missing name',
        patch: (v: Data) => ({ input: { project: v['input'].project, role: 'VIEWER' } }),
        code: 'BAD_USER_INPUT',
        message: /Field "name" of required type "String!" was not provided/,
      },
    ],
  );

  describeMutation(
    'revokeApiToken',
    {
      document: `mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }`,
      async valid() {
        const created = dataOf(
          await api.gql<Data>(`mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { apiToken { id } } }`, {
            input: { name: uniqueName('token'), role: 'VIEWER' },
          }),
        );
        return { id: created.createApiToken.apiToken.id };
      },
    },
    [
      { name: 'an id that is not a token id', patch: args({ id: 'not-a-token-id' }), code: 'BAD_USER_INPUT', message: /"not-a-token-id" is not a valid id/, field: 'id' },
      { name: 'a token that does not exist', patch: args({ id: MISSING_ID }), code: 'NOT_FOUND', message: /API token .+ does not exist/ },
      {
        name: 'a token that is already revoked',
        patch: (v: Data) => v,
        before: async (v: Data) => dataOf(await api.gql(`mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: v['id'] })),
        code: 'CONFLICT',
        message: /is already revoked/,
      },
    ],
  );

  // ─── datasets ─────────────────────────────────────────────────────────────────────────────────

  describeMutation(
    'createDataset',
    {
      document: `mutation($input: CreateDatasetInput!) { createDataset(input: $input) { id } }`,
      valid: async () => ({ input: { name: uniqueName('dataset'), description: 'images', tags: ['vision', 'v1'] } }),
    },
    [
      ...NAME_ERRORS('name', 128).map(({ name, value, message }) => ({
        name,
        patch: inInput({ name: value }),
        code: 'BAD_USER_INPUT' as const,
        message,
        field: 'name',
      })),
      {
        name: 'a name already used in the project',
        patch: (v: Data) => v,
        before: async (v: Data) => dataOf(await api.gql(`mutation($input: CreateDatasetInput!) { createDataset(input: $input) { id } }`, { input: { name: v['input'].name } })),
        code: 'CONFLICT',
        message: /Dataset ".+" already exists in project "default"/,
      },
      { name: 'a tag with a space', patch: inInput({ tags: ['ok', 'not ok'] }), code: 'BAD_USER_INPUT', message: /tag "not ok" is invalid/, field: 'tags' },
      { name: 'an empty tag', patch: inInput({ tags: [''] }), code: 'BAD_USER_INPUT', message: /tag "" is invalid/, field: 'tags' },
      {
        name: 'more than 50 tags',
        patch: inInput({ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }),
        code: 'BAD_USER_INPUT',
        message: /at most 50 tags/,
        field: 'tags',
      },
      { name: 'a description longer than 10,000 characters', patch: inInput({ description: 'x'.repeat(10_001) }), code: 'BAD_USER_INPUT', message: /description is longer/ },
    ],
  );

  describeMutation(
    'createDatasetVersion',
    {
      document: `mutation($input: CreateDatasetVersionInput!) { createDatasetVersion(input: $input) { id } }`,
      async valid() {
        const dataset = uniqueName('dataset');
        dataOf(await api.gql(`mutation($input: CreateDatasetInput!) { createDataset(input: $input) { id } }`, { input: { name: dataset } }));
        return {
          input: {
            dataset,
            contentSha256: SHA(dataset),
            sizeBytes: 4096,
            exampleCount: 100,
            schema: { features: [{ name: 'pixels', type: 'float32' }] },
            splits: { train: 80, test: 20 },
            storageUri: `file://datasets/${dataset}`,
          },
        };
      },
    },
    [
      { name: 'a dataset that does not exist', patch: inInput({ dataset: uniqueName('missing') }), code: 'NOT_FOUND', message: /Dataset ".+" does not exist in project "default"/ },
      { name: 'an invalid dataset name', patch: inInput({ dataset: 'no such/dataset' }), code: 'BAD_USER_INPUT', message: /dataset "no such\/dataset" may contain only/, field: 'dataset' },
      ...[
        ['an upper-case sha256', 'A'.repeat(64)],
        ['a sha256 of 63 characters', 'a'.repeat(63)],
        ['a sha256 of 65 characters', 'a'.repeat(65)],
        ['a sha256 that is not hex', 'g'.repeat(64)],
        ['an empty sha256', ''],
      ].map(([name, value]) => ({
        name: name!,
        patch: inInput({ contentSha256: value }),
        code: 'BAD_USER_INPUT' as const,
        message: /contentSha256 must be 64 lowercase hex characters/,
        field: 'contentSha256',
      })),
      { name: 'a negative size', patch: inInput({ sizeBytes: -1 }), code: 'BAD_USER_INPUT', message: /sizeBytes must be an integer between 0 and/, field: 'sizeBytes' },
      { name: 'a fractional size', patch: inInput({ sizeBytes: 1.5 }), code: 'BAD_USER_INPUT', message: /sizeBytes must be an integer/, field: 'sizeBytes' },
      { name: 'a size beyond 2^53', patch: inInput({ sizeBytes: 1e300 }), code: 'BAD_USER_INPUT', message: /sizeBytes must be an integer/, field: 'sizeBytes' },
      { name: 'an infinite size (1e999)', patch: inInput({ sizeBytes: Infinity }), code: 'BAD_USER_INPUT', message: /Float cannot represent non numeric value: Infinity/ },
      { name: 'a size given as a string', patch: inInput({ sizeBytes: '4096' }), code: 'BAD_USER_INPUT', message: /Float cannot represent non numeric value: "4096"/ },
      { name: 'a negative example count', patch: inInput({ exampleCount: -1 }), code: 'BAD_USER_INPUT', message: /exampleCount must be an integer between 0 and 2147483647/, field: 'exampleCount' },
      { name: 'an example count beyond 32 bits', patch: inInput({ exampleCount: 2 ** 31 }), code: 'BAD_USER_INPUT', message: /Int cannot represent non 32-bit signed integer value/ },
      { name: 'splits holding more examples than the version', patch: inInput({ splits: { train: 100, test: 20 } }), code: 'BAD_USER_INPUT', message: /splits hold 120 examples but the version has 100/, field: 'splits' },
      { name: 'a split with a fractional count', patch: inInput({ splits: { train: 79.5 } }), code: 'BAD_USER_INPUT', message: /split "train" must map to a non-negative example count/, field: 'splits' },
      { name: 'a split with a negative count', patch: inInput({ splits: { train: -1 } }), code: 'BAD_USER_INPUT', message: /split "train" must map to a non-negative/, field: 'splits' },
      { name: 'a split with an invalid name', patch: inInput({ splits: { '1st': 10 } }), code: 'BAD_USER_INPUT', message: /split name "1st" is invalid/, field: 'splits' },
      { name: 'splits that are not an object', patch: inInput({ splits: [80, 20] }), code: 'BAD_USER_INPUT', message: /splits must be a JSON object/, field: 'splits' },
      { name: 'a schema that is not an object', patch: inInput({ schema: 'pixels:float32' }), code: 'BAD_USER_INPUT', message: /schema must be a JSON object/, field: 'schema' },
      { name: 'a schema larger than 64 KB', patch: inInput({ schema: { blob: 'x'.repeat(70_000) } }), code: 'BAD_USER_INPUT', message: /schema is larger than 65536 bytes/, field: 'schema' },
      { name: 'a schema containing a NUL character', patch: inInput({ schema: { name: 'a\u0000b' } }), code: 'BAD_USER_INPUT', message: /schema must not contain NUL characters/, field: 'schema' },
      { name: 'an empty storage URI', patch: inInput({ storageUri: '' }), code: 'BAD_USER_INPUT', message: /storageUri must not be empty/, field: 'storageUri' },
      { name: 'a storage URI with control characters', patch: inInput({ storageUri: 'file://a\nb' }), code: 'BAD_USER_INPUT', message: /storageUri contains control characters/, field: 'storageUri' },
      { name: 'a storage URI longer than 2048 characters', patch: inInput({ storageUri: `s3://${'x'.repeat(2048)}` }), code: 'BAD_USER_INPUT', message: /storageUri is longer than 2048/, field: 'storageUri' },
    ],
  );

  // ─── models, versions and aliases ─────────────────────────────────────────────────────────────

  describeMutation(
    'registerModel',
    {
      document: `mutation($input: RegisterModelInput!) { registerModel(input: $input) { id } }`,
      valid: async () => ({ input: { name: uniqueName('model'), task: 'image-classification', tags: ['vision'] } }),
    },
    [
      ...NAME_ERRORS('name', 128).map(({ name, value, message }) => ({
        name,
        patch: inInput({ name: value }),
        code: 'BAD_USER_INPUT' as const,
        message,
        field: 'name',
      })),
      {
        name: 'a name already used in the project',
        patch: (v: Data) => v,
        before: (v: Data) => aModel(api).named(v['input'].name).create(),
        code: 'CONFLICT',
        message: /Model ".+" already exists in project "default"/,
      },
      { name: 'a task with capitals and spaces', patch: inInput({ task: 'Image Classification' }), code: 'BAD_USER_INPUT', message: /task "Image Classification" must be lowercase/, field: 'task' },
      { name: 'a task longer than 64 characters', patch: inInput({ task: 'a'.repeat(65) }), code: 'BAD_USER_INPUT', message: /task is longer than 64/, field: 'task' },
      { name: 'an invalid tag', patch: inInput({ tags: ['#hash'] }), code: 'BAD_USER_INPUT', message: /tag "#hash" is invalid/, field: 'tags' },
      { name: 'a description containing a NUL character', patch: inInput({ description: '\u0000' }), code: 'BAD_USER_INPUT', message: /description must not contain NUL/, field: 'description' },
      { name: 'a field the input type does not have', patch: inInput({ owner: 'me' }), code: 'BAD_USER_INPUT', message: /Field "owner" is not defined by type "RegisterModelInput"/ },
    ],
  );

  describeMutation(
    'updateModel',
    {
      document: `mutation($input: UpdateModelInput!) { updateModel(input: $input) { id } }`,
      valid: async () => ({ input: { name: (await aModel(api).withTags('old').create()).name, description: 'new description', tags: ['new'] } }),
    },
    [
      { name: 'a model that does not exist', patch: inInput({ name: uniqueName('missing') }), code: 'NOT_FOUND', message: /Model ".+" does not exist in project "default"/ },
      { name: 'an invalid task', patch: inInput({ task: 'NLP!' }), code: 'BAD_USER_INPUT', message: /task "NLP!" must be lowercase/, field: 'task' },
      {
        name: 'more than 50 tags',
        patch: inInput({ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }),
        code: 'BAD_USER_INPUT',
        message: /at most 50 tags/,
        field: 'tags',
      },
      { name: 'a description longer than 10,000 characters', patch: inInput({ description: 'x'.repeat(10_001) }), code: 'BAD_USER_INPUT', message: /description is longer/, field: 'description' },
    ],
  );

  describeMutation(
    'createModelVersion',
    {
      document: `mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) { id } }`,
      async valid() {
        const model = await aModel(api).withVersions(1).create();
        return { input: { model: model.name, artifactUri: `file://artifacts/${model.name}/2`, framework: 'onnx', inputSignature: { x: 'float32[1,28,28]' } } };
      },
    },
    [
      { name: 'a model that does not exist', patch: inInput({ model: uniqueName('missing') }), code: 'NOT_FOUND', message: /Model ".+" does not exist/ },
      { name: 'an empty model name', patch: inInput({ model: '' }), code: 'BAD_USER_INPUT', message: /model must not be empty/, field: 'model' },
      { name: 'a run that does not exist', patch: inInput({ runId: MISSING_ID }), code: 'NOT_FOUND', message: /Run .+ does not exist in project "default"/ },
      { name: 'a run id that is not an id', patch: inInput({ runId: 'run-1' }), code: 'BAD_USER_INPUT', message: /runId "run-1" is not a valid id/, field: 'runId' },
      {
        name: 'a run of another project',
        patch: async (v: Data) => inInput({ runId: await aRun(api, await createProject(api)) })(v),
        code: 'NOT_FOUND',
        message: /Run .+ does not exist in project "default"/,
      },
      { name: 'a dataset version that does not exist', patch: inInput({ datasetVersionId: MISSING_ID }), code: 'NOT_FOUND', message: /Dataset version .+ does not exist/ },
      { name: 'a dataset version id that is not an id', patch: inInput({ datasetVersionId: '42' }), code: 'BAD_USER_INPUT', message: /datasetVersionId "42" is not a valid id/, field: 'datasetVersionId' },
      {
        name: 'a dataset version of another project',
        patch: async (v: Data) => inInput({ datasetVersionId: (await aDatasetVersion(api, await createProject(api))).id })(v),
        code: 'NOT_FOUND',
        message: /Dataset version .+ does not exist in project "default"/,
      },
      { name: 'an empty artifact URI', patch: inInput({ artifactUri: '' }), code: 'BAD_USER_INPUT', message: /artifactUri must not be empty/, field: 'artifactUri' },
      { name: 'an artifact URI longer than 2048 characters', patch: inInput({ artifactUri: `s3://${'a'.repeat(2048)}` }), code: 'BAD_USER_INPUT', message: /artifactUri is longer than 2048/, field: 'artifactUri' },
      { name: 'a framework longer than 64 characters', patch: inInput({ framework: 'f'.repeat(65) }), code: 'BAD_USER_INPUT', message: /framework is longer than 64/, field: 'framework' },
      { name: 'an input signature that is an array', patch: inInput({ inputSignature: [1, 28, 28] }), code: 'BAD_USER_INPUT', message: /inputSignature must be a JSON object/, field: 'inputSignature' },
      { name: 'an output signature larger than 64 KB', patch: inInput({ outputSignature: { labels: 'y'.repeat(70_000) } }), code: 'BAD_USER_INPUT', message: /outputSignature is larger than 65536 bytes/, field: 'outputSignature' },
      { name: 'a status that does not exist', patch: inInput({ status: 'DEPLOYED' }), code: 'BAD_USER_INPUT', message: /Value "DEPLOYED" does not exist in "ModelVersionStatus" enum/ },
    ],
  );

  describeMutation(
    'updateModelVersion',
    {
      document: `mutation($input: UpdateModelVersionInput!) { updateModelVersion(input: $input) { id } }`,
      valid: async () => ({ input: { model: (await aModel(api).withVersions(1).create()).name, version: 1, description: 'better', status: 'ARCHIVED' } }),
    },
    [
      { name: 'a version number that does not exist', patch: inInput({ version: 2 }), code: 'NOT_FOUND', message: /Model ".+" has no version 2/ },
      { name: 'version 0', patch: inInput({ version: 0 }), code: 'BAD_USER_INPUT', message: /version must be a positive integer/, field: 'version' },
      { name: 'a negative version', patch: inInput({ version: -3 }), code: 'BAD_USER_INPUT', message: /version must be a positive integer/, field: 'version' },
      { name: 'a model that does not exist', patch: inInput({ model: uniqueName('missing') }), code: 'NOT_FOUND', message: /Model ".+" does not exist/ },
      { name: 'an invalid tag', patch: inInput({ tags: ['a b'] }), code: 'BAD_USER_INPUT', message: /tag "a b" is invalid/, field: 'tags' },
      { name: 'a status that does not exist', patch: inInput({ status: 'LIVE' }), code: 'BAD_USER_INPUT', message: /Value "LIVE" does not exist in "ModelVersionStatus" enum/ },
    ],
  );

  describeMutation(
    'setModelAlias',
    {
      document: `mutation($model: String!, $alias: String!, $version: Int!) { setModelAlias(model: $model, alias: $alias, version: $version) { alias } }`,
      valid: async () => ({ model: (await aModel(api).withVersions(2).create()).name, alias: 'champion', version: 2 }),
    },
    [
      { name: 'an alias starting with a digit', patch: args({ alias: '1st' }), code: 'BAD_USER_INPUT', message: /alias "1st" must start with a letter/, field: 'alias' },
      { name: 'an alias with a space', patch: args({ alias: 'my alias' }), code: 'BAD_USER_INPUT', message: /alias "my alias" must start with a letter and contain only/, field: 'alias' },
      { name: 'an empty alias', patch: args({ alias: '' }), code: 'BAD_USER_INPUT', message: /alias "" must start with a letter/, field: 'alias' },
      { name: 'an alias longer than 64 characters', patch: args({ alias: 'a'.repeat(65) }), code: 'BAD_USER_INPUT', message: /max 64/, field: 'alias' },
      { name: 'the reserved alias "latest"', patch: args({ alias: 'latest' }), code: 'BAD_USER_INPUT', message: /alias "latest" is reserved/, field: 'alias' },
      { name: 'the reserved alias in another case ("Latest")', patch: args({ alias: 'Latest' }), code: 'BAD_USER_INPUT', message: /is reserved/, field: 'alias' },
      { name: 'a version number that does not exist', patch: args({ version: 3 }), code: 'NOT_FOUND', message: /has no version 3/ },
      { name: 'a negative version', patch: args({ version: -1 }), code: 'BAD_USER_INPUT', message: /version must be a positive integer/, field: 'version' },
      { name: 'a model that does not exist', patch: args({ model: uniqueName('missing') }), code: 'NOT_FOUND', message: /Model ".+" does not exist/ },
    ],
  );

  describeMutation(
    'deleteModelAlias',
    {
      document: `mutation($model: String!, $alias: String!) { deleteModelAlias(model: $model, alias: $alias) }`,
      async valid() {
        const model = await aModel(api).withVersions(1).create();
        dataOf(await api.gql(`mutation($m: String!) { setModelAlias(model: $m, alias: "prod", version: 1) { alias } }`, { m: model.name }));
        return { model: model.name, alias: 'prod' };
      },
    },
    [
      { name: 'an alias the model does not have', patch: args({ alias: 'canary' }), code: 'NOT_FOUND', message: /Model ".+" has no alias "canary"/ },
      { name: 'an alias set on another model only', async patch(v: Data) {
          const other = await aModel(api).withVersions(1).create();
          dataOf(await api.gql(`mutation($m: String!) { setModelAlias(model: $m, alias: "shadow", version: 1) { alias } }`, { m: other.name }));
          return { ...v, alias: 'shadow' };
        }, code: 'NOT_FOUND', message: /has no alias "shadow"/ },
      { name: 'a model that does not exist', patch: args({ model: uniqueName('missing') }), code: 'NOT_FOUND', message: /Model ".+" does not exist/ },
      { name: 'an invalid alias', patch: args({ alias: 'no spaces please' }), code: 'BAD_USER_INPUT', message: /alias "no spaces please" must start with a letter/, field: 'alias' },
    ],
  );

  // ─── runs and metrics ─────────────────────────────────────────────────────────────────────────

  describeMutation(
    'createRun',
    {
      document: `mutation($input: CreateRunInput!) { createRun(input: $input) { id } }`,
      valid: async () => ({ input: { name: uniqueName('run'), params: { lr: 0.001, layers: [64, 32] }, kind: 'EVALUATION' } }),
    },
    [
      ...NAME_ERRORS('name', 128).map(({ name, value, message }) => ({
        name,
        patch: inInput({ name: value }),
        code: 'BAD_USER_INPUT' as const,
        message,
        field: 'name',
      })),
      { name: 'params that are an array', patch: inInput({ params: [0.001] }), code: 'BAD_USER_INPUT', message: /params must be a JSON object/, field: 'params' },
      { name: 'params that are a string', patch: inInput({ params: 'lr=0.001' }), code: 'BAD_USER_INPUT', message: /params must be a JSON object/, field: 'params' },
      { name: 'params larger than 64 KB', patch: inInput({ params: { notes: 'n'.repeat(70_000) } }), code: 'BAD_USER_INPUT', message: /params is larger than 65536 bytes/, field: 'params' },
      { name: 'params containing a NUL character', patch: inInput({ params: { optimizer: 'adam\u0000' } }), code: 'BAD_USER_INPUT', message: /params must not contain NUL characters/, field: 'params' },
      { name: 'params with a NUL character in a key', patch: inInput({ params: { 'a\u0000': 1 } }), code: 'BAD_USER_INPUT', message: /params must not contain NUL/, field: 'params' },
      { name: 'params containing an unpaired surrogate', patch: inInput({ params: { label: 'x\ud800y' } }), code: 'BAD_USER_INPUT', message: /unpaired surrogates/, field: 'params' },
      { name: 'a kind that does not exist', patch: inInput({ kind: 'SWEEP' }), code: 'BAD_USER_INPUT', message: /Value "SWEEP" does not exist in "RunKind" enum/ },
      { name: 'the TRAINING kind (startTraining makes those)', patch: inInput({ kind: 'TRAINING' }), code: 'BAD_USER_INPUT', message: /created by startTraining/, field: 'kind' },
    ],
  );

  const LOG = `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { accepted duplicates } }`;
  const point = (patch: Data = {}) => ({ key: 'loss', step: 1, value: 0.5, ...patch });
  const onePoint = (patch: Data) => args({ points: [point(patch)] });

  describeMutation(
    'logMetrics',
    {
      document: LOG,
      valid: async () => ({ runId: await aRun(api), points: [point({ step: 0, value: 1 }), point(), point({ key: 'val/acc', step: 1, value: 0.8, timestamp: '2025-01-01T00:00:00Z' })] }),
    },
    [
      {
        name: 'a batch of 10,001 points',
        patch: args({ points: Array.from({ length: 10_001 }, (_, step) => point({ step, value: step / 10 })) }),
        code: 'BAD_USER_INPUT',
        message: /at most 10000 points per call \(got 10001\)/,
        field: 'points',
      },
      { name: 'an empty batch', patch: args({ points: [] }), code: 'BAD_USER_INPUT', message: /points must not be empty/, field: 'points' },
      { name: 'the string "NaN" as a value', patch: onePoint({ value: 'NaN' }), code: 'BAD_USER_INPUT', message: /Float cannot represent non numeric value: "NaN"/ },
      { name: 'the string "Infinity" as a value', patch: onePoint({ value: 'Infinity' }), code: 'BAD_USER_INPUT', message: /Float cannot represent non numeric value: "Infinity"/ },
      { name: '1e999 (Infinity once parsed) as a value', patch: onePoint({ value: Infinity }), code: 'BAD_USER_INPUT', message: /Float cannot represent non numeric value: Infinity/ },
      { name: '-1e999 (-Infinity once parsed) as a value', patch: onePoint({ value: -Infinity }), code: 'BAD_USER_INPUT', message: /Float cannot represent non numeric value: -Infinity/ },
      { name: 'a numeric string as a value', patch: onePoint({ value: '0.5' }), code: 'BAD_USER_INPUT', message: /Float cannot represent non numeric value: "0.5"/ },
      { name: 'a boolean as a value', patch: onePoint({ value: true }), code: 'BAD_USER_INPUT', message: /Float cannot represent non numeric value: true/ },
      { name: 'a null value', patch: onePoint({ value: null }), code: 'BAD_USER_INPUT', message: /Expected non-nullable type "Float!" not to be null/ },
      { name: 'a negative step', patch: onePoint({ step: -1 }), code: 'BAD_USER_INPUT', message: /points\[0\]\.step must be an integer between 0 and 2147483647/, field: 'points[0]' },
      { name: 'a fractional step', patch: onePoint({ step: 1.5 }), code: 'BAD_USER_INPUT', message: /Int cannot represent non-integer value: 1.5/ },
      { name: 'a step beyond 32 bits', patch: onePoint({ step: 2 ** 31 }), code: 'BAD_USER_INPUT', message: /Int cannot represent non 32-bit signed integer value/ },
      { name: 'an empty key', patch: onePoint({ key: '' }), code: 'BAD_USER_INPUT', message: /points\[0\]\.key "" must be 1-255 letters/, field: 'points[0]' },
      { name: 'a key longer than 255 characters', patch: onePoint({ key: 'k'.repeat(256) }), code: 'BAD_USER_INPUT', message: /must be 1-255 letters/, field: 'points[0]' },
      { name: 'a key with a forbidden character', patch: onePoint({ key: 'loss#1' }), code: 'BAD_USER_INPUT', message: /key "loss#1" must be 1-255/, field: 'points[0]' },
      { name: 'a timestamp that is not ISO-8601', patch: onePoint({ timestamp: 'yesterday' }), code: 'BAD_USER_INPUT', message: /DateTime must be an ISO-8601 string with a time zone/ },
      { name: 'a timestamp without a time zone', patch: onePoint({ timestamp: '2025-01-01T00:00:00' }), code: 'BAD_USER_INPUT', message: /DateTime must be an ISO-8601 string with a time zone/ },
      { name: 'an impossible date', patch: onePoint({ timestamp: '2025-13-45T00:00:00Z' }), code: 'BAD_USER_INPUT', message: /DateTime is not a valid date/ },
      {
        name: 'one bad point at the end of an otherwise valid batch',
        patch: args({ points: [...Array.from({ length: 500 }, (_, step) => point({ step })), point({ step: -5 })] }),
        code: 'BAD_USER_INPUT',
        message: /points\[500\]\.step must be an integer/,
        field: 'points[500]',
      },
      { name: 'a run that does not exist', patch: args({ runId: MISSING_ID }), code: 'NOT_FOUND', message: /Run .+ does not exist/ },
      { name: 'a run id that is not an id', patch: args({ runId: 'run-1' }), code: 'BAD_USER_INPUT', message: /"run-1" is not a valid run id/, field: 'runId' },
      {
        name: 'a run that has finished',
        patch: (v: Data) => v,
        before: async (v: Data) => dataOf(await api.gql(`mutation($id: ID!) { finishRun(id: $id, status: SUCCEEDED) { id } }`, { id: v['runId'] })),
        code: 'CONFLICT',
        message: /is SUCCEEDED; metrics can only be logged while it is active/,
      },
    ],
  );

  const LOG_SERIES = `mutation($runId: ID!, $points: [MetricPointInput!], $series: [MetricSeriesInput!]) {
    logMetrics(runId: $runId, points: $points, series: $series) { accepted duplicates }
  }`;
  const column = (length: number, from = 0) => Array.from({ length }, (_, index) => from + index);
  const lossSeries = (patch: Data = {}) => ({ key: 'loss', steps: [0, 1, 2], values: [0.9, 0.5, 0.4], ...patch });
  const seriesOf = (...series: Data[]) => args({ series });

  // The columnar form of the same mutation (the data key, and so the name, is still logMetrics).
  describe('with series', () =>
    describeMutation(
    'logMetrics',
    {
      document: LOG_SERIES,
      valid: async () => ({
        runId: await aRun(api),
        series: [lossSeries(), { key: 'val/acc', steps: [2], values: [0.8], timestamps: ['2025-01-01T00:00:00Z'] }],
      }),
    },
    [
      {
        name: 'more values than steps',
        patch: seriesOf(lossSeries(), { key: 'val/acc', steps: [0, 1], values: [0.1, 0.2, 0.3] }),
        code: 'BAD_USER_INPUT',
        message: /^series\[1\] \("val\/acc"\) has 2 steps but 3 values; they must be as many$/,
        field: 'series[1]',
      },
      {
        name: 'fewer timestamps than steps',
        patch: seriesOf(lossSeries({ timestamps: ['2025-01-01T00:00:00Z'] })),
        code: 'BAD_USER_INPUT',
        message: /^series\[0\] \("loss"\) has 3 steps but 1 timestamps; they must be as many$/,
        field: 'series[0]',
      },
      {
        name: '10,001 points over two series',
        patch: seriesOf(
          { key: 'loss', steps: column(5_000), values: column(5_000) },
          { key: 'acc', steps: column(5_001), values: column(5_001) },
        ),
        code: 'BAD_USER_INPUT',
        message: /at most 10000 points per call \(got 10001\)/,
        field: 'series',
      },
      { name: 'an empty list of series', patch: seriesOf(), code: 'BAD_USER_INPUT', message: /series must not be empty/, field: 'series' },
      { name: 'a series without points', patch: seriesOf(lossSeries(), lossSeries({ key: 'acc', steps: [], values: [] })), code: 'BAD_USER_INPUT', message: /^series\[1\] \("acc"\) has no points$/, field: 'series[1]' },
      { name: 'points and series together', patch: args({ points: [point()] }), code: 'BAD_USER_INPUT', message: /give points or series, not both/, field: 'series' },
      { name: 'neither points nor series', patch: args({ series: null }), code: 'BAD_USER_INPUT', message: /give the points to log, as points or as series/, field: 'points' },
      { name: 'a negative step in the second series', patch: seriesOf(lossSeries(), lossSeries({ key: 'acc', steps: [0, 1, -2] })), code: 'BAD_USER_INPUT', message: /^series\[1\]\.steps\[2\] must be an integer between 0 and 2147483647$/, field: 'series[1]' },
      { name: 'a key with a forbidden character', patch: seriesOf(lossSeries({ key: 'loss#1' })), code: 'BAD_USER_INPUT', message: /^series\[0\]\.key "loss#1" must be 1-255/, field: 'series[0]' },
      { name: 'the string "NaN" as a value', patch: seriesOf(lossSeries({ values: [1, 'NaN', 2] })), code: 'BAD_USER_INPUT', message: /Float cannot represent non numeric value: "NaN"/ },
      { name: 'Infinity as a value', patch: seriesOf(lossSeries({ values: [1, Infinity, 2] })), code: 'BAD_USER_INPUT', message: /Float cannot represent non numeric value: Infinity/ },
      { name: 'a null step', patch: seriesOf(lossSeries({ steps: [0, null, 2] })), code: 'BAD_USER_INPUT', message: /Expected non-nullable type "Int!" not to be null/ },
      { name: 'a fractional step', patch: seriesOf(lossSeries({ steps: [0, 1.5, 2] })), code: 'BAD_USER_INPUT', message: /Int cannot represent non-integer value: 1.5/ },
      { name: 'a timestamp without a time zone', patch: seriesOf(lossSeries({ timestamps: ['2025-01-01T00:00:00Z', '2025-01-01T00:00:00', '2025-01-01T00:00:00Z'] })), code: 'BAD_USER_INPUT', message: /DateTime must be an ISO-8601 string with a time zone/ },
      { name: 'a run that does not exist', patch: args({ runId: MISSING_ID }), code: 'NOT_FOUND', message: /Run .+ does not exist/ },
      {
        name: 'a run that has finished',
        patch: (v: Data) => v,
        before: async (v: Data) => dataOf(await api.gql(`mutation($id: ID!) { finishRun(id: $id, status: SUCCEEDED) { id } }`, { id: v['runId'] })),
        code: 'CONFLICT',
        message: /is SUCCEEDED; metrics can only be logged while it is active/,
      },
    ],
  ),
  );

  it('logMetrics accepts exactly 10,000 points over several series, the documented maximum', async () => {
    const runId = await aRun(api);
    const series = [
      { key: 'loss', steps: column(4_000), values: column(4_000) },
      { key: 'acc', steps: column(6_000), values: column(6_000) },
    ];
    const reply = await gql(LOG_SERIES, { runId, series });
    expect(reply.body.data?.['logMetrics']).toEqual({ accepted: 10_000, duplicates: 0 });
  });

  it('logMetrics accepts exactly 10,000 points, the documented maximum', async () => {
    const runId = await aRun(api);
    const reply = await gql(LOG, { runId, points: Array.from({ length: 10_000 }, (_, step) => point({ step })) });
    expect(reply.body.data?.['logMetrics']).toEqual({ accepted: 10_000, duplicates: 0 });
  });

  describeMutation(
    'finishRun',
    {
      document: `mutation($id: ID!, $status: RunStatus!, $error: String) { finishRun(id: $id, status: $status, error: $error) { id } }`,
      valid: async () => ({ id: await aRun(api), status: 'FAILED', error: 'CUDA out of memory' }),
    },
    [
      {
        name: 'finishing a run that has already finished',
        patch: (v: Data) => v,
        before: async (v: Data) => dataOf(await api.gql(`mutation($id: ID!) { finishRun(id: $id, status: SUCCEEDED) { id } }`, { id: v['id'] })),
        code: 'CONFLICT',
        message: /Run .+ has already finished/,
      },
      { name: 'RUNNING as a final status', patch: args({ status: 'RUNNING' }), code: 'BAD_USER_INPUT', message: /status must be one of SUCCEEDED, FAILED, CANCELLED/, field: 'status' },
      { name: 'QUEUED as a final status', patch: args({ status: 'QUEUED' }), code: 'BAD_USER_INPUT', message: /status must be one of SUCCEEDED, FAILED, CANCELLED/, field: 'status' },
      { name: 'a status that does not exist', patch: args({ status: 'DONE' }), code: 'BAD_USER_INPUT', message: /Value "DONE" does not exist in "RunStatus" enum/ },
      { name: 'a run that does not exist', patch: args({ id: MISSING_ID }), code: 'NOT_FOUND', message: /Run .+ does not exist/ },
      { name: 'a run id that is not an id', patch: args({ id: 'latest' }), code: 'BAD_USER_INPUT', message: /"latest" is not a valid run id/ },
      { name: 'an error message longer than 10,000 characters', patch: args({ error: 'e'.repeat(10_001) }), code: 'BAD_USER_INPUT', message: /error is longer than 10000 characters/, field: 'error' },
      { name: 'an error message containing a NUL character', patch: args({ error: 'bad\u0000byte' }), code: 'BAD_USER_INPUT', message: /error must not contain NUL/, field: 'error' },
    ],
  );

  // ─── evaluations ──────────────────────────────────────────────────────────────────────────────

  const RECORD = `mutation($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { id } }`;
  describeMutation(
    'recordEvaluation',
    {
      document: RECORD,
      async valid() {
        const model = await aModel(api).withVersions(2).create();
        const datasetVersion = await aDatasetVersion(api);
        return {
          input: {
            model: model.name,
            version: 2,
            datasetVersionId: datasetVersion.id,
            split: 'test',
            metrics: { accuracy: 0.93, f1: 0.91 },
            confusionMatrix: [
              [40, 2],
              [5, 33],
            ],
            labels: ['cat', 'dog'],
          },
        };
      },
    },
    [
      {
        name: 'a second evaluation of the same version, dataset version and split',
        patch: (v: Data) => v,
        before: async (v: Data) => dataOf(await api.gql(RECORD, { input: { ...v['input'], metrics: { accuracy: 0.5 } } })),
        code: 'CONFLICT',
        message: /already has an evaluation on this dataset version and split "test"/,
      },
      { name: 'a model that does not exist', patch: inInput({ model: uniqueName('missing') }), code: 'NOT_FOUND', message: /Model ".+" does not exist/ },
      { name: 'a version number that does not exist', patch: inInput({ version: 3 }), code: 'NOT_FOUND', message: /has no version 3/ },
      { name: 'version 0', patch: inInput({ version: 0 }), code: 'BAD_USER_INPUT', message: /version must be a positive integer/, field: 'version' },
      { name: 'a dataset version that does not exist', patch: inInput({ datasetVersionId: MISSING_ID }), code: 'NOT_FOUND', message: /Dataset version .+ does not exist/ },
      { name: 'a dataset version id that is not an id', patch: inInput({ datasetVersionId: 'v1' }), code: 'BAD_USER_INPUT', message: /datasetVersionId "v1" is not a valid id/, field: 'datasetVersionId' },
      {
        name: 'a dataset version of another project',
        patch: async (v: Data) => inInput({ datasetVersionId: (await aDatasetVersion(api, await createProject(api))).id })(v),
        code: 'NOT_FOUND',
        message: /Dataset version .+ does not exist in project "default"/,
      },
      { name: 'an empty split', patch: inInput({ split: '' }), code: 'BAD_USER_INPUT', message: /split "" is invalid/, field: 'split' },
      { name: 'a split with a space', patch: inInput({ split: 'test set' }), code: 'BAD_USER_INPUT', message: /split "test set" is invalid/, field: 'split' },
      { name: 'no metrics at all', patch: inInput({ metrics: {} }), code: 'BAD_USER_INPUT', message: /metrics must hold between 1 and 200 values/, field: 'metrics' },
      {
        name: 'more than 200 metrics',
        patch: inInput({ metrics: Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`m${i}`, i])) }),
        code: 'BAD_USER_INPUT',
        message: /metrics must hold between 1 and 200 values/,
        field: 'metrics',
      },
      { name: 'metrics given as an array', patch: inInput({ metrics: [0.93] }), code: 'BAD_USER_INPUT', message: /metrics must be an object of metric name to number/, field: 'metrics' },
      { name: 'a metric given as a numeric string', patch: inInput({ metrics: { accuracy: '0.93' } }), code: 'BAD_USER_INPUT', message: /metric "accuracy" must be a finite number/, field: 'metrics' },
      { name: 'the string "NaN" as a metric', patch: inInput({ metrics: { accuracy: 'NaN' } }), code: 'BAD_USER_INPUT', message: /metric "accuracy" must be a finite number/, field: 'metrics' },
      { name: '1e999 (Infinity once parsed) as a metric', patch: inInput({ metrics: { loss: Infinity } }), code: 'BAD_USER_INPUT', message: /metric "loss" must be a finite number/, field: 'metrics' },
      { name: 'a null metric', patch: inInput({ metrics: { accuracy: null } }), code: 'BAD_USER_INPUT', message: /metric "accuracy" must be a finite number/, field: 'metrics' },
      { name: 'a metric name with a space', patch: inInput({ metrics: { 'top 1': 0.9 } }), code: 'BAD_USER_INPUT', message: /metric name "top 1" is invalid/, field: 'metrics' },
      {
        name: 'a confusion matrix with a short row',
        patch: inInput({ confusionMatrix: [[40, 2], [5]] }),
        code: 'BAD_USER_INPUT',
        message: /confusionMatrix must be square/,
        field: 'confusionMatrix',
      },
      {
        name: 'a confusion matrix that is not square',
        patch: inInput({
          confusionMatrix: [
            [1, 2, 3],
            [4, 5, 6],
          ],
        }),
        code: 'BAD_USER_INPUT',
        message: /confusionMatrix must be square/,
        field: 'confusionMatrix',
      },
      { name: 'an empty confusion matrix', patch: inInput({ confusionMatrix: [] }), code: 'BAD_USER_INPUT', message: /confusionMatrix must have 1 to 1000 rows/, field: 'confusionMatrix' },
      {
        name: 'a negative cell in the confusion matrix',
        patch: inInput({
          confusionMatrix: [
            [40, -2],
            [5, 33],
          ],
        }),
        code: 'BAD_USER_INPUT',
        message: /confusionMatrix cells must be non-negative integers/,
        field: 'confusionMatrix',
      },
      {
        name: 'a fractional cell in the confusion matrix',
        patch: inInput({
          confusionMatrix: [
            [40, 2.5],
            [5, 33],
          ],
        }),
        code: 'BAD_USER_INPUT',
        message: /Int cannot represent non-integer value: 2.5/,
      },
      {
        name: '1e999 (Infinity once parsed) as a confusion matrix cell',
        patch: inInput({
          confusionMatrix: [
            [Infinity, 2],
            [5, 33],
          ],
        }),
        code: 'BAD_USER_INPUT',
        message: /Int cannot represent non-integer value: Infinity/,
      },
      { name: 'fewer labels than classes', patch: inInput({ labels: ['cat'] }), code: 'BAD_USER_INPUT', message: /labels has 1 entries but confusionMatrix is 2x2/, field: 'labels' },
      { name: 'a label containing a NUL character', patch: inInput({ labels: ['cat', 'd\u0000g'] }), code: 'BAD_USER_INPUT', message: /labels must not contain NUL/, field: 'labels' },
    ],
  );

  // ─── deployments ──────────────────────────────────────────────────────────────────────────────

  const DEPLOYMENT_NAME_ERRORS = [
    { name: 'an empty name', value: '' },
    { name: 'a name with upper-case letters', value: 'Fraud' },
    { name: 'a name with a dot', value: 'fraud.v2' },
    { name: "a name ending in '-'", value: 'fraud-' },
    { name: 'a name longer than 63 characters', value: 'a'.repeat(64) },
    { name: 'a name with a slash', value: 'a/../b' },
  ];

  describeMutation(
    'createDeployment',
    {
      document: `mutation($input: CreateDeploymentInput!) { createDeployment(input: $input) { id } }`,
      valid: async () => {
        const model = await aDeployableModel(api, { versions: 1 });
        return { input: { name: uniqueName('dep'), model: model.name, version: 1 } };
      },
    },
    [
      ...DEPLOYMENT_NAME_ERRORS.map(({ name, value }) => ({
        name,
        patch: inInput({ name: value }),
        code: 'BAD_USER_INPUT' as const,
        message: /must be 1-63 lowercase letters, digits and '-'/,
        field: 'name',
      })),
      { name: 'both version and alias', patch: inInput({ alias: 'champion' }), code: 'BAD_USER_INPUT', message: /exactly one of version and alias/ },
      { name: 'neither version nor alias', patch: inInput({ version: null }), code: 'BAD_USER_INPUT', message: /exactly one of version and alias/ },
      { name: 'a version that does not exist', patch: inInput({ version: 7 }), code: 'NOT_FOUND', message: /has no version 7/ },
      { name: 'version 0', patch: inInput({ version: 0 }), code: 'BAD_USER_INPUT', message: /positive integer/, field: 'version' },
      { name: 'a model that does not exist', patch: inInput({ model: uniqueName('model') }), code: 'NOT_FOUND', message: /does not exist/ },
      { name: 'a canary policy without an alias', patch: inInput({ canary: { weight: 10 } }), code: 'BAD_USER_INPUT', message: /follow an alias/, field: 'canary' },
      ...[
        ['maxBatchSize', 0],
        ['maxBatchSize', 1025],
        ['maxQueueDelayMs', -1],
        ['maxQueueDelayMs', 1001],
        ['maxQueueSize', 0],
      ].map(([key, value]) => ({
        name: `batching.${key} ${value}`,
        patch: inInput({ batching: { [key as string]: value } }),
        code: 'BAD_USER_INPUT' as const,
        message: new RegExp(`batching\\.${key} must be an integer between`),
        field: `batching.${key}`,
      })),
      {
        name: 'a request-log retention of 0 hours',
        patch: inInput({ requestLogRetentionHours: 0 }),
        code: 'BAD_USER_INPUT',
        message: /requestLogRetentionHours must be an integer between 1 and 2160/,
        field: 'requestLogRetentionHours',
      },
      {
        name: 'a name that is already taken',
        patch: (v: Data) => v,
        before: async (v: Data) => aDeployment(api, { name: v['input'].model, project: 'default' }, { name: v['input'].name }),
        code: 'CONFLICT',
        message: /is taken \(names are unique across projects\)/,
        field: 'name',
      },
    ],
  );

  describeMutation(
    'setDeploymentCanary',
    {
      document: `mutation($name: String!, $version: Int!, $weight: Int!, $analysis: CanaryAnalysisInput) {
        setDeploymentCanary(name: $name, version: $version, weight: $weight, analysis: $analysis) { id }
      }`,
      valid: async () => {
        const deployment = await aDeployment(api, await aDeployableModel(api, { versions: 2 }));
        return { name: deployment.name, version: 2, weight: 10 };
      },
    },
    [
      { name: 'a weight of -1', patch: args({ weight: -1 }), code: 'BAD_USER_INPUT', message: /weight must be an integer between 0 and 100/, field: 'weight' },
      { name: 'a weight of 101', patch: args({ weight: 101 }), code: 'BAD_USER_INPUT', message: /weight must be an integer between 0 and 100/, field: 'weight' },
      { name: 'the stable version', patch: args({ version: 1 }), code: 'CONFLICT', message: /already the stable revision/, field: 'version' },
      { name: 'a deployment that does not exist', patch: args({ name: uniqueName('missing') }), code: 'NOT_FOUND', message: /does not exist/ },
      { name: 'an invalid deployment name', patch: args({ name: 'Not A Name' }), code: 'BAD_USER_INPUT', message: /lowercase letters/, field: 'name' },
      ...[
        ['minRequests', 0],
        ['maxErrorRateDelta', 1.5],
        ['maxErrorRateDelta', -0.1],
        ['maxLatencyP99Ratio', 0.5],
        ['intervalSeconds', 0],
        ['windowSeconds', 5],
      ].map(([key, value]) => ({
        name: `analysis.${key} ${value}`,
        patch: args({ analysis: { [key as string]: value } }),
        code: 'BAD_USER_INPUT' as const,
        message: new RegExp(`analysis\\.${key} must be`),
        field: `analysis.${key}`,
      })),
    ],
  );

  describeMutation(
    'rollbackDeployment',
    {
      document: `mutation($name: String!, $to: Int) { rollbackDeployment(name: $name, toRevision: $to) { id } }`,
      valid: async () => {
        const deployment = await aDeployment(api, await aDeployableModel(api, { versions: 2 }));
        dataOf(await api.gql(`mutation($n: String!) { setDeploymentCanary(name: $n, version: 2, weight: 5) { id } }`, { n: deployment.name }));
        return { name: deployment.name };
      },
    },
    [
      { name: 'a revision that does not exist', patch: args({ to: 3 }), code: 'NOT_FOUND', message: /has no revision 3/, field: 'toRevision' },
      { name: 'revision 0', patch: args({ to: 0 }), code: 'BAD_USER_INPUT', message: /toRevision must be a positive integer/, field: 'toRevision' },
    ],
  );

  describeMutation(
    'createDeploymentKey',
    {
      document: `mutation($deployment: String!, $name: String!) { createDeploymentKey(deployment: $deployment, name: $name) { key } }`,
      valid: async () => ({ deployment: (await aDeployment(api, await aDeployableModel(api, { versions: 1 }))).name, name: 'ci' }),
    },
    [
      ...NAME_ERRORS('name', 64).map(({ name, value, message }) => ({ name, patch: args({ name: value }), code: 'BAD_USER_INPUT' as const, message, field: 'name' })),
      { name: 'a deployment that does not exist', patch: args({ deployment: uniqueName('missing') }), code: 'NOT_FOUND', message: /does not exist/, field: 'deployment' },
    ],
  );

  describe('predict', () => {
    const PREDICT = `mutation($d: String!, $instances: JSON!) { predict(deployment: $d, instances: $instances) { revision } }`;

    it.each([
      ['instances that are not a list', { age: 1 }, /instances must be a non-empty JSON array/, 'instances'],
      ['an empty list of instances', [], /instances must be a non-empty JSON array/, 'instances'],
      ['more than 1,024 instances', Array.from({ length: 1025 }, () => ({ age: 1 })), /At most 1024 instances/, 'instances'],
      // Refused by the JSON scalar itself, as every JSON argument is.
      ['instances nested too deep', [JSON.parse('{"a":'.repeat(40) + '1' + '}'.repeat(40))], /\$instances.*nest/, undefined],
    ])('rejects %s before asking a serving process', async (_what, instances, message, field) => {
      const { name } = await aDeployment(api, await aDeployableModel(api, { versions: 1 }));
      await expectRejected(() => gql(PREDICT, { d: name, instances }), { code: 'BAD_USER_INPUT', message, ...(field ? { field } : {}) });
    });

    it('answers NOT_FOUND for a deployment that does not exist', async () => {
      await expectRejected(() => gql(PREDICT, { d: uniqueName('missing'), instances: [{ age: 1 }] }), { code: 'NOT_FOUND', message: /does not exist/ });
    });
  });

  // ─── reads: pagination and arguments ──────────────────────────────────────────────────────────

  describe('list arguments', () => {
    const LISTS: Record<string, string> = {
      models: `query($first: Int, $after: String) { models(first: $first, after: $after) { edges { cursor } } }`,
      datasets: `query($first: Int, $after: String) { datasets(first: $first, after: $after) { edges { cursor } } }`,
      runs: `query($first: Int, $after: String) { runs(first: $first, after: $after) { edges { cursor } } }`,
      auditEvents: `query($first: Int, $after: String) { auditEvents(first: $first, after: $after) { edges { cursor } } }`,
    };
    const LIST_NAMES = Object.keys(LISTS);

    it.each(LIST_NAMES.flatMap((list) => [0, -1, 101].map((first) => [list, first] as const)))('%s rejects first: %i with BAD_USER_INPUT', async (list, first) => {
      await expectRejected(() => gql(LISTS[list]!, { first }), { code: 'BAD_USER_INPUT', message: /first must be between 1 and 100/, field: 'first' });
    });

    it.each(LIST_NAMES)('%s rejects a first beyond 32 bits with BAD_USER_INPUT', async (list) => {
      await expectRejected(() => gql(LISTS[list]!, { first: 1e10 }), { code: 'BAD_USER_INPUT', message: /Int cannot represent non 32-bit signed integer/ });
    });

    const BAD_CURSORS: [string, string][] = [
      ['a string that is not base64 JSON', 'not-a-cursor'],
      ['an empty string', ''],
      ['a cursor holding an object', cursorOf({ name: 'x' })],
      ['a cursor holding a number where a string is expected', cursorOf(12)],
    ];
    it.each(LIST_NAMES.flatMap((list) => BAD_CURSORS.map(([what, after]) => [list, what, after] as const)))(
      '%s rejects as after %s with BAD_USER_INPUT',
      async (list, _what, after) => {
        await expectRejected(() => gql(LISTS[list]!, { after }), { code: 'BAD_USER_INPUT', message: /after is not a cursor returned by this list/, field: 'after' });
      },
    );

    it('runs rejects a cursor taken from another list, or with an id that is not a uuid', async () => {
      await aModel(api).create();
      const models = await gql(LISTS['models']!, { first: 1 });
      const modelCursor: string = models.body.data!['models'].edges[0].cursor;
      for (const after of [modelCursor, cursorOf('2025-01-01T00:00:00.000Z|not-a-uuid'), cursorOf(`not-a-date|${MISSING_ID}`)]) {
        await expectRejected(() => gql(LISTS['runs']!, { after }), { code: 'BAD_USER_INPUT', message: /after is not a cursor returned by this list/, field: 'after' });
      }
    });

    it('auditEvents rejects a cursor that is not an event id, or overflows one', async () => {
      for (const after of [cursorOf('12a'), cursorOf('-1'), cursorOf('99999999999999999999999'), cursorOf('9223372036854775808')]) {
        await expectRejected(() => gql(LISTS['auditEvents']!, { after }), { code: 'BAD_USER_INPUT', message: /after is not a cursor returned by this list/, field: 'after' });
      }
    });

    it('models rejects a cursor holding a NUL character', async () => {
      await expectRejected(() => gql(LISTS['models']!, { after: cursorOf('a\u0000') }), { code: 'BAD_USER_INPUT', message: /after is not a cursor/, field: 'after' });
    });

    it.each([
      ['a fraction', 1.5],
      ['a number beyond 32 bits', 1e300],
      ['a string', 'two'],
    ] as const)('version lists reject a cursor holding %s', async (_what, key) => {
      const model = await aModel(api).withVersions(2).create();
      const dataset = await aDatasetVersion(api);
      const after = cursorOf(key);
      await expectRejected(
        () => gql(`query($n: String!, $after: String) { model(name: $n) { versions(after: $after) { edges { cursor } } } }`, { n: model.name, after }),
        { code: 'BAD_USER_INPUT', message: /after is not a cursor returned by this list/, field: 'after' },
      );
      await expectRejected(
        () => gql(`query($n: String!, $after: String) { dataset(name: $n) { versions(after: $after) { edges { cursor } } } }`, { n: dataset.dataset, after }),
        { code: 'BAD_USER_INPUT', message: /after is not a cursor returned by this list/, field: 'after' },
      );
    });

    it('version lists reject first outside 1..100', async () => {
      const model = await aModel(api).withVersions(1).create();
      await expectRejected(() => gql(`query($n: String!) { model(name: $n) { versions(first: 0) { edges { cursor } } } }`, { n: model.name }), {
        code: 'BAD_USER_INPUT',
        message: /first must be between 1 and 100/,
        field: 'first',
      });
    });

    it('pages on right after the last item with a cursor the API returned', async () => {
      const model = await aModel(api).withVersions(3).create();
      const first = await gql(`query($n: String!) { model(name: $n) { versions(first: 2) { edges { node { number } } pageInfo { endCursor hasNextPage } } } }`, { n: model.name });
      const page = first.body.data!['model'].versions;
      expect(page.edges.map((edge: Data) => edge.node.number)).toEqual([3, 2]);
      expect(page.pageInfo.hasNextPage).toBe(true);
      const next = await gql(`query($n: String!, $a: String) { model(name: $n) { versions(first: 2, after: $a) { edges { node { number } } pageInfo { hasNextPage } } } }`, {
        n: model.name,
        a: page.pageInfo.endCursor,
      });
      expect(next.body.data!['model'].versions).toEqual({ edges: [{ node: { number: 1 } }], pageInfo: { hasNextPage: false } });
    });

    it('rejects a chart with fewer than 10 or more than 10,000 points', async () => {
      const runId = await aRun(api);
      for (const maxPoints of [9, 10_001]) {
        await expectRejected(() => gql(`query($id: ID!, $m: Int) { run(id: $id) { metrics(key: "loss", maxPoints: $m) { totalPoints } } }`, { id: runId, m: maxPoints }), {
          code: 'BAD_USER_INPUT',
          message: /maxPoints must be between 10 and 10000/,
          field: 'maxPoints',
        });
      }
    });

    it.each([
      ['both number and alias', '(number: 1, alias: "prod")'],
      ['neither number nor alias', ''],
    ])('rejects asking for a model version by %s', async (_what, selector) => {
      const model = await aModel(api).withVersions(1).create();
      await expectRejected(() => gql(`query($n: String!) { model(name: $n) { version${selector} { number } } }`, { n: model.name }), {
        code: 'BAD_USER_INPUT',
        message: /^Pass exactly one of number or alias$/,
      });
    });
  });

  // ─── the transport ────────────────────────────────────────────────────────────────────────────

  describe('request bodies', () => {
    it('answers a body that is not JSON with 400 BAD_USER_INPUT', async () => {
      const reply = await expectRejected(() => send('{"query": "{ viewer { user { name } } }",'), { code: 'BAD_USER_INPUT', message: /^The request body is not valid JSON$/ });
      expect(reply.status).toBe(400);
    });

    it('answers a JSON body that is a bare string with 400 BAD_USER_INPUT', async () => {
      const reply = await expectRejected(() => send('"{ viewer { user { name } } }"'), { code: 'BAD_USER_INPUT', message: /not valid JSON/ });
      expect(reply.status).toBe(400);
    });

    it('answers a body without a query with 400 BAD_REQUEST', async () => {
      const reply = await expectRejected(() => send('{}'), { code: 'BAD_REQUEST', message: /POST body missing|no keys/ });
      expect(reply.status).toBe(400);
    });

    it('answers variables of the wrong shape with 400 BAD_USER_INPUT', async () => {
      const reply = await expectRejected(
        () => gql(`mutation($input: RegisterModelInput!) { registerModel(input: $input) { id } }`, { input: 'my-model' }),
        { code: 'BAD_USER_INPUT', message: /Variable "\$input" got invalid value "my-model"; Expected type "RegisterModelInput" to be an object/ },
      );
      expect(reply.status).toBe(400);
    });

    it('never sends a stack trace or a file path, whatever goes wrong', async () => {
      const replies = await Promise.all([
        send('{"query": '),
        send('{"query": "mutation { "}'),
        send('{"query": "{ viewer { nope } }"}'),
        send(toJson({ query: LOG, variables: { runId: MISSING_ID, points: [{ key: 'loss', step: 0, value: Infinity }] } })),
        send(toJson({ query: LOG, variables: { runId: MISSING_ID, points: [point()] } })),
        send(toJson({ query: `mutation { createRun(input: { name: "" }) { id } }` })),
        send(toJson({ query: `{ viewer { user { name } } }` }), { authorization: 'Bearer not-a-real-token' }),
        send(toJson({ query: `{ viewer { user { name } } }` }), { authorization: 'Basic YWRtaW46YWRtaW4=' }),
        send(toJson({ query: `{ models(first: 1000) { edges { cursor } } }` })),
      ]);
      for (const reply of replies) {
        expect(reply.body.errors?.length ?? 0, reply.text).toBeGreaterThan(0);
        expectNoStackTrace(reply);
      }
    });
  });
});
