import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError } from '@lepton/registry';
import type { GraphQLFormattedError } from 'graphql';

/** Codes produced by GraphQL itself, Apollo or graphql-armor that are safe to show as they are. */
const PASS_THROUGH = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * The one place errors leave the server: domain errors keep their stable code and message,
 * GraphQL's own errors keep theirs, anything else becomes an opaque INTERNAL_SERVER_ERROR
 * (logged here with its stack, never sent).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  if (original instanceof DomainError) {
    return { ...base, message: original.message, extensions: { code: original.code, ...original.details } };
  }
  const code = formatted.extensions?.['code'];
  if (typeof code === 'string' && PASS_THROUGH.has(code)) {
    const field = formatted.extensions?.['field'];
    return { ...base, extensions: { code, ...(typeof field === 'string' ? { field } : {}) } };
  }
  console.error('[api] unexpected error', original);
  return { message: 'Internal server error', ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
