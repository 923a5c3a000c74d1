import { fromPrisma, PgBoss } from 'pg-boss';

export const TRAINING_QUEUE = 'lepton-training';

export interface TrainingJobData {
  runId: string;
}

export interface TrainingJob {
  id: string;
  runId: string;
  /** 0 for the first claim; +1 every time the job is claimed again (after a crash). */
  retryCount: number;
  signal: AbortSignal;
}

export interface JobQueueOptions {
  /** A worker that stops heartbeating this long loses the job to another worker. */
  heartbeatSeconds?: number;
  /** How often pg-boss looks for jobs whose heartbeat expired. */
  superviseIntervalSeconds?: number;
  /** Crash recoveries allowed per attempt (training errors are not retried; they fail the run). */
  retryLimit?: number;
  pollingIntervalSeconds?: number;
}

/**
 * The training queue, on pg-boss: jobs live in PostgreSQL (schema `pgboss`), so any number of
 * workers on any machine that reaches the database share them, and a worker that dies stops
 * heartbeating and its job is claimed again.
 */
export class JobQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly options: Required<JobQueueOptions>,
  ) {}

  static async start(databaseUrl: string, options: JobQueueOptions = {}): Promise<JobQueue> {
    const resolved: Required<JobQueueOptions> = {
      heartbeatSeconds: options.heartbeatSeconds ?? 30,
      superviseIntervalSeconds: options.superviseIntervalSeconds ?? 10,
      retryLimit: options.retryLimit ?? 5,
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
    };
    const boss = new PgBoss({
      connectionString: databaseUrl,
      schema: 'pgboss',
      max: 4,
      superviseIntervalSeconds: resolved.superviseIntervalSeconds,
    });
    boss.on('error', (error: Error) => console.error(`[queue] ${error.message}`));
    await boss.start();
    if (!(await boss.getQueue(TRAINING_QUEUE))) {
      await boss.createQueue(TRAINING_QUEUE).catch(async (error: unknown) => {
        // Another process created it between the check and now.
        if (!(await boss.getQueue(TRAINING_QUEUE))) throw error;
      });
    }
    return new JobQueue(boss, resolved);
  }

  /**
   * Queues a training job. Given `transaction` (a Prisma interactive transaction), the job is
   * inserted in it: it exists exactly when the caller's transaction commits.
   */
  async enqueueTraining(runId: string, transaction?: { $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> }): Promise<string> {
    const id = await this.boss.send(TRAINING_QUEUE, { runId } satisfies TrainingJobData, {
      ...(transaction ? { db: fromPrisma(transaction) } : {}),
      retryLimit: this.options.retryLimit,
      retryDelay: 1,
      heartbeatSeconds: this.options.heartbeatSeconds,
      // Heartbeats decide whether a job is alive; pg-boss also caps an attempt at 24 h, after
      // which the job is retried and the run resumes from its last checkpoint.
      expireInSeconds: 24 * 3600,
    });
    if (!id) throw new Error(`Could not enqueue training job for run ${runId}`);
    return id;
  }

  async cancel(jobId: string): Promise<void> {
    await this.boss.cancel(TRAINING_QUEUE, jobId);
  }

  /** Runs `handler` for training jobs, `concurrency` at a time in this process. */
  async workTraining(handler: (job: TrainingJob) => Promise<void>, concurrency = 1): Promise<void> {
    await this.boss.work<TrainingJobData>(
      TRAINING_QUEUE,
      { batchSize: 1, localConcurrency: concurrency, pollingIntervalSeconds: this.options.pollingIntervalSeconds },
      async ([job]) => {
        if (!job) return;
        await handler({ id: job.id, runId: job.data.runId, retryCount: job.retryCount, signal: job.signal });
      },
    );
  }

  async stop(options: { graceful: boolean; timeoutMs?: number } = { graceful: true }): Promise<void> {
    await this.boss.stop({ graceful: options.graceful, timeout: options.timeoutMs ?? 30_000 });
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
