/** A key, prefix or URI the store refuses; the message is safe to show to the caller. */
export class ArtifactKeyError extends Error {
  readonly code = 'BAD_USER_INPUT';

  constructor(message: string) {
    super(message);
    this.name = 'ArtifactKeyError';
  }
}

export class ArtifactNotFoundError extends Error {
  readonly code = 'NOT_FOUND';

  constructor(readonly key: string) {
    super(`Artifact "${key}" does not exist`);
    this.name = 'ArtifactNotFoundError';
  }
}
