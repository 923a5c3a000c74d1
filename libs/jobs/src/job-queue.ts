import PgBoss from 'pg-boss';
import pgBossVersion from 'pg-boss/version.json';
import pg from 'pg';

export const TRAINING_QUEUE = 'lepton-training';
export const IMPORT_QUEUE = 'lepton-import';
/** The schema pg-boss keeps its tables in. */
export const QUEUE_SCHEMA = 'pgboss';

export interface TrainingJobData {
  runId: string;
}

export interface TrainingJob {
  id: string;
  runId: string;
  /** Aborted when the queue stops (SIGTERM): stop at the next batch and hand the run back. */
  signal: AbortSignal;
}

export interface ImportJobData {
  datasetVersionId: string;
}

export interface ImportJob {
  id: string;
  datasetVersionId: string;
  /** Aborted when the queue stops: the import stops, removes its files and is delivered again later. */
  signal: AbortSignal;
}

/** A Prisma interactive transaction (or client): jobs sent through it exist exactly when it commits. */
export interface SqlTransaction {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

export interface JobQueueOptions {
  /** How often an idle worker slot asks for a job (a requeue in this process wakes it at once). */
  pollingIntervalSeconds?: number;
  /** Deliveries of one job before pg-boss gives up on it (a worker died between fetching and claiming). */
  deliveryAttempts?: number;
  log?: (line: string) => void;
}

/**
 * How long a fetched job may stay unclaimed before pg-boss hands it out again. A job is only a
 * delivery: the worker completes it in the same transaction that claims the run, and from then on
 * the run's lease (not the job) says who trains it.
 */
const DELIVERY_SECONDS = 30;
/**
 * An import job stays active while a worker parses it (no lease: the version's heartbeat says whether
 * its worker lives, see DatasetImportWorkerService.failStale). This only bounds how long a job a
 * crashed worker held waits before pg-boss hands it out again.
 */
const IMPORT_DELIVERY_SECONDS = 4 * 3600;

/**
 * The training queue, on pg-boss 10 (the last major that supports Node 20): jobs live in
 * PostgreSQL (schema `pgboss`), so any number of workers on any machine that reaches the database
 * share them. pg-boss 10 has no job heartbeats; liveness is the run's lease instead (see the
 * registry's TrainingWorkerService), which hands the run back to this queue when it expires.
 */
export class JobQueue {
  private stopping = new AbortController();
  private readonly slots: Promise<void>[] = [];
  private readonly sleepers = new Set<() => void>();

  private constructor(
    private readonly boss: PgBoss,
    private readonly options: Required<JobQueueOptions>,
  ) {}

  static async start(databaseUrl: string, options: JobQueueOptions = {}): Promise<JobQueue> {
    const resolved: Required<JobQueueOptions> = {
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
      deliveryAttempts: options.deliveryAttempts ?? 5,
      log: options.log ?? ((line) => console.log(`[queue] ${line}`)),
    };
    const boss = new PgBoss({
      connectionString: databaseUrl,
      schema: QUEUE_SCHEMA,
      max: 4,
      // Cron schedules are unused; the timekeeper would only poll the clock.
      schedule: false,
      maintenanceIntervalSeconds: DELIVERY_SECONDS,
    });
    boss.on('error', (error: Error) => console.error(`[queue] ${error.message}`));
    // pg-boss's own schema setup and createQueue deadlock when processes start at the same moment
    // (CI saw it with an API and two workers): one process at a time sets the queue up.
    await withStartupLock(databaseUrl, async (client) => {
      await retireNewerSchema(client, resolved.log);
      await boss.start();
      for (const queue of [TRAINING_QUEUE, IMPORT_QUEUE]) {
        if (!(await boss.getQueue(queue))) await boss.createQueue(queue);
      }
    });
    return new JobQueue(boss, resolved);
  }

  /**
   * Queues a training job. Given `transaction` (a Prisma interactive transaction), the job is
   * inserted in it: it exists exactly when the caller's transaction commits.
   */
  async enqueueTraining(runId: string, transaction?: SqlTransaction): Promise<string> {
    const id = await this.boss.send(TRAINING_QUEUE, { runId } satisfies TrainingJobData, {
      ...connection(transaction),
      retryLimit: this.options.deliveryAttempts - 1,
      retryDelay: 1,
      expireInSeconds: DELIVERY_SECONDS,
    });
    if (!id) throw new Error(`Could not enqueue training job for run ${runId}`);
    return id;
  }

  /** Queues a dataset import; with `transaction`, it exists exactly when that transaction commits. */
  async enqueueImport(datasetVersionId: string, transaction?: SqlTransaction): Promise<string> {
    const id = await this.boss.send(IMPORT_QUEUE, { datasetVersionId } satisfies ImportJobData, {
      ...connection(transaction),
      retryLimit: this.options.deliveryAttempts - 1,
      retryDelay: 1,
      expireInSeconds: IMPORT_DELIVERY_SECONDS,
    });
    if (!id) throw new Error(`Could not enqueue the import of dataset version ${datasetVersionId}`);
    return id;
  }

  /** Withdraws a job that was not delivered yet (a no-op for one that was). */
  async cancel(jobId: string, transaction?: SqlTransaction): Promise<void> {
    await this.boss.cancel(TRAINING_QUEUE, jobId, connection(transaction));
  }

  /** Whether the job still waits to be delivered (or was delivered and not finished). */
  async isPending(jobId: string): Promise<boolean> {
    const job = await this.boss.getJobById(TRAINING_QUEUE, jobId);
    return job !== null && ['created', 'retry', 'active'].includes(job.state);
  }

  /** Marks a delivered job done (a no-op for a job that is not active). */
  async complete(jobId: string, transaction?: SqlTransaction): Promise<void> {
    await this.boss.complete(TRAINING_QUEUE, jobId, {}, connection(transaction));
  }

  /**
   * Runs `handler` for training jobs, `concurrency` at a time in this process. A job is completed
   * when its handler returns and failed (delivered again, up to deliveryAttempts) when it throws.
   */
  workTraining(handler: (job: TrainingJob) => Promise<void>, concurrency = 1): void {
    for (let slot = 0; slot < concurrency; slot += 1) {
      this.slots.push(
        this.workSlot<TrainingJobData>(TRAINING_QUEUE, (job) =>
          handler({ id: job.id, runId: job.data.runId, signal: this.stopping.signal }),
        ),
      );
    }
  }

  /** Runs `handler` for import jobs, `concurrency` at a time in this process (completed and failed as workTraining's). */
  workImports(handler: (job: ImportJob) => Promise<void>, concurrency = 1): void {
    for (let slot = 0; slot < concurrency; slot += 1) {
      this.slots.push(
        this.workSlot<ImportJobData>(IMPORT_QUEUE, (job) =>
          handler({ id: job.id, datasetVersionId: job.data.datasetVersionId, signal: this.stopping.signal }),
        ),
      );
    }
  }

  /** Makes idle slots of this process ask for a job now instead of at their next poll. */
  wake(): void {
    for (const wakeUp of this.sleepers) wakeUp();
  }

  /**
   * Stops taking jobs. Graceful: running handlers see their signal aborted and are awaited (up to
   * timeoutMs); otherwise they are left to the run leases.
   */
  async stop(options: { graceful: boolean; timeoutMs?: number } = { graceful: true }): Promise<void> {
    this.stopping.abort();
    this.wake();
    const timeoutMs = options.timeoutMs ?? 30_000;
    if (options.graceful) await Promise.race([Promise.all(this.slots), sleep(timeoutMs)]);
    await this.boss.stop({ graceful: false, wait: true, timeout: timeoutMs });
  }

  private async workSlot<T extends object>(
    queue: string,
    handler: (job: PgBoss.Job<T>) => Promise<void>,
  ): Promise<void> {
    while (!this.stopping.signal.aborted) {
      let job: PgBoss.Job<T> | undefined;
      try {
        [job] = await this.boss.fetch<T>(queue, { batchSize: 1 });
      } catch (error) {
        console.error(`[queue] fetching from ${queue} failed: ${message(error)}`);
      }
      if (!job) {
        await this.idle();
        continue;
      }
      try {
        await handler(job);
        await this.boss.complete(queue, job.id);
      } catch (error) {
        console.error(`[queue] job ${job.id} failed: ${message(error)}`);
        await this.boss.fail(queue, job.id, { message: message(error) }).catch((failure: unknown) => {
          console.error(`[queue] could not hand job ${job.id} back: ${message(failure)}`);
        });
      }
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.options.pollingIntervalSeconds * 1000);
      this.sleepers.add(done);
    });
  }
}

/** A queue started on first use and stopped with the process; `get` is what the registry takes. */
export function lazyJobQueue(databaseUrl: string, options: JobQueueOptions = {}) {
  let started: Promise<JobQueue> | undefined;
  return {
    get: (): Promise<JobQueue> => (started ??= JobQueue.start(databaseUrl, options)),
    async stop(): Promise<void> {
      if (started) await (await started).stop({ graceful: false, timeoutMs: 5_000 });
    },
  };
}

function connection(transaction: SqlTransaction | undefined): { db?: PgBoss.Db } {
  if (!transaction) return {};
  return {
    db: {
      async executeSql(text: string, values: unknown[] = []) {
        // Job data goes to a jsonb parameter; Prisma binds plain objects as text only when serialised.
        const bound = values.map((value) =>
          value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
            ? JSON.stringify(value)
            : value,
        );
        const rows = await transaction.$queryRawUnsafe<unknown[]>(text, ...bound);
        return { rows: Array.isArray(rows) ? rows : [] };
      },
    },
  };
}

/**
 * pg-boss refuses nothing when the schema was made by a newer pg-boss (Lepton used pg-boss 12
 * before it pinned 10 for Node 20): it would run its queries against tables it does not know. Such
 * a schema is renamed aside (kept, never dropped) so pg-boss creates its own; the workers then send
 * the jobs of waiting runs again (TrainingWorkerService.resendUndelivered).
 */
async function withStartupLock(databaseUrl: string, setUp: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext('lepton.jobs.start'))`);
    await setUp(client);
  } finally {
    // Ending the session releases the lock, also when setUp failed.
    await client.end();
  }
}

async function retireNewerSchema(client: pg.Client, log: (line: string) => void): Promise<void> {
  const exists = await client.query(`SELECT to_regclass($1) AS name`, [`${QUEUE_SCHEMA}.version`]);
  if (!exists.rows[0].name) return;
  const { rows } = await client.query<{ version: number }>(`SELECT version::int AS version FROM ${QUEUE_SCHEMA}.version`);
  const found = rows[0]?.version ?? 0;
  if (found > pgBossVersion.schema) {
    const retired = `${QUEUE_SCHEMA}_retired_v${found}_${Date.now()}`;
    await client.query(`ALTER SCHEMA ${QUEUE_SCHEMA} RENAME TO ${retired}`);
    log(`the job queue schema was made by a newer pg-boss (schema ${found}); kept it as ${retired} and created a new one`);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
