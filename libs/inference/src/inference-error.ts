/**
 * Why inference refused or failed. Transports map reasons to their own codes in one place
 * (apps/serving: libs/serving's http/error-response.ts).
 */
export type InferenceErrorReason =
  /** A request field is missing, unknown, of the wrong type, or an image of the wrong size. */
  | 'INVALID_INPUT'
  /** More instances in one request than the deployment can ever queue. */
  | 'TOO_MANY_INSTANCES'
  /** The batcher's queue is full right now: back off and retry. */
  | 'QUEUE_FULL'
  /** The version's artifact URI does not resolve to a key inside the platform's artifact store. */
  | 'MODEL_OUTSIDE_STORE'
  /** The model's files are missing, oversized, not a TF.js layers model, or disagree with the dataset. */
  | 'MODEL_INVALID'
  /** The model could not compute a batch. */
  | 'PREDICTION_FAILED';

export class InferenceError extends Error {
  constructor(
    readonly reason: InferenceErrorReason,
    message: string,
    /** The offending request field, e.g. `instances[3].age` (INVALID_INPUT). */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'InferenceError';
  }
}

/** Backpressure: the queue holds `maxQueueSize` instances already; try again after `retryAfterSeconds`. */
export class QueueFullError extends InferenceError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('QUEUE_FULL', message);
    this.name = 'QueueFullError';
  }
}

export const invalidInput = (field: string, problem: string) =>
  new InferenceError('INVALID_INPUT', `${field}: ${problem}`, field);
export const invalidModel = (message: string) => new InferenceError('MODEL_INVALID', message);
