/** A training configuration or model file that cannot be honoured as given; callers map `code` to GraphQL. */
export class ModelConfigError extends Error {
  readonly code = 'BAD_USER_INPUT';

  constructor(
    message: string,
    /** The offending input, as a dotted path such as `hyperparameters.batchSize`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ModelConfigError';
  }
}
