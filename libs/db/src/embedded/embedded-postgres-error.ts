/**
 * The embedded PostgreSQL cannot start for a reason the user can fix. The message is one line that
 * says what is wrong and what to do; callers print it without a stack.
 */
export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}
