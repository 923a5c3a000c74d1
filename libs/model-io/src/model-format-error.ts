/** Model files that are not a loadable TF.js layers model (or not safely readable); callers map `code` to their transport. */
export class ModelFormatError extends Error {
  readonly code = 'BAD_USER_INPUT';

  constructor(
    message: string,
    /** The offending file or manifest entry, e.g. `model.json` or `weights.bin`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ModelFormatError';
  }
}
