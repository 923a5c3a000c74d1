import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError, type DomainErrorReason } from '@lepton/registry';
import type { GraphQLFormattedError } from 'graphql';

/** SERVICE_UNAVAILABLE: a serving process did not answer a prediction, or had not loaded the deployment yet (retry). */
export type ErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'SERVICE_UNAVAILABLE';

/** The one mapping from domain reasons to the stable codes clients see (`extensions.code`). */
const CODE_OF_REASON: Record<DomainErrorReason, ErrorCode> = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  RUN_OWNED_BY_WORKER: 'FORBIDDEN',
  RUN_NOT_OWNED: 'CONFLICT',
  ARTIFACT_OUTSIDE_STORE: 'BAD_USER_INPUT',
  MODEL_VERSION_NOT_DEPLOYABLE: 'BAD_USER_INPUT',
  SERVING_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  DEPLOYMENT_NOT_READY: 'SERVICE_UNAVAILABLE',
  DATASET_VERSION_NOT_READY: 'BAD_USER_INPUT',
};

export function errorCode(reason: DomainErrorReason): ErrorCode {
  return CODE_OF_REASON[reason];
}

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
 * The one place errors leave the server: domain errors get their code from their reason (a
 * specific reason is also shown as `extensions.reason`), GraphQL's own errors keep theirs,
 * anything else becomes an opaque INTERNAL_SERVER_ERROR (logged here with its stack, never sent).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  if (original instanceof DomainError) {
    const code = errorCode(original.reason);
    const reason = original.reason === code ? {} : { reason: original.reason };
    return { ...base, message: original.message, extensions: { code, ...reason, ...original.details } };
  }
  const code = formatted.extensions?.['code'];
  if (typeof code === 'string' && PASS_THROUGH.has(code)) {
    const field = formatted.extensions?.['field'];
    return { ...base, extensions: { code, ...(typeof field === 'string' ? { field } : {}) } };
  }
  console.error('[api] unexpected error', original);
  return { message: 'Internal server error', ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
