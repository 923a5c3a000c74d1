import fc from 'fast-check';
import {
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  getNamedType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../server/schema';
import { captureServerLog, STACK_OR_CRASH, startTestApi, type TestApi } from '../testing';

/** Strings a hostile client would try: NUL, lone surrogates, traversal, SQL, huge, numeric-looking, ids. */
const hostileString: fc.Arbitrary<string> = fc.oneof(
  // Valid-looking names get past validation into the services.
  fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 12 }),
  fc.uuid(),
  fc.constantFrom(
    '',
    'default',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udc00y',
    '../../../etc/passwd',
    "' OR 1=1 --",
    '%00',
    'x'.repeat(20_000),
    '9'.repeat(400),
    'NaN',
    '-1',
    '{"a":1}',
    '1970-01-01T00:00:00Z',
    'lep_0000000000000000000000000000000000000000000000000000',
  ),
);

/** A value nested `depth` levels (objects or arrays), built without recursion: just past the limit, or far past it. */
const deepJson = fc
  .tuple(fc.constantFrom(33, 1000, 5000, 20_000), fc.boolean(), fc.oneof(fc.constant<unknown>(1), hostileString))
  .map(([depth, arrays, leaf]) => {
    let value: unknown = leaf;
    for (let level = 0; level < depth; level += 1) value = arrays ? [value] : { k: value };
    return value;
  });

const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(hostileString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
  { arbitrary: deepJson, weight: 3 },
  fc.integer({ min: 10_000, max: 300_000 }).map((length) => ({ wide: Array.from({ length }, (_, index) => index) })),
);

/** An arbitrary for any input type of the schema: valid-looking values mixed with hostile ones. */
function arbitraryFor(type: GraphQLInputType): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return arbitraryFor(type.ofType);
  const nullable = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null, freq: 8 });
  if (isListType(type)) return nullable(fc.array(arbitraryFor(type.ofType), { maxLength: 4 }));
  if (isEnumType(type))
    return nullable(fc.oneof(fc.constantFrom(...type.getValues().map((value) => value.name)), hostileString));
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const shape = Object.fromEntries(fields.map((field) => [field.name, arbitraryFor(field.type)]));
    const requiredKeys = fields.filter((field) => isNonNullType(field.type)).map((field) => field.name);
    return nullable(fc.record(shape, { requiredKeys }));
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'String':
      case 'ID':
        return nullable(hostileString);
      case 'JSON':
        return nullable(hostileJson);
      case 'Int':
        return nullable(fc.oneof(fc.integer(), fc.constantFrom(0, -1, 1, 2 ** 31 - 1, 10_001)));
      case 'Float':
        return nullable(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0.5, 1e308)));
      case 'Boolean':
        return nullable(fc.boolean());
      case 'DateTime':
        return nullable(
          fc.oneof(
            fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
            hostileString,
          ),
        );
    }
  }
  throw new Error(`no arbitrary for input type ${String(type)}`);
}

/** JSON text of `value`, written with an explicit stack (JSON.stringify recurses and fails on deep values). */
function toJsonText(value: unknown): string {
  const out: string[] = [];
  const stack: unknown[] = [value];
  const RAW = Symbol('raw');
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'object' && item !== null && RAW in item) out.push((item as { [RAW]: string })[RAW]);
    else if (Array.isArray(item)) {
      stack.push({ [RAW]: ']' });
      for (let index = item.length - 1; index >= 0; index -= 1) {
        stack.push(item[index] === undefined ? null : item[index]);
        if (index > 0) stack.push({ [RAW]: ',' });
      }
      out.push('[');
    } else if (typeof item === 'object' && item !== null) {
      const entries = Object.entries(item).filter(([, child]) => child !== undefined);
      stack.push({ [RAW]: '}' });
      for (let index = entries.length - 1; index >= 0; index -= 1) {
        stack.push(entries[index]![1]);
        stack.push({ [RAW]: `${index > 0 ? ',' : ''}${JSON.stringify(entries[index]![0])}:` });
      }
      out.push('{');
    } else out.push(JSON.stringify(item) ?? 'null');
  }
  return out.join('');
}

interface Operation {
  name: string;
  document: string;
  variables: fc.Arbitrary<Record<string, unknown>>;
}

/** One operation per Query and Mutation field, every argument a variable. */
function operations(): Operation[] {
  const schema = buildSchema();
  const roots: [string, GraphQLObjectType | null | undefined][] = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ];
  return roots.flatMap(([kind, root]) =>
    Object.values(root!.getFields())
      .filter((field: GraphQLField<unknown, unknown>) => !field.deprecationReason)
      .map((field) => {
        const declarations = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
        const call = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
        const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
        const shape = Object.fromEntries(field.args.map((arg) => [arg.name, arbitraryFor(arg.type)]));
        const requiredKeys = field.args.filter((arg) => isNonNullType(arg.type)).map((arg) => arg.name);
        return {
          name: `${kind} ${field.name}`,
          document: `${kind}${declarations ? `(${declarations})` : ''} { ${field.name}${call ? `(${call})` : ''}${selection} }`,
          variables: fc.record(shape, { requiredKeys }) as fc.Arbitrary<Record<string, unknown>>,
        };
      }),
  );
}

describe('fuzzing every argument of every query and mutation', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it.each(operations().map((operation) => [operation.name, operation] as const))(
    '%s never answers 500 and never logs a stack trace',
    async (_name, operation) => {
      const log = captureServerLog();
      try {
        await fc.assert(
          fc.asyncProperty(operation.variables, async (variables) => {
            const logged = log.lines().length;
            const response = await fetch(api.url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${api.adminToken}` },
              body: `{"query":${JSON.stringify(operation.document)},"variables":${toJsonText(variables)}}`,
            });
            const text = await response.text();
            expect(response.status, text.slice(0, 300)).toBeLessThan(500);
            expect(text).not.toMatch(/INTERNAL_SERVER_ERROR|stacktrace|\bat \/|node_modules/);
            expect(log.lines().slice(logged).filter((line) => STACK_OR_CRASH.test(line))).toEqual([]);
          }),
          { numRuns: 40 },
        );
      } finally {
        log.stop();
      }
    },
    120_000,
  );
});
