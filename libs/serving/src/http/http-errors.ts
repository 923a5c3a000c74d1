import { InferenceError } from '@lepton/inference';
import { DomainError } from '@lepton/registry';

/** Stable codes of serving's error answers (the GraphQL API's codes, plus the HTTP-only ones). */
export type ServingErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

/** A refusal decided by the HTTP layer itself (body limits, JSON, routes, readiness). */
export class ServingHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ServingErrorCode,
    message: string,
    readonly extra: { field?: string; retryAfterSeconds?: number; allow?: string } = {},
  ) {
    super(message);
    this.name = 'ServingHttpError';
  }
}

export const badRequest = (field: string, problem: string) =>
  new ServingHttpError(400, 'BAD_USER_INPUT', `${field}: ${problem}`, { field });
export const tooLarge = (field: string, problem: string) =>
  new ServingHttpError(413, 'PAYLOAD_TOO_LARGE', `${field}: ${problem}`, { field });
export const notReady = (message: string, retryAfterSeconds = 1) =>
  new ServingHttpError(503, 'UNAVAILABLE', message, { retryAfterSeconds });

export interface ErrorAnswer {
  status: number;
  body: { error: string; code: ServingErrorCode; field?: string };
  headers: Record<string, string>;
  /** Unexpected: log it (the client only sees a generic message). */
  unexpected?: unknown;
}

const DOMAIN_STATUS: Partial<Record<DomainError['reason'], [number, ServingErrorCode]>> = {
  BAD_USER_INPUT: [400, 'BAD_USER_INPUT'],
  UNAUTHENTICATED: [401, 'UNAUTHENTICATED'],
  FORBIDDEN: [403, 'FORBIDDEN'],
  NOT_FOUND: [404, 'NOT_FOUND'],
};

/** The one mapper from errors to serving's HTTP answers: statuses, stable codes, Retry-After; no stack traces. */
export function errorAnswer(error: unknown): ErrorAnswer {
  const answer = (
    status: number,
    code: ServingErrorCode,
    message: string,
    field?: string,
    headers: Record<string, string> = {},
  ) => ({
    status,
    body: { error: message, code, ...(field !== undefined ? { field } : {}) },
    headers,
  });
  if (error instanceof ServingHttpError) {
    const headers: Record<string, string> = {};
    if (error.extra.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.extra.retryAfterSeconds);
    if (error.extra.allow) headers['allow'] = error.extra.allow;
    return answer(error.status, error.code, error.message, error.extra.field, headers);
  }
  if (error instanceof InferenceError) {
    switch (error.reason) {
      case 'INVALID_INPUT':
        return answer(400, 'BAD_USER_INPUT', error.message, error.field);
      case 'TOO_MANY_INSTANCES':
        return answer(413, 'PAYLOAD_TOO_LARGE', error.message, error.field);
      case 'QUEUE_FULL': {
        const retryAfter = 'retryAfterSeconds' in error ? Number(error.retryAfterSeconds) : 1;
        return answer(503, 'UNAVAILABLE', error.message, undefined, { 'retry-after': String(retryAfter) });
      }
      case 'MODEL_OUTSIDE_STORE':
      case 'MODEL_INVALID':
        return answer(503, 'UNAVAILABLE', `The model cannot be served: ${error.message}`, undefined, {
          'retry-after': '5',
        });
      case 'PREDICTION_FAILED':
        return {
          ...answer(500, 'INTERNAL_SERVER_ERROR', 'The model failed to compute the batch this request was in'),
          unexpected: error,
        };
    }
  }
  if (error instanceof DomainError) {
    const mapped = DOMAIN_STATUS[error.reason];
    if (mapped) {
      const headers: Record<string, string> = mapped[0] === 401 ? { 'www-authenticate': 'Bearer' } : {};
      const field = typeof error.details['field'] === 'string' ? error.details['field'] : undefined;
      return answer(mapped[0], mapped[1], error.message, field, headers);
    }
  }
  return { ...answer(500, 'INTERNAL_SERVER_ERROR', 'Internal error; it has been logged'), unexpected: error };
}
