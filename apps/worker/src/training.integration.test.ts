import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNativeCandidates } from '@lepton/backends';
import { cifarRecord, tarFile } from '@lepton/datasets/testing';
import { dataOf, errorCode, startTestApi, type TestApi } from '@lepton/graphql-api/testing';

const ROOT = path.resolve(__dirname, '../../..');
const WORKER_MAIN = path.join(ROOT, 'apps/worker/src/main.ts');
const CLI = path.join(ROOT, 'apps/cli/bin/lepton.js');

/**
 * The workers' lease (LEPTON_HEARTBEAT_SECONDS): short, so a killed worker's run is reclaimed within
 * seconds. LEPTON_TEST_LEASE_SECONDS=30 measures the default's reclaim bound instead.
 */
const LEASE_SECONDS = Number(process.env['LEPTON_TEST_LEASE_SECONDS'] ?? 4);

const RUN = `query($id: ID!) {
  run(id: $id) {
    id status progress backend device attempt error params workerId metricKeys eta etaSeconds lease { state expiresAt }
    modelVersion { number artifactUri sourceRun { id } trainingDatasetVersion { id contentSha256 }
      evaluations { split metrics confusionMatrix labels } }
  }
}`;
const START = `mutation($input: StartTrainingInput!) { startTraining(input: $input) { id status } }`;

/** Three separable blobs in 4 features (+ a categorical column), as CSV. */
function blobsCsv(rows: number, seed = 3): string {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const lines = ['f1,f2,f3,f4,color,label'];
  for (let i = 0; i < rows; i += 1) {
    const label = i % 3;
    const center = [label * 3, -label * 2, label, 1 - label];
    lines.push([...center.map((c) => (c + random() - 0.5).toFixed(4)), ['red', 'green', 'blue'][label], `class-${label}`].join(','));
  }
  return lines.join('\n') + '\n';
}

interface Worker {
  child: ChildProcess;
  exit: Promise<number | null>;
  output: () => string;
}

function startWorker(api: TestApi, dataDir: string, env: Record<string, string> = {}): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: api.db.url,
      LEPTON_ARTIFACT_STORE: `file://${api.artifactsDir}`,
      LEPTON_DATA_DIR: dataDir,
      LEPTON_TF_BACKEND: 'cpu',
      LEPTON_HEARTBEAT_SECONDS: String(LEASE_SECONDS),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, exit: new Promise((resolve) => child.on('exit', (code) => resolve(code))), output: () => output };
}

async function waitForOutput(worker: Worker, text: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!worker.output().includes(text)) {
    if (Date.now() > deadline) throw new Error(`worker never printed "${text}":\n${worker.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts the lepton CLI with --json against the test API; `stderr()` is what it wrote so far. */
function startCli(api: TestApi, ...args: string[]) {
  const child = spawn(process.execPath, [CLI, '--url', api.url, '--token', api.adminToken, '--json', ...args], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { stderr: () => stderr, done };
}

function runCli(api: TestApi, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return startCli(api, ...args).done;
}

async function uploadText(api: TestApi, filename: string, body: string | Uint8Array): Promise<string> {
  const response = await fetch(api.url.replace(/\/graphql$/, '/v1/uploads'), {
    method: 'POST',
    headers: { authorization: `Bearer ${api.adminToken}`, 'content-type': 'application/octet-stream', 'x-filename': filename },
    body,
  });
  const answer = (await response.json()) as { uploadId: string };
  expect(response.status).toBe(201);
  return answer.uploadId;
}

async function importCsv(api: TestApi, name: string, csv: string): Promise<string> {
  const uploadId = await uploadText(api, `${name}.csv`, csv);
  const result = dataOf(
    await api.gql<{ importDataset: { id: string } }>(
      `mutation($input: ImportDatasetInput!) { importDataset(input: $input) { id } }`,
      { input: { name, format: 'CSV', uploadId, options: { label: 'label', seed: 1 } } },
    ),
  );
  return result.importDataset.id;
}

type RunState = { id: string; status: string; progress: number; attempt: number; backend: string | null; device: string | null; error: string | null; params: Record<string, unknown>; metricKeys: string[]; workerId: string | null; eta: string | null; etaSeconds: number | null; lease: { state: 'ACTIVE' | 'LOST' | 'RELEASED'; expiresAt: string | null } | null; modelVersion: { number: number; artifactUri: string; sourceRun: { id: string }; trainingDatasetVersion: { id: string; contentSha256: string }; evaluations: { split: string; metrics: Record<string, number>; confusionMatrix: number[][]; labels: string[] }[] } | null };

async function runState(api: TestApi, id: string): Promise<RunState> {
  return dataOf(await api.gql<{ run: RunState }>(RUN, { id })).run;
}

async function waitFor(api: TestApi, id: string, done: (run: RunState) => boolean, timeoutMs = 120_000): Promise<RunState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await runState(api, id);
    if (done(run)) return run;
    if (Date.now() > deadline) throw new Error(`run ${id} stuck in ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The loss steps stored for a run, in order. */
async function lossSteps(api: TestApi, runId: string): Promise<number[]> {
  const rows = await api.db.pool.query<{ step: string }>(`SELECT step FROM metric_point WHERE run_id = $1 AND key = 'loss' ORDER BY step`, [runId]);
  return rows.rows.map((row) => Number(row.step));
}

/** Every step of `epochs` epochs of batches of 16, each exactly once. */
async function allSteps(api: TestApi, datasetVersionId: string, epochs: number): Promise<number[]> {
  const { rows } = await api.db.pool.query(`SELECT splits FROM dataset_version WHERE id = $1`, [datasetVersionId]);
  const batchesPerEpoch = Math.ceil(Number(rows[0].splits.train) / 16);
  return Array.from({ length: epochs * batchesPerEpoch }, (_, i) => i);
}

async function start(api: TestApi, input: Record<string, unknown>): Promise<string> {
  return dataOf(await api.gql<{ startTraining: { id: string } }>(START, { input })).startTraining.id;
}

const mlp = (model: string, datasetVersionId: string, epochs: number) => ({
  model,
  datasetVersionId,
  spec: { architecture: 'MLP', hiddenUnits: [16] },
  hyperparameters: { epochs, batchSize: 16, learningRate: 0.01, seed: 7 },
});

describe('training through the PostgreSQL queue and real worker processes', () => {
  let api: TestApi;
  let workDir: string;
  let worker: Worker;
  let datasetVersionId: string;

  beforeAll(async () => {
    api = await startTestApi();
    workDir = mkdtempSync(path.join(tmpdir(), 'lepton-worker-'));
    worker = startWorker(api, workDir);
    datasetVersionId = await importCsv(api, 'blobs', blobsCsv(300));
  });
  afterAll(async () => {
    worker.child.kill('SIGTERM');
    await worker.exit;
    await api.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('imports a CSV, trains it, streams metrics and registers an evaluated version with lineage', async () => {
    const runId = await start(api, mlp('blobs-classifier', datasetVersionId, 3));
    expect((await runState(api, runId)).status).toMatch(/QUEUED|RUNNING/);
    // Only its worker ends a training run: a client's finishRun is refused, and training goes on.
    const finished = await api.gql(`mutation($id: ID!) { finishRun(id: $id, status: SUCCEEDED) { id } }`, { id: runId });
    expect(errorCode(finished)).toBe('FORBIDDEN');
    const run = await waitFor(api, runId, (r) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(r.status));
    expect(run.error).toBeNull();
    expect(run.status).toBe('SUCCEEDED');
    expect(run.lease).toBeNull();
    // The worker's log and the API count attempts alike (1 here, unless a starved worker lost its lease).
    expect(worker.output()).toContain(`run ${runId}: attempt ${run.attempt} on cpu`);
    await waitForOutput(worker, `run ${runId}: attempt ${run.attempt} done`);
    expect(run.progress).toBe(1);
    expect(run.backend).toBe('cpu');
    expect(run.metricKeys).toEqual(expect.arrayContaining(['loss', 'accuracy', 'epoch/loss', 'epoch/accuracy', 'epoch/val_loss']));
    const version = run.modelVersion!;
    expect(version.sourceRun.id).toBe(runId);
    expect(version.trainingDatasetVersion.id).toBe(datasetVersionId);
    const [evaluation] = version.evaluations;
    expect(evaluation!.split).toBe('test');
    expect(Object.keys(evaluation!.metrics).sort()).toEqual(['accuracy', 'f1', 'precision', 'recall']);
    expect(evaluation!.metrics['accuracy']).toBeGreaterThan(0.9);
    expect(evaluation!.labels).toEqual(['class-0', 'class-1', 'class-2']);
    const lineage = run.params['lineage'] as Record<string, unknown>;
    expect(lineage).toMatchObject({ datasetContentSha256: version.trainingDatasetVersion.contentSha256, seed: 7, backend: 'cpu' });
    expect(lineage['libraries']).toHaveProperty('tfjs-core');
    expect(await api.artifacts.exists(`${api.artifacts.keyFromUri(version.artifactUri)}/model.json`)).toBe(true);

    // One loss point per training step, steps 0..n-1, none twice.
    expect(await lossSteps(api, runId)).toEqual(await allSteps(api, datasetVersionId, 3));
  });

  it('rejects bad training requests and queues nothing', async () => {
    const jobsBefore = await api.db.pool.query(`SELECT count(*)::int AS n FROM pgboss.job`);
    const runsBefore = await api.db.pool.query(`SELECT count(*)::int AS n FROM run`);
    const cases = [
      { ...mlp('bad', datasetVersionId, -1) },
      { ...mlp('bad', datasetVersionId, 1), spec: { architecture: 'transformer-xxl' } },
      { ...mlp('bad', datasetVersionId, 1), spec: { architecture: 'CNN_SMALL' } },
      { ...mlp('bad', datasetVersionId, 1), hyperparameters: { epochs: 1, learningRate: -0.1 } },
      { ...mlp('bad', '00000000-0000-4000-8000-000000000000', 1) },
    ];
    for (const input of cases) {
      const result = await api.gql(START, { input });
      expect(['BAD_USER_INPUT', 'NOT_FOUND']).toContain(errorCode(result));
    }
    expect((await api.db.pool.query(`SELECT count(*)::int AS n FROM pgboss.job`)).rows[0].n).toBe(jobsBefore.rows[0].n);
    expect((await api.db.pool.query(`SELECT count(*)::int AS n FROM run`)).rows[0].n).toBe(runsBefore.rows[0].n);
    expect((await api.gql(`{ model(name: "bad") { id } }`)).data).toEqual({ model: null });
  });

  it('names the file, line and column of a malformed CSV and registers nothing', async () => {
    const missingLabel = await uploadText(api, 'nolabel.csv', 'a,b\n1,2\n3,4\n');
    const result = await api.gql(`mutation($input: ImportDatasetInput!) { importDataset(input: $input) { id } }`, {
      input: { name: 'broken', format: 'CSV', uploadId: missingLabel, options: { label: 'species' } },
    });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0]!.message).toMatch(/species/);
    const ragged = await uploadText(api, 'ragged.csv', 'a,b,label\n1,2,x\n3,4\n');
    const raggedResult = await api.gql(`mutation($input: ImportDatasetInput!) { importDataset(input: $input) { id } }`, {
      input: { name: 'broken', format: 'CSV', uploadId: ragged },
    });
    expect(errorCode(raggedResult)).toBe('BAD_USER_INPUT');
    expect(raggedResult.errors![0]!.extensions).toMatchObject({ file: 'ragged.csv', line: 3 });
    expect((await api.gql(`{ dataset(name: "broken") { id } }`)).data).toEqual({ dataset: null });
  });

  it('cancels a running run, and a retried run resumes and succeeds', async () => {
    const runId = await start(api, mlp('cancel-me', datasetVersionId, 400));
    await waitFor(api, runId, (r) => r.status === 'RUNNING' && r.progress > 0.01);
    dataOf(await api.gql(`mutation($id: ID!) { cancelRun(id: $id) { id } }`, { id: runId }));
    const cancelled = await waitFor(api, runId, (r) => r.status === 'CANCELLED', 30_000);
    expect(cancelled.modelVersion).toBeNull();
    const again = await api.gql(`mutation($id: ID!) { cancelRun(id: $id) { id } }`, { id: runId });
    expect(errorCode(again)).toBe('CONFLICT');

    dataOf(await api.gql(`mutation($id: ID!) { retryRun(id: $id) { status } }`, { id: runId }));
    const retried = await waitFor(api, runId, (r) => r.status === 'RUNNING' && r.progress > cancelled.progress);
    expect(retried.progress).toBeGreaterThan(cancelled.progress);
    dataOf(await api.gql(`mutation($id: ID!) { cancelRun(id: $id) { id } }`, { id: runId }));
    await waitFor(api, runId, (r) => r.status === 'CANCELLED', 30_000);
  });

  it('picks a job up again after its worker is SIGKILLed, resuming from the checkpoint without losing or duplicating metrics', async () => {
    const runId = await start(api, mlp('survivor', datasetVersionId, 40));
    const running = await waitFor(api, runId, (r) => r.status === 'RUNNING' && r.progress > 0.3);
    worker.child.kill('SIGKILL');
    await worker.exit;
    expect(worker.output()).toContain(`run ${runId}: attempt ${running.attempt} on cpu`);
    // No worker is left: once the lease runs out the run shows as lost, with no ETA counting down.
    const lost = await waitFor(api, runId, (r) => r.lease?.state === 'LOST', 30_000);
    expect(lost).toMatchObject({ status: 'RUNNING', eta: null, etaSeconds: null });
    // `lepton runs watch` says so too, and follows the run to its end once a worker resumes it.
    const watch = startCli(api, 'runs', 'watch', runId);
    const note = `run ${runId}: worker lost, waiting to resume (attempt ${running.attempt})`;
    for (const deadline = Date.now() + 30_000; !watch.stderr().includes(note); ) {
      if (Date.now() > deadline) throw new Error(`runs watch never said the worker was lost: ${watch.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    worker = startWorker(api, workDir);
    const run = await waitFor(api, runId, (r) => ['SUCCEEDED', 'FAILED'].includes(r.status), 180_000);
    const watched = await watch.done;
    expect(watched.code).toBe(0);
    expect(JSON.parse(watched.stdout)).toMatchObject({ status: 'SUCCEEDED', attempt: run.attempt });
    expect(run.error).toBeNull();
    expect(run.status).toBe('SUCCEEDED');
    // One more claim, unless this busy machine starved the new worker past its own lease too.
    expect(run.attempt).toBeGreaterThan(running.attempt);
    expect(worker.output()).toContain(`run ${runId}: attempt ${run.attempt} on cpu`);
    const lineage = run.params['lineage'] as { resumedFromEpoch: number | null; epochsCompleted: number; attempt: number };
    expect(lineage.resumedFromEpoch).toBeGreaterThan(0);
    expect(lineage.attempt).toBe(run.attempt);
    expect(await lossSteps(api, runId)).toEqual(await allSteps(api, datasetVersionId, 40));
  }, 240_000);

  it(`reclaims a SIGKILLed worker's run on a running worker between ${LEASE_SECONDS - 1} and ${LEASE_SECONDS + 2} s after the kill (lease ${LEASE_SECONDS} s)`, async () => {
    const standby = startWorker(api, workDir);
    await waitForOutput(standby, 'ready');
    const runId = await start(api, mlp('reclaimed', datasetVersionId, 400));
    const running = await waitFor(api, runId, (r) => r.status === 'RUNNING' && r.progress > 0.01 && r.lease?.state === 'ACTIVE');
    // The claim consumed the delivery: from here on only the lease says who trains the run.
    const job = await api.db.pool.query(`SELECT j.state FROM pgboss.job j JOIN run r ON r.job_id = j.id::text WHERE r.id = $1`, [runId]);
    expect(job.rows).toEqual([{ state: 'completed' }]);
    const [holder, survivor] = running.workerId!.endsWith(`:${standby.child.pid}`) ? [standby, worker] : [worker, standby];
    holder.child.kill('SIGKILL');
    const killedAt = Date.now();
    await holder.exit;
    worker = survivor;
    let reclaimedAt = 0;
    let reclaimedAttempt = 0;
    for (;;) {
      const { rows } = await api.db.pool.query<{ attempt: number; worker_id: string | null }>('SELECT attempt, worker_id FROM run WHERE id = $1', [runId]);
      if (rows[0]!.attempt > running.attempt && rows[0]!.worker_id) {
        reclaimedAt = Date.now();
        reclaimedAttempt = rows[0]!.attempt;
        break;
      }
      if (Date.now() - killedAt > 60_000) throw new Error('the run was not reclaimed within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const elapsedSeconds = (reclaimedAt - killedAt) / 1000;
    console.log(`[reclaim] lease ${LEASE_SECONDS} s: run claimed again ${elapsedSeconds.toFixed(2)} s after kill -9`);
    // Never before the lease could have run out (renewed at most 1 s before the kill); then the
    // next reaper pass (1 s) and the survivor taking it at once; 1 s more for this busy machine.
    expect(elapsedSeconds).toBeGreaterThanOrEqual(LEASE_SECONDS - 1);
    expect(elapsedSeconds).toBeLessThanOrEqual(LEASE_SECONDS + 2 + 1);
    const resumed = await runState(api, runId);
    expect(resumed.workerId).toMatch(new RegExp(`:${survivor.child.pid}$`));
    await waitForOutput(survivor, `run ${runId}: attempt ${reclaimedAttempt} on cpu`);
    dataOf(await api.gql(`mutation($id: ID!) { cancelRun(id: $id) { id } }`, { id: runId }));
    await waitFor(api, runId, (r) => r.status === 'CANCELLED', 30_000);
  }, 120_000);

  it('hands a run back to the queue on SIGTERM and another worker finishes it', async () => {
    const runId = await start(api, mlp('graceful', datasetVersionId, 30));
    await waitFor(api, runId, (r) => r.status === 'RUNNING' && r.progress > 0.2);
    worker.child.kill('SIGTERM');
    expect(await worker.exit).toBe(0);
    expect(worker.output()).toContain('handing running jobs back');
    const handedBack = await runState(api, runId);
    expect(handedBack).toMatchObject({ status: 'RUNNING', error: null, workerId: null, lease: { state: 'RELEASED' }, eta: null });
    worker = startWorker(api, workDir);
    const run = await waitFor(api, runId, (r) => ['SUCCEEDED', 'FAILED'].includes(r.status), 120_000);
    expect(run.error).toBeNull();
    expect(run.status).toBe('SUCCEEDED');
    expect((run.params['lineage'] as { resumedFromEpoch: number }).resumedFromEpoch).toBeGreaterThan(0);
    expect(await lossSteps(api, runId)).toEqual(await allSteps(api, datasetVersionId, 30));
  }, 180_000);

  it('drives the same flow from the CLI with --json', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lepton-cli-'));
    const file = path.join(dir, 'cli-blobs.csv');
    writeFileSync(file, blobsCsv(150, 11));
    const cli = (...args: string[]) => runCli(api, ...args);
    try {
      const imported = await cli('datasets', 'import', file, '--name', 'cli-blobs', '--format', 'csv', '--label', 'label');
      expect(imported.code, imported.stderr).toBe(0);
      expect(JSON.parse(imported.stdout)).toMatchObject({ number: 1, exampleCount: 150 });
      const trained = await cli('train', '--model', 'cli-model', '--dataset', 'cli-blobs', '--arch', 'mlp', '--epochs', '2', '--batch-size', '16', '--lr', '0.01', '--watch');
      expect(trained.code, trained.stderr).toBe(0);
      expect(JSON.parse(trained.stdout)).toMatchObject({ status: 'SUCCEEDED', modelVersion: { number: 1, model: { name: 'cli-model' } } });
      const shown = await cli('models', 'show', 'cli-model');
      expect(JSON.parse(shown.stdout).versions.edges[0].node.evaluations[0].split).toBe('test');
      const missing = await cli('models', 'show', 'no-such-model');
      expect(missing.code).toBe(1);
      expect(missing.stderr.trim()).toBe('lepton: No model no-such-model in project default');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

// Where native TensorFlow is installed (CI, development machines): a worker left to choose trains the seed's
// CNN on it and records TensorFlow's version and the device; elsewhere the title says why it did not run.
const native = findNativeCandidates();
const nativeMissing = native.candidates.length === 0 ? native.unavailable.map((entry) => `${entry.label}: ${entry.reason}`)[0] : null;

describe.skipIf(nativeMissing !== null)(`training on native TensorFlow${nativeMissing ? ` — not run here: ${nativeMissing}` : ''}`, () => {
  let api: TestApi;
  let workDir: string;
  let worker: Worker;

  beforeAll(async () => {
    api = await startTestApi();
    workDir = mkdtempSync(path.join(tmpdir(), 'lepton-native-worker-'));
    worker = startWorker(api, workDir, { LEPTON_TF_BACKEND: '' });
  });
  afterAll(async () => {
    worker.child.kill('SIGTERM');
    await worker.exit;
    await api.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it("imports CIFAR-10's official archive with its own test split and trains cnn-small, recording TensorFlow and the device", async () => {
    // cifar-10-binary.tar.gz in miniature: five data batches and test_batch of 10 records (one per class).
    const records = (first: number) => Buffer.concat(Array.from({ length: 10 }, (_, i) => cifarRecord(i, (x, y, c) => ((first + i) * 37 + x * 3 + y * 5 + c * 80) % 256)));
    const archive = await tarFile(
      [...[1, 2, 3, 4, 5].map((n) => ({ name: `cifar-10-batches-bin/data_batch_${n}.bin`, content: records(n * 10) })), { name: 'cifar-10-batches-bin/test_batch.bin', content: records(0) }],
      true,
    );
    const uploadId = await uploadText(api, 'cifar-10-binary.tar.gz', archive);
    const imported = dataOf(
      await api.gql<{ importDataset: { id: string; splits: Record<string, number> } }>(
        `mutation($input: ImportDatasetInput!) { importDataset(input: $input) { id splits } }`,
        { input: { name: 'cifar-mini', format: 'CIFAR10_BINARY', uploadId, options: { validationFraction: 0 } } },
      ),
    ).importDataset;
    expect(imported.splits).toMatchObject({ train: 50, test: 10 });
    const runId = await start(api, {
      model: 'cifar-cnn',
      datasetVersionId: imported.id,
      spec: { architecture: 'CNN_SMALL' },
      hyperparameters: { epochs: 2, batchSize: 8, learningRate: 0.001, optimizer: 'ADAM', seed: 3 },
    });
    const run = await waitFor(api, runId, (r) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(r.status), 180_000);
    expect(run.error).toBeNull();
    expect(run.backend).toMatch(/^tensorflow(-gpu)?$/);
    expect(run.device).toMatch(run.backend === 'tensorflow-gpu' ? /^GPU: / : /^CPU: .+ \(\d+ cores?\)$/);
    const lineage = run.params['lineage'] as { backend: string; device: string; libraries: Record<string, string>; backendChoice: { reason: string; trials: { backend: string }[] } };
    expect(lineage).toMatchObject({ backend: run.backend, device: run.device, libraries: { tensorflow: '2.21.0', 'tfjs-node': expect.any(String) } });
    expect(lineage.backendChoice.trials.map((trial) => trial.backend)).toEqual([run.backend, 'wasm']);
    expect(lineage.backendChoice.reason).toMatch(/samples\/s on tensorflow/);
    expect(run.modelVersion?.evaluations[0]).toMatchObject({ split: 'test' });
  }, 240_000);
});
