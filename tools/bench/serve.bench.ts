/**
 * npm run bench:serve
 * Serving throughput and latency, measured with a real load generator (autocannon, as a library) against real
 * serving processes, for two models trained through the real worker:
 *  - the tabular MLP on a generated 20,000-row CSV (8 numeric columns and a categorical one);
 *  - the small CNN on MNIST from ../shared/datasets/mnist (generated digit-like PNGs in a fresh clone).
 * For every backend that loads here (a serving process per backend, LEPTON_TF_BACKEND forcing it), at concurrency
 * 1, 16, 64 and 256: requests/s, p50 and p99 through the friendly endpoint (one raw instance per request: a CSV row
 * as JSON, or a base64 PNG), with dynamic batching on (maxBatchSize 32, 5 ms) and off (maxBatchSize 1); and the
 * limit: a bare `model.predict` + one read on batches of 32 in a loop, same backend, in this process. Then a serving
 * process left to choose records which backend its short trial picked per model, and why.
 * Writes tools/bench/results/serve.json. Exits 0 when a target is missed (the JSON says so), non-zero only when
 * something is broken.
 */
import { createLocalArtifactStore } from '@lepton/artifacts';
import { applyMigrations, createDatabase, NotificationBus, openDatabase, startEmbeddedPostgres } from '@lepton/db';
import { createApiServer } from '@lepton/graphql-api';
import { dataOf, postGraphQL } from '@lepton/graphql-api/testing';
import { InferenceRuntime, nativeTensorflow, tfjsBackendSource, type BackendName } from '@lepton/inference';
import { lazyJobQueue } from '@lepton/jobs';
import { loadModel } from '@lepton/model-io';
import { startServingProcess, type ServingProcess } from '@lepton/serving/testing';
import { startWorkerProcess } from '@lepton/training/testing';
import * as tf from '@tensorflow/tfjs';
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import tar from 'tar-stream';

const RESULTS = path.resolve(__dirname, 'results/serve.json');
const REPO_ROOT = path.resolve(__dirname, '../..');
/** LEPTON_MNIST_DIR overrides it (e.g. a worktree whose ../shared is elsewhere). */
const MNIST_DIR = path.resolve(REPO_ROOT, process.env['LEPTON_MNIST_DIR'] ?? '../shared/datasets/mnist');
/** Relative to the clone; a folder far outside it (a worktree, a snapshot) shows as `…/<last two folders>`. */
const MNIST_DIR_SHOWN = path.relative(REPO_ROOT, MNIST_DIR).startsWith('../..')
  ? `…/${MNIST_DIR.split(path.sep).slice(-2).join('/')}`
  : path.relative(REPO_ROOT, MNIST_DIR);
const CONCURRENCY = (process.env['LEPTON_BENCH_CONCURRENCY']?.split(',').map(Number) ?? [
  1, 16, 64, 256,
]) as readonly number[];
const DURATION_SECONDS = Number(process.env['LEPTON_BENCH_SECONDS'] ?? 6);
/** LEPTON_BENCH_BACKENDS=tensorflow,wasm measures only these (of those that load); default: every one that loads. */
const ONLY_BACKENDS = process.env['LEPTON_BENCH_BACKENDS']?.split(',').map((name) => name.trim());
const WARMUP_SECONDS = 1;
const BATCHED = { maxBatchSize: 32, maxQueueDelayMs: 5, maxQueueSize: 1024 };
const UNBATCHED = { maxBatchSize: 1, maxQueueDelayMs: 0, maxQueueSize: 1024 };
const LIMIT_SECONDS = 3;
const TARGETS = {
  cnnBatchingGain: 3,
  mlpBatchingGain: 2,
  p99Ms: 100,
  cnnServedToLimit: 0.6,
  atConcurrency: 64,
} as const;

/** One source for the whole bench: native TensorFlow loads once per process. */
const backendSource = tfjsBackendSource(nativeTensorflow());

type ModelKey = 'mlp' | 'cnn';

interface Api {
  url: string;
  token: string;
}

interface LoadPoint {
  concurrency: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

const gql = async <T>(api: Api, query: string, variables?: Record<string, unknown>) =>
  dataOf(await postGraphQL<T>(api.url, query, variables, api.token));

async function upload(api: Api, filename: string, body: Buffer | string): Promise<string> {
  const response = await fetch(api.url.replace(/\/graphql$/, '/v1/uploads'), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${api.token}`,
      'content-type': 'application/octet-stream',
      'x-filename': filename,
    },
    body,
  });
  if (response.status !== 201)
    throw new Error(`upload of ${filename} failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { uploadId: string }).uploadId;
}

async function importDataset(
  api: Api,
  name: string,
  filename: string,
  body: Buffer | string,
  format: string,
  label?: string,
): Promise<string> {
  const uploadId = await upload(api, filename, body);
  const options = { seed: 42, testFraction: 0.2, validationFraction: 0, ...(label ? { label } : {}) };
  const result = await gql<{ importDataset: { id: string } }>(
    api,
    `mutation($input: ImportDatasetInput!) { importDataset(input: $input) { id } }`,
    {
      input: { name, format, uploadId, options },
    },
  );
  return result.importDataset.id;
}

/** 20,000 rows: 8 numeric features, a categorical one, a binary label. Returns the CSV and one row as an instance. */
function tabularCsv(): { csv: string; instance: Record<string, string> } {
  let state = 1;
  const random = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const header = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'segment'];
  const rows = [[...header, 'label'].join(',')];
  let instance: Record<string, string> = {};
  for (let i = 0; i < 20_000; i += 1) {
    const values = Array.from({ length: 8 }, () => random() * 2 - 1);
    const score = values[0]! * 2 - values[1]! + values[2]! * values[3]! + (random() - 0.5) * 0.3;
    const cells = [...values.map((v) => v.toFixed(4)), ['north', 'south', 'east'][i % 3]!];
    if (i === 7) instance = Object.fromEntries(header.map((name, c) => [name, cells[c]!]));
    rows.push(`${cells.join(',')},${score > 0 ? 'yes' : 'no'}`);
  }
  return { csv: rows.join('\n') + '\n', instance };
}

function grayPng(pixels: Uint8Array, size: number): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let p = 0; p < size * size; p++) png.data.set([pixels[p]!, pixels[p]!, pixels[p]!, 255], p * 4);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 6 });
}

async function tarOf(entries: { name: string; content: Buffer }[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const { name, content } of entries) pack.entry({ name, size: content.length }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** MNIST's IDX files in a tar (format MNIST_IDX), or generated 28×28 digit-like PNGs (IMAGE_FOLDER); and one image. */
async function imageUpload(): Promise<{ tar: Buffer; format: string; source: string; png: Buffer }> {
  if (existsSync(MNIST_DIR)) {
    const files = ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];
    const contents = files.map((file) => readFileSync(path.join(MNIST_DIR, file)));
    const images = gunzipSync(contents[0]!);
    return {
      tar: await tarOf(files.map((name, i) => ({ name: `mnist/${name}`, content: contents[i]! }))),
      format: 'MNIST_IDX',
      source: `${MNIST_DIR_SHOWN} (the real MNIST test set: 8,000 train / 2,000 test)`,
      png: grayPng(images.subarray(16 + 3 * 784, 16 + 4 * 784), 28),
    };
  }
  console.warn(
    `${MNIST_DIR_SHOWN} is absent (a fresh clone has no ../shared): using generated digit-like images instead.`,
  );
  const entries: { name: string; content: Buffer }[] = [];
  for (let i = 0; i < 2_000; i++) {
    const label = i % 10;
    const pixels = Uint8Array.from({ length: 784 }, (_, p) => {
      const [r, c] = [Math.floor(p / 28), p % 28];
      const on = Math.abs(r - (4 + (label % 5) * 5)) < 3 && Math.abs(c - (6 + Math.floor(label / 5) * 14)) < 3;
      return on ? 200 + (p % 50) : (p * 7 + i) % 30;
    });
    entries.push({ name: `digits/${label}/${i}.png`, content: grayPng(pixels, 28) });
  }
  return {
    tar: await tarOf(entries),
    format: 'IMAGE_FOLDER',
    source: 'generated digit-like 28×28 PNGs (../shared absent)',
    png: entries[3]!.content,
  };
}

async function train(
  api: Api,
  model: string,
  datasetVersionId: string,
  spec: Record<string, unknown>,
  hyperparameters: Record<string, unknown>,
) {
  const started = await gql<{ startTraining: { id: string } }>(
    api,
    `mutation($input: StartTrainingInput!) { startTraining(input: $input) { id } }`,
    {
      input: { model, datasetVersionId, spec, hyperparameters },
    },
  );
  for (;;) {
    const { run } = await gql<{
      run: {
        status: string;
        error: string | null;
        progress: number;
        modelVersion: { number: number; artifactUri: string } | null;
      };
    }>(api, `query($id: ID!) { run(id: $id) { status error progress modelVersion { number artifactUri } } }`, {
      id: started.startTraining.id,
    });
    if (run.status === 'SUCCEEDED' && run.modelVersion) return run.modelVersion;
    if (run.status === 'FAILED' || run.status === 'CANCELLED')
      throw new Error(`training ${model} ${run.status}: ${run.error}`);
    process.stdout.write(`\r  training ${model}: ${(run.progress * 100).toFixed(0)}%   `);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function waitReady(serving: ServingProcess, api: Api, names: string[]): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (const name of names) {
    for (;;) {
      const response = await fetch(`${serving.url}/v2/models/${name}/ready`, {
        headers: { authorization: `Bearer ${api.token}` },
      });
      if (response.status === 200) break;
      if (Date.now() > deadline) throw new Error(`${name} never became ready:\n${serving.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function load(
  url: string,
  token: string,
  body: string,
  connections: number,
  duration: number,
): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: 'POST',
    connections,
    duration,
    timeout: 30,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
}

/** Waits until the serving process has answered everything a run left queued (a slow backend lags behind). */
async function drained(servingUrl: string, deployment: string): Promise<void> {
  const depth = new RegExp(`lepton_serving_queue_depth\\{deployment="${deployment}",revision="\\d+"\\} (\\d+)`);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const metrics = await (await fetch(`${servingUrl}/metrics`)).text();
    if (Number(depth.exec(metrics)?.[1] ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function measure(
  servingUrl: string,
  deployment: string,
  token: string,
  body: string,
  connections: number,
): Promise<LoadPoint> {
  const url = `${servingUrl}/v1/deployments/${deployment}/predict`;
  await load(url, token, body, connections, WARMUP_SECONDS);
  await drained(servingUrl, deployment);
  const result = await load(url, token, body, connections, DURATION_SECONDS);
  await drained(servingUrl, deployment);
  return {
    concurrency: connections,
    requestsPerSecond: round(result['2xx'] / DURATION_SECONDS),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** Bare model.predict + one read on batches of `batchSize` for LIMIT_SECONDS, on `backend`: rows per second. */
async function predictLimit(backend: BackendName, modelDir: string, batchSize: number): Promise<number> {
  await backendSource.activate(backend);
  const model = await loadModel(modelDir);
  const shape = model.inputs[0]!.shape.slice(1) as number[];
  const size = shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(
    Float32Array.from({ length: batchSize * size }, (_, i) => ((i * 37) % 255) / 255),
    [batchSize, ...shape],
  );
  try {
    for (let i = 0; i < 3; i++) await (model.predict(x, { batchSize }) as tf.Tensor).data();
    let batches = 0;
    const started = performance.now();
    while (performance.now() - started < LIMIT_SECONDS * 1000) {
      const y = model.predict(x, { batchSize }) as tf.Tensor;
      await y.data();
      y.dispose();
      batches++;
    }
    return round((batches * batchSize) / ((performance.now() - started) / 1000));
  } finally {
    x.dispose();
    model.dispose();
  }
}

const round = (value: number) => Math.round(value * 10) / 10;

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0] ?? 0;
  const cleanup: (() => Promise<unknown>)[] = [];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lepton-bench-serve-'));
  cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  try {
    console.log('Starting embedded PostgreSQL, the API and a training worker...');
    const postgres = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres') });
    cleanup.push(() => postgres.stop());
    await createDatabase(postgres.adminUrl, 'lepton_bench');
    const databaseUrl = postgres.databaseUrl('lepton_bench');
    await applyMigrations(databaseUrl);
    const db = openDatabase(databaseUrl);
    cleanup.push(() => db.close());
    const bus = new NotificationBus(databaseUrl, db.pool);
    await bus.start();
    cleanup.push(() => bus.close());
    const queue = lazyJobQueue(databaseUrl);
    cleanup.push(() => queue.stop());
    const artifactsDir = path.join(dataDir, 'artifacts');
    const artifacts = createLocalArtifactStore(artifactsDir);
    const server = await createApiServer({
      db,
      bus,
      dependencies: { artifacts, queue: queue.get },
      port: 0,
      host: '127.0.0.1',
      production: true,
    });
    cleanup.push(() => server.close());
    const api: Api = { url: server.url, token: `lep_bench_${randomBytes(24).toString('hex')}` };
    await server.registry.auth.bootstrap(api.token);

    const tabular = tabularCsv();
    const images = await imageUpload();
    const datasets = {
      mlp: await importDataset(api, 'bench-tabular', 'tabular.csv', tabular.csv, 'CSV', 'label'),
      cnn: await importDataset(api, 'bench-digits', 'digits.tar', images.tar, images.format),
    };
    const worker = startWorkerProcess({ databaseUrl, artifactsDir });
    let versions: Record<ModelKey, { number: number; artifactUri: string }>;
    try {
      versions = {
        mlp: await train(
          api,
          'bench-mlp',
          datasets.mlp,
          { architecture: 'MLP', hiddenUnits: [64, 32] },
          { epochs: 2, batchSize: 64, seed: 42 },
        ),
        cnn: await train(
          api,
          'bench-cnn',
          datasets.cnn,
          { architecture: 'CNN_SMALL' },
          { epochs: 1, batchSize: 64, seed: 42 },
        ),
      };
    } finally {
      await worker.stop();
    }
    console.log('\nTrained; deploying.');
    const deployments: Record<ModelKey, { batched: string; unbatched: string }> = {
      mlp: { batched: 'mlp-batched', unbatched: 'mlp-unbatched' },
      cnn: { batched: 'cnn-batched', unbatched: 'cnn-unbatched' },
    };
    for (const key of ['mlp', 'cnn'] as const) {
      for (const [mode, batching] of [
        ['batched', BATCHED],
        ['unbatched', UNBATCHED],
      ] as const) {
        await gql(api, `mutation($input: CreateDeploymentInput!) { createDeployment(input: $input) { id } }`, {
          input: { name: deployments[key][mode], model: `bench-${key}`, version: versions[key].number, batching },
        });
      }
    }
    const names = Object.values(deployments).flatMap((pair) => [pair.batched, pair.unbatched]);
    const bodies: Record<ModelKey, string> = {
      mlp: JSON.stringify({ instances: [tabular.instance] }),
      cnn: JSON.stringify({ instances: [images.png.toString('base64')] }),
    };

    // The model files, for the bare-predict limit in this process.
    const modelDirs = {} as Record<ModelKey, string>;
    for (const key of ['mlp', 'cnn'] as const) {
      modelDirs[key] = path.join(dataDir, `model-${key}`);
      await mkdir(modelDirs[key], { recursive: true });
      const prefix = artifacts.keyFromUri(versions[key].artifactUri);
      for (const file of await artifacts.list(prefix))
        await writeFile(path.join(modelDirs[key], file.slice(prefix.length + 1)), await artifacts.get(file));
    }

    const available = await new InferenceRuntime({
      backends: backendSource,
      candidates: ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'],
    }).available();
    console.log(`Backends that load here: ${available.loaded.join(', ')}`);
    const measuredBackends = available.loaded.filter((backend) => !ONLY_BACKENDS || ONLY_BACKENDS.includes(backend));
    const perBackend: Record<
      string,
      Record<ModelKey, { limitRowsPerSecond: number; batched: LoadPoint[]; unbatched: LoadPoint[] }>
    > = {};
    for (const backend of measuredBackends) {
      console.log(`\n== ${backend} ==`);
      const serving = await startServingProcess({
        databaseUrl,
        artifactsDir,
        env: { LEPTON_TF_BACKEND: backend, LEPTON_DATA_DIR: dataDir },
      });
      try {
        await waitReady(serving, api, names);
        const byModel = {} as Record<
          ModelKey,
          { limitRowsPerSecond: number; batched: LoadPoint[]; unbatched: LoadPoint[] }
        >;
        for (const key of ['mlp', 'cnn'] as const) {
          const points = { batched: [] as LoadPoint[], unbatched: [] as LoadPoint[] };
          for (const mode of ['batched', 'unbatched'] as const) {
            for (const connections of CONCURRENCY) {
              const point = await measure(serving.url, deployments[key][mode], api.token, bodies[key], connections);
              points[mode].push(point);
              console.log(
                `${key} ${mode} c=${connections}: ${point.requestsPerSecond} req/s, p50 ${point.p50Ms} ms, p99 ${point.p99Ms} ms, non-2xx ${point.non2xx}, errors ${point.errors}`,
              );
            }
          }
          byModel[key] = { limitRowsPerSecond: 0, ...points };
        }
        perBackend[backend] = byModel;
      } finally {
        await serving.stop();
      }
      // Measured with the serving process gone, so both have the machine to themselves.
      for (const key of ['mlp', 'cnn'] as const) {
        perBackend[backend]![key].limitRowsPerSecond = await predictLimit(
          backend,
          modelDirs[key],
          BATCHED.maxBatchSize,
        );
        console.log(
          `${key} bare predict on ${backend}, batches of ${BATCHED.maxBatchSize}: ${perBackend[backend]![key].limitRowsPerSecond} rows/s`,
        );
      }
    }

    console.log('\n== backend chosen per model by the serving process (no LEPTON_TF_BACKEND) ==');
    const chosen = {} as Record<ModelKey, unknown>;
    const auto = await startServingProcess({ databaseUrl, artifactsDir, env: { LEPTON_DATA_DIR: dataDir } });
    try {
      await waitReady(auto, api, names);
      for (const key of ['mlp', 'cnn'] as const) {
        const response = await fetch(`${auto.url}/v2/models/${deployments[key].batched}`, {
          headers: { authorization: `Bearer ${api.token}` },
        });
        const { parameters } = (await response.json()) as { parameters: { backend: unknown } };
        chosen[key] = parameters.backend;
        console.log(`${key}: ${JSON.stringify(parameters.backend)}`);
      }
    } finally {
      await auto.stop();
    }

    const at = (points: LoadPoint[]) => points.find((point) => point.concurrency === TARGETS.atConcurrency)!;
    const verdicts = Object.entries(perBackend).map(([backend, models]) => {
      const gain = (key: ModelKey) =>
        round(at(models[key].batched).requestsPerSecond / Math.max(at(models[key].unbatched).requestsPerSecond, 0.1));
      const bestCnn = Math.max(...models.cnn.batched.map((point) => point.requestsPerSecond));
      const served = round(bestCnn / Math.max(models.cnn.limitRowsPerSecond, 0.1));
      const p99 = { mlp: at(models.mlp.batched).p99Ms, cnn: at(models.cnn.batched).p99Ms };
      return {
        backend,
        cnnBatchingGainAt64: {
          value: gain('cnn'),
          target: TARGETS.cnnBatchingGain,
          met: gain('cnn') >= TARGETS.cnnBatchingGain,
        },
        mlpBatchingGainAt64: {
          value: gain('mlp'),
          target: TARGETS.mlpBatchingGain,
          met: gain('mlp') >= TARGETS.mlpBatchingGain,
        },
        p99MsAt64Batched: {
          value: p99,
          target: TARGETS.p99Ms,
          met: p99.mlp <= TARGETS.p99Ms && p99.cnn <= TARGETS.p99Ms,
        },
        cnnServedToLimit: {
          value: served,
          target: TARGETS.cnnServedToLimit,
          met: served >= TARGETS.cnnServedToLimit,
          servedRequestsPerSecond: bestCnn,
        },
      };
    });

    const results = {
      benchmark: 'serve',
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        node: process.version,
        loadAverageAtStart: round(loadAtStart),
        loadAverageAtEnd: round(os.loadavg()[0] ?? 0),
        note: 'Load generator, serving process, API and PostgreSQL share this machine; other work on it skews every figure.',
      },
      method: {
        loadGenerator: `autocannon ${(await import('autocannon/package.json')).version} (library), one raw instance per request through POST <serving>/v1/deployments/{name}/predict`,
        durationSecondsPerPoint: DURATION_SECONDS,
        warmupSecondsPerPoint: WARMUP_SECONDS,
        batching: { on: BATCHED, off: UNBATCHED },
        limit: `bare model.predict + one async read on batches of ${BATCHED.maxBatchSize}, same backend, ${LIMIT_SECONDS} s, with no serving process running`,
        requestsPerSecond: 'successful (2xx) answers per second',
      },
      models: {
        mlp: {
          spec: { architecture: 'mlp', hiddenUnits: [64, 32] },
          data: 'generated CSV, 20,000 rows, 8 numeric + 1 categorical feature',
          instance: 'a CSV row as JSON',
        },
        cnn: { spec: { architecture: 'cnn-small' }, data: images.source, instance: 'a 28×28 grayscale PNG, base64' },
      },
      backendsThatLoad: available.loaded,
      backendsMeasured: measuredBackends,
      backendsSkipped: available.skipped,
      results: perBackend,
      chosenBackend: chosen,
      targets: TARGETS,
      verdicts,
    };
    writeFileSync(RESULTS, JSON.stringify(results, null, 2) + '\n');
    console.log(`\nWrote ${path.relative(process.cwd(), RESULTS)}`);
    console.log(JSON.stringify(verdicts, null, 2));
  } finally {
    for (const step of cleanup.reverse())
      await step().catch((error: unknown) => console.error(`cleanup: ${String(error)}`));
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
