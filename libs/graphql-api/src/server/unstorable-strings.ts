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

/** The first path (as keys) to a string containing NUL inside `value`, or undefined. */
function pathToNul(value: unknown, path: string[] = []): string[] | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path : undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = pathToNul(item, path);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes(NUL)) return [...path, key];
      const found = pathToNul(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

function namedType(type: TypeNode): NamedTypeNode {
  return type.kind === Kind.NAMED_TYPE ? type : namedType(type.type);
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
