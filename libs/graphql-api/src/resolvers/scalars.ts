import { jsonLimitMessage, jsonLimitViolation, JSON_LIMITS } from '@lepton/util';
import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped, type ValueNode } from 'graphql';

function toDate(value: unknown): Date {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw new GraphQLError(`DateTime must be an ISO-8601 string with a time zone, got "${String(value).slice(0, 40)}"`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  if (Number.isNaN(date.getTime())) {
    throw new GraphQLError('DateTime is not a valid date', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return date;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize: (value) => toDate(value).toISOString(),
  parseValue: toDate,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    return toDate(ast.value);
  },
});

/** A JSON value within JSON_LIMITS (depth and size), or BAD_USER_INPUT; GraphQL adds the argument's path. */
function withinLimits(value: unknown): unknown {
  const violation = jsonLimitViolation(value);
  if (violation) throw new GraphQLError(jsonLimitMessage('The JSON value', violation), { extensions: { code: 'BAD_USER_INPUT' } });
  return value;
}

/** Nesting depth of a literal, walked with a stack (valueFromASTUntyped recurses, so it runs only after this). */
function literalTooDeep(ast: ValueNode): boolean {
  const stack: { node: ValueNode; depth: number }[] = [{ node: ast, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (node.kind !== Kind.LIST && node.kind !== Kind.OBJECT) continue;
    if (depth >= JSON_LIMITS.maxDepth) return true;
    const children = node.kind === Kind.LIST ? node.values : node.fields.map((field) => field.value);
    for (const child of children) stack.push({ node: child, depth: depth + 1 });
  }
  return false;
}

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: withinLimits,
  parseLiteral: (ast, variables) => {
    if (literalTooDeep(ast)) throw new GraphQLError(jsonLimitMessage('The JSON value', 'depth'), { extensions: { code: 'BAD_USER_INPUT' } });
    return withinLimits(valueFromASTUntyped(ast, variables));
  },
});
