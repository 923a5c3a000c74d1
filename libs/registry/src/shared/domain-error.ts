/**
 * Why the domain refused an operation. The first five are generic; the others name a rule. Each
 * transport turns reasons into its own codes in one mapper (GraphQL: graphql-api's server/errors.ts).
 */
export type DomainErrorReason =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  /** A client tried to write a training run: only the worker holding it writes it. */
  | 'RUN_OWNED_BY_WORKER'
  /** A worker wrote a run it no longer holds (its lease passed to another worker, or the run ended). */
  | 'RUN_NOT_OWNED'
  /** A model version's artifactUri points outside the project's models in the artifact store. */
  | 'ARTIFACT_OUTSIDE_STORE'
  /** A model version that cannot be served: not READY, not TF.js layers, or no model.json. */
  | 'MODEL_VERSION_NOT_DEPLOYABLE'
  /** No serving process answered (none running, or unreachable). */
  | 'SERVING_UNAVAILABLE'
  /** The serving process has not loaded the deployment's revision yet, or its queue is full. */
  | 'DEPLOYMENT_NOT_READY'
  /** A dataset version still IMPORTING, or FAILED: nothing can train on or evaluate it. */
  | 'DATASET_VERSION_NOT_READY';

export class DomainError extends Error {
  constructor(
    readonly reason: DomainErrorReason,
    message: string,
    /** Safe, client-facing detail such as the offending field. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (message: string, details?: Record<string, unknown>) =>
  new DomainError('BAD_USER_INPUT', message, details);
export const notFound = (message: string, details?: Record<string, unknown>) =>
  new DomainError('NOT_FOUND', message, details);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new DomainError('CONFLICT', message, details);
export const forbidden = (message: string) => new DomainError('FORBIDDEN', message);
export const unauthenticated = (message: string) => new DomainError('UNAUTHENTICATED', message);

export function isDomainError(error: unknown, reason: DomainErrorReason): error is DomainError {
  return error instanceof DomainError && error.reason === reason;
}

/** Prisma's unique-constraint violation (P2002), however the driver adapter wraps it. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { code?: unknown; cause?: { code?: unknown; originalCode?: unknown } };
  return candidate.code === 'P2002' || candidate.cause?.originalCode === '23505' || candidate.code === '23505';
}

/** A foreign key violation (P2003 / 23503): the row referred to is gone. */
export function isForeignKeyViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { code?: unknown; cause?: { code?: unknown; originalCode?: unknown } };
  return candidate.code === 'P2003' || candidate.cause?.originalCode === '23503' || candidate.code === '23503';
}
