import pg from 'pg';

/**
 * A PostgreSQL session-level advisory lock held on its own connection, for "exactly one process
 * does this" loops. The lock lives as long as the connection: a process that dies (even kill -9)
 * drops its connection and so the lock, and another process's next tryAcquire() gets it.
 */
export class SessionLock {
  private client?: pg.Client;
  private held = false;

  constructor(
    private readonly url: string,
    private readonly key: number,
  ) {}

  get isHeld(): boolean {
    return this.held;
  }

  /** Takes the lock if it is free (or already ours); false while another session holds it. */
  async tryAcquire(): Promise<boolean> {
    if (this.held) return true;
    if (!this.client) {
      const client = new pg.Client({ connectionString: this.url });
      // A broken connection means the lock is gone with it; the next call reconnects.
      client.on('error', () => this.drop(client));
      client.on('end', () => this.drop(client));
      await client.connect();
      this.client = client;
    }
    const { rows } = await this.client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      this.key,
    ]);
    this.held = rows[0]?.locked === true;
    return this.held;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.held = false;
    await client?.end().catch(() => undefined);
  }

  private drop(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.held = false;
    client.end().catch(() => undefined);
  }
}
