import { createLocalArtifactStore } from '@lepton/artifacts';
import { NotificationBus, openDatabase } from '@lepton/db';
import { aTrainingRun, dataOf, startTestApi, type TestApi } from '@lepton/graphql-api/testing';
import { JobQueue } from '@lepton/jobs';
import {
  createRegistry,
  isDomainError,
  MAX_LOST_LEASES,
  type Registry,
  type RunLease,
  type TrainedVersion,
} from '@lepton/registry';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** What one worker process holds: its own pool, LISTEN connection, queue and registry. */
interface WorkerSide {
  registry: Registry;
  close(): Promise<void>;
}

async function workerSide(url: string, artifactsDir: string): Promise<WorkerSide> {
  const db = openDatabase(url, { maxConnections: 4 });
  const bus = new NotificationBus(url, db.pool);
  const queue = await JobQueue.start(url, { log: () => undefined });
  const registry = createRegistry(db, bus, {
    artifacts: createLocalArtifactStore(artifactsDir),
    queue: async () => queue,
  });
  return {
    registry,
    async close() {
      await queue.stop({ graceful: false, timeoutMs: 1000 });
      await db.close();
    },
  };
}

const TRAINED: TrainedVersion = {
  artifactUri: 'file:///nowhere/model',
  framework: 'tfjs-layers',
  inputSignature: { shape: [null, 1], dtype: 'float32', preprocessing: { kind: 'tabular', columns: [], labelColumn: 'y' } },
  outputSignature: { shape: [null, 1], dtype: 'float32', classes: ['a'] },
  description: 'fenced',
  tags: [],
  lineage: {
    runId: 'fenced',
    datasetVersionId: 'fenced',
    datasetContentSha256: '0'.repeat(64),
    spec: { architecture: 'mlp' },
    hyperparameters: { epochs: 1, batchSize: 1, learningRate: 0.1, optimizer: 'adam', seed: 1, earlyStoppingPatience: 0 },
    seed: 1,
    backend: 'cpu',
    device: 'CPU',
    libraries: {},
    backendChoice: { reason: 'fixture', trials: [] },
    gitCommit: null,
    workerId: 'fenced',
    attempt: 1,
    epochsCompleted: 1,
    stoppedEarly: false,
    bestEpoch: null,
    resumedFromEpoch: null,
    samplesPerSecond: 0,
  },
  evaluation: {
    split: 'test',
    metrics: { accuracy: 1 },
    confusionMatrix: [[1]],
    labels: ['a'],
    targets: [0],
    predictions: [0],
    scores: [],
  },
};

describe('worker writes fenced by lease (worker id and attempt)', () => {
  let api: TestApi;
  let artifactsDir: string;
  let a: WorkerSide;
  let b: WorkerSide;

  beforeAll(async () => {
    api = await startTestApi();
    artifactsDir = mkdtempSync(path.join(tmpdir(), 'lepton-fencing-'));
    [a, b] = await Promise.all([workerSide(api.db.url, artifactsDir), workerSide(api.db.url, artifactsDir)]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await api.close();
    rmSync(artifactsDir, { recursive: true, force: true });
  });

  const runRow = async (id: string) =>
    (
      await api.db.pool.query<{
        status: string;
        worker_id: string | null;
        attempt: number;
        job_id: string;
        error: string | null;
        lost_leases: number;
      }>('SELECT status, worker_id, attempt, job_id, error, lost_leases FROM run WHERE id = $1', [id])
    ).rows[0]!;
  const count = async (sql: string, id: string) => (await api.db.pool.query<{ n: number }>(sql, [id])).rows[0]!.n;
  const pointsOf = (id: string) => count('SELECT count(*)::int AS n FROM metric_point WHERE run_id = $1', id);
  const versionsOf = (id: string) => count('SELECT count(*)::int AS n FROM model_version WHERE source_run_id = $1', id);
  const claimAs = async (side: WorkerSide, runId: string, workerId: string, leaseSeconds: number) =>
    side.registry.trainingWorker.claim({ runId, jobId: (await runRow(runId)).job_id }, workerId, leaseSeconds);

  /** Until the database's clock is past the run's lease. */
  async function leaseExpired(runId: string): Promise<void> {
    for (;;) {
      const { rows } = await api.db.pool.query<{ expired: boolean }>(
        'SELECT lease_expires_at < now() AS expired FROM run WHERE id = $1',
        [runId],
      );
      if (rows[0]!.expired) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function refused(write: Promise<unknown>): Promise<void> {
    const error = await write.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(isDomainError(error, 'RUN_NOT_OWNED'), String(error)).toBe(true);
  }

  it('lets a stale worker write nothing once another worker took its run over', async () => {
    const { id: runId } = await aTrainingRun(api);
    const claimedByA = (await claimAs(a, runId, 'worker-a', 0.5))!;
    const stale: RunLease = claimedByA.lease;
    expect(stale.attempt).toBe(1);
    await a.registry.trainingWorker.report(stale, { progress: 0.25, etaAt: new Date(Date.now() + 60_000) });
    expect(
      await a.registry.trainingWorker.logMetrics(stale, [{ key: 'loss', step: 0, value: 1, timestamp: Date.now() }]),
    ).toBe(1);

    await leaseExpired(runId);
    const lost = dataOf(
      await api.gql<{ run: Record<string, unknown> }>(
        `query($id: ID!) { run(id: $id) { status lease { state } eta etaSeconds } }`,
        { id: runId },
      ),
    ).run;
    expect(lost).toEqual({ status: 'RUNNING', lease: { state: 'LOST' }, eta: null, etaSeconds: null });
    expect(await b.registry.trainingWorker.reapExpiredLeases()).toEqual([
      { runId, workerId: 'worker-a', attempt: 1, outcome: 'requeued' },
    ]);
    const holder = (await claimAs(b, runId, 'worker-b', 30))!.lease;
    expect(holder.attempt).toBe(2);

    await refused(a.registry.trainingWorker.report(stale, { progress: 0.9, etaAt: null }));
    await refused(
      a.registry.trainingWorker.logMetrics(stale, [{ key: 'loss', step: 1, value: 0.5, timestamp: Date.now() }]),
    );
    await refused(a.registry.trainingWorker.fail(stale, 'stale failure'));
    await refused(a.registry.trainingWorker.cancelled(stale));
    await refused(a.registry.trainingWorker.release(stale));
    await refused(a.registry.trainingWorker.succeed(stale, TRAINED));
    expect(await pointsOf(runId)).toBe(1);
    expect(await versionsOf(runId)).toBe(0);
    expect(await runRow(runId)).toMatchObject({ status: 'RUNNING', worker_id: 'worker-b', attempt: 2, error: null });

    expect(
      await b.registry.trainingWorker.logMetrics(holder, [{ key: 'loss', step: 1, value: 0.5, timestamp: Date.now() }]),
    ).toBe(1);
    await b.registry.trainingWorker.succeed(holder, TRAINED);
    await refused(b.registry.trainingWorker.succeed(holder, TRAINED));
    await refused(a.registry.trainingWorker.succeed(stale, TRAINED));
    expect(await versionsOf(runId)).toBe(1);
    expect(await runRow(runId)).toMatchObject({ status: 'SUCCEEDED', attempt: 2 });
  });

  it('delivers a run to one of two workers claiming the same job, and never on an older job', async () => {
    const { id: runId } = await aTrainingRun(api);
    const jobId = (await runRow(runId)).job_id;
    const claims = await Promise.all([
      a.registry.trainingWorker.claim({ runId, jobId }, 'worker-a', 30),
      b.registry.trainingWorker.claim({ runId, jobId }, 'worker-b', 30),
    ]);
    expect(claims.filter((claim) => claim !== null)).toHaveLength(1);
    const holder = claims.find((claim) => claim !== null)!.lease;
    await a.registry.trainingWorker.release(holder);
    expect((await runRow(runId)).job_id).not.toBe(jobId);
    expect(await b.registry.trainingWorker.claim({ runId, jobId }, 'worker-b', 30)).toBeNull();
    expect((await claimAs(b, runId, 'worker-b', 30))!.lease.attempt).toBe(2);
  });

  it('hands each expired run back exactly once when every worker reaps at the same time', async () => {
    const runIds = await Promise.all([aTrainingRun(api), aTrainingRun(api), aTrainingRun(api)]).then((runs) =>
      runs.map((run) => run.id),
    );
    for (const runId of runIds) await claimAs(a, runId, 'worker-a', 0.3);
    for (const runId of runIds) await leaseExpired(runId);
    const passes = await Promise.all([a, b, a, b].map((side) => side.registry.trainingWorker.reapExpiredLeases()));
    const reaped = passes.flat().filter((run) => runIds.includes(run.runId));
    expect(reaped.map((run) => run.runId).sort()).toEqual([...runIds].sort());
    for (const runId of runIds) {
      expect(
        await count(
          `SELECT count(*)::int AS n FROM audit_event WHERE target_id = $1 AND action = 'training.leaseLost'`,
          runId,
        ),
      ).toBe(1);
      expect(await runRow(runId)).toMatchObject({ status: 'RUNNING', worker_id: null, lost_leases: 1 });
    }
  });

  it(`fails a run that lost its worker more than ${MAX_LOST_LEASES} times`, async () => {
    const { id: runId } = await aTrainingRun(api);
    await api.db.pool.query('UPDATE run SET lost_leases = $2 WHERE id = $1', [runId, MAX_LOST_LEASES]);
    await claimAs(a, runId, 'worker-a', 0.3);
    await leaseExpired(runId);
    const reaped = (await b.registry.trainingWorker.reapExpiredLeases()).filter((run) => run.runId === runId);
    expect(reaped).toEqual([{ runId, workerId: 'worker-a', attempt: 1, outcome: 'failed' }]);
    const run = await runRow(runId);
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/lost its worker 6 times.*retryRun/);
  });

  it('ends a run asked to stop while its worker was lost as CANCELLED, and cancels a waiting run at once', async () => {
    const { id: runId } = await aTrainingRun(api);
    await claimAs(a, runId, 'worker-a', 0.3);
    dataOf(await api.gql(`mutation($id: ID!) { cancelRun(id: $id) { id } }`, { id: runId }));
    await leaseExpired(runId);
    expect((await b.registry.trainingWorker.reapExpiredLeases()).filter((run) => run.runId === runId)).toEqual([
      { runId, workerId: 'worker-a', attempt: 1, outcome: 'cancelled' },
    ]);
    expect((await runRow(runId)).status).toBe('CANCELLED');

    const { id: waitingId } = await aTrainingRun(api);
    const lease = (await claimAs(a, waitingId, 'worker-a', 30))!.lease;
    await a.registry.trainingWorker.release(lease);
    const cancelled = dataOf(
      await api.gql<{ cancelRun: { status: string } }>(`mutation($id: ID!) { cancelRun(id: $id) { status } }`, {
        id: waitingId,
      }),
    );
    expect(cancelled.cancelRun.status).toBe('CANCELLED');
    expect(
      await b.registry.trainingWorker.claim(
        { runId: waitingId, jobId: (await runRow(waitingId)).job_id },
        'worker-b',
        30,
      ),
    ).toBeNull();
  });

  it('sends the job of a waiting run again when its job is gone', async () => {
    const { id: runId } = await aTrainingRun(api);
    const lostJob = (await runRow(runId)).job_id;
    await api.db.pool.query(`UPDATE pgboss.job SET state = 'failed' WHERE id = $1`, [lostJob]);
    expect(await a.registry.trainingWorker.resendUndelivered()).toContain(runId);
    const resent = (await runRow(runId)).job_id;
    expect(resent).not.toBe(lostJob);
    expect(await a.registry.trainingWorker.resendUndelivered()).not.toContain(runId);
    expect((await claimAs(b, runId, 'worker-b', 30))!.lease.attempt).toBe(1);
  });
});
