import { openDatabase, type Database } from '@lepton/db';
import { createTestDatabase, type TestDatabase } from '@lepton/db/testing';
import { randomUUID } from 'node:crypto';
import pgBossVersion from 'pg-boss/version.json';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_QUEUE, JobQueue, QUEUE_SCHEMA, type TrainingJob } from './job-queue';

const quiet = { log: () => undefined, pollingIntervalSeconds: 0.2 };

describe('the training queue on pg-boss 10', () => {
  let database: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openDatabase(database.url);
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('keeps a queue schema made by a newer pg-boss aside and starts its own', async () => {
    const scratch = await createTestDatabase();
    const scratchDb = openDatabase(scratch.url);
    try {
      await scratchDb.pool.query(`CREATE SCHEMA ${QUEUE_SCHEMA}; CREATE TABLE ${QUEUE_SCHEMA}.version (version int);
        INSERT INTO ${QUEUE_SCHEMA}.version VALUES (46); CREATE TABLE ${QUEUE_SCHEMA}.job (kept int); INSERT INTO ${QUEUE_SCHEMA}.job VALUES (7)`);
      const queue = await JobQueue.start(scratch.url, quiet);
      const { rows } = await scratchDb.pool.query<{ version: number }>(
        `SELECT version::int AS version FROM ${QUEUE_SCHEMA}.version`,
      );
      expect(rows[0]!.version).toBe(pgBossVersion.schema);
      const retired = await scratchDb.pool.query<{ nspname: string }>(
        `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pgboss_retired_v46_%'`,
      );
      expect(retired.rows).toHaveLength(1);
      expect((await scratchDb.pool.query(`SELECT kept FROM ${retired.rows[0]!.nspname}.job`)).rows).toEqual([
        { kept: 7 },
      ]);
      expect(await queue.isPending(await queue.enqueueTraining(randomUUID()))).toBe(true);
      await queue.stop({ graceful: false });
    } finally {
      await scratchDb.close();
      await scratch.drop();
    }
  });

  it('starts in many processes at the same moment on a fresh database (pg-boss setup deadlocked in CI)', async () => {
    for (let round = 0; round < 3; round += 1) {
      const scratch = await createTestDatabase();
      try {
        const queues = await Promise.all(Array.from({ length: 8 }, () => JobQueue.start(scratch.url, quiet)));
        const jobId = await queues[7]!.enqueueTraining(randomUUID());
        expect(await queues[0]!.isPending(jobId)).toBe(true);
        await Promise.all(queues.map((queue) => queue.stop({ graceful: false })));
      } finally {
        await scratch.drop();
      }
    }
  });

  it("inserts a job in the caller's transaction: it exists exactly when the transaction commits", async () => {
    const queue = await JobQueue.start(database.url, quiet);
    try {
      let rolledBack = '';
      await db.prisma
        .$transaction(async (tx) => {
          rolledBack = await queue.enqueueTraining(randomUUID(), tx);
          throw new Error('roll back');
        })
        .catch(() => undefined);
      expect(await queue.isPending(rolledBack)).toBe(false);
      const committed = await db.prisma.$transaction((tx) => queue.enqueueTraining(randomUUID(), tx));
      expect(await queue.isPending(committed)).toBe(true);
      await queue.cancel(committed);
      expect(await queue.isPending(committed)).toBe(false);
    } finally {
      await queue.stop({ graceful: false });
    }
  });

  it('completes a job when its handler returns, delivers it again when it throws, and aborts handlers on stop', async () => {
    const queue = await JobQueue.start(database.url, quiet);
    const seen: string[] = [];
    let failOnce = true;
    let blocked: TrainingJob | undefined;
    queue.workTraining(async (job) => {
      seen.push(job.runId);
      if (job.runId === 'flaky' && failOnce) {
        failOnce = false;
        throw new Error('the database went away');
      }
      if (job.runId === 'long') {
        blocked = job;
        await new Promise((resolve) => job.signal.addEventListener('abort', resolve));
      }
    }, 2);
    const flaky = await queue.enqueueTraining('flaky');
    const plain = await queue.enqueueTraining('plain');
    const deadline = Date.now() + 20_000;
    while ((await queue.isPending(flaky)) || (await queue.isPending(plain))) {
      if (Date.now() > deadline) throw new Error(`jobs still pending; handled ${seen.join(',')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(seen.filter((runId) => runId === 'flaky')).toHaveLength(2);
    expect(seen.filter((runId) => runId === 'plain')).toHaveLength(1);

    const long = await queue.enqueueTraining('long');
    while (!blocked) await new Promise((resolve) => setTimeout(resolve, 50));
    await queue.stop({ graceful: true, timeoutMs: 10_000 });
    expect(blocked.signal.aborted).toBe(true);
    const checker = await JobQueue.start(database.url, quiet);
    expect(await checker.isPending(long)).toBe(false);
    await checker.stop({ graceful: false });
  });

  it('delivers import jobs only to import handlers, and inserts them in the caller\'s transaction', async () => {
    const queue = await JobQueue.start(database.url, quiet);
    try {
      const versionId = randomUUID();
      await db.prisma.$transaction(async (tx) => {
        await queue.enqueueImport(randomUUID(), tx);
        throw new Error('roll back');
      }).catch(() => undefined);
      await db.prisma.$transaction((tx) => queue.enqueueImport(versionId, tx));
      const trainings: string[] = [];
      const imports: string[] = [];
      queue.workTraining(async (job) => void trainings.push(job.runId));
      queue.workImports(async (job) => void imports.push(job.datasetVersionId));
      const deadline = Date.now() + 20_000;
      while (imports.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(imports).toEqual([versionId]);
      expect(trainings).toEqual([]);
      const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM ${QUEUE_SCHEMA}.job WHERE name = $1`, [IMPORT_QUEUE]);
      expect(rows[0].n).toBe(1);
    } finally {
      await queue.stop({ graceful: true, timeoutMs: 5_000 });
    }
  });
});
