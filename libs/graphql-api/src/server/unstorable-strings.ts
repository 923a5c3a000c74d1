import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  isInputObjectType,
  Kind,
  typeFromAST,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type NamedTypeNode,
  type TypeNode,
} from 'graphql';

/** PostgreSQL text cannot hold NUL, so no argument may carry one anywhere (names, filters, JSON). */
const NUL = '\u0000';

/**
 * The path to a string (or key) containing NUL inside `value` — its top-level key only — or
 * undefined. Walks with an
 * explicit stack: this runs on raw variables before any limit applies, so nothing may recurse.
 */
function pathToNul(value: unknown): string[] | undefined {
  const stack: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: item, path } = stack.pop()!;
    if (typeof item === 'string') {
      if (item.includes(NUL)) return path;
    } else if (Array.isArray(item)) {
      for (let index = item.length - 1; index >= 0; index -= 1) stack.push({ value: item[index], path });
    } else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item);
      for (let index = entries.length - 1; index >= 0; index -= 1) {
        const [key, child] = entries[index]!;
        // Only the top-level key is reported (it names the input field), so deeper keys are not kept.
        const childPath = path.length === 0 ? [key] : path;
        if (key.includes(NUL)) return childPath;
        stack.push({ value: child, path: childPath });
      }
    }
  }
  return undefined;
}

function namedType(type: TypeNode): NamedTypeNode {
  let current = type;
  while (current.kind !== Kind.NAMED_TYPE) current = current.type;
  return current;
}

/**
 * Names the argument or input field whose value holds a NUL character, in the operation's
 * literals or its variables; undefined when there is none.
 */
export function findUnstorableString(schema: GraphQLSchema, document: DocumentNode, variables: unknown): string | undefined {
  let field: string | undefined;
  const argumentNames: string[] = [];
  visit(document, {
    Argument: { enter: (node) => void argumentNames.push(node.name.value), leave: () => void argumentNames.pop() },
    ObjectField: { enter: (node) => void argumentNames.push(node.name.value), leave: () => void argumentNames.pop() },
    StringValue: (node) => {
      if (!field && node.value.includes(NUL)) field = argumentNames.at(-1);
    },
    VariableDefinition: (node) => {
      if (field) return;
      const name = node.variable.name.value;
      const path = pathToNul((variables as Record<string, unknown> | undefined)?.[name]);
      if (!path) return;
      // For an input object, name its field (input.description → description); else the variable.
      const type = typeFromAST(schema, namedType(node.type));
      field = type && isInputObjectType(type) && path.length > 0 ? path[0] : name;
    },
  });
  return field === undefined ? undefined : `${field} must not contain NUL characters`;
}

function unstorable(message: string, status?: number): GraphQLError {
  const field = message.split(' ')[0];
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field, ...(status ? { http: { status } } : {}) } });
}

/** Checked once per operation, before any resolver runs, so no lookup ever sends a NUL to SQL. */
export function rejectUnstorableStrings(schema: GraphQLSchema): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const message = findUnstorableString(schema, document, request.variables);
          if (message) throw unstorable(message, 400);
        },
      };
    },
  };
}

export function unstorableStringError(message: string): GraphQLError {
  return unstorable(message);
}
