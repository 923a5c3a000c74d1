/** A request the trainer cannot honour as given (spec, hyperparameters, data, model files); callers map `code` to GraphQL. */
export class TrainerConfigError extends Error {
  readonly code = 'BAD_USER_INPUT';

  constructor(
    message: string,
    /** The offending input, as a dotted path such as `hyperparameters.batchSize`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'TrainerConfigError';
  }
}
