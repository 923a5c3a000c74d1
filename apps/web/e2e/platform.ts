import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestApi, type TestApi } from '@lepton/graphql-api/testing';
import { startScenarioMaintenance } from '@lepton/scenarios';
import { startServingProcess } from '@lepton/serving/testing';

const ROOT = path.resolve(__dirname, '../../..');

interface Child {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

function launch(entry: string, env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(predicate: () => boolean, what: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (child.child.exitCode !== null) throw new Error(`${what} exited early:\n${child.output()}`);
    if (Date.now() > deadline) throw new Error(`${what} did not start in time:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface Platform {
  api: TestApi;
  dashboardUrl: string;
  close(): Promise<void>;
}

/**
 * The real platform: an API over its own database, a training worker process, a serving process
 * (deployments), and the dashboard's production server (built first if needed) through
 * `apps/web/start-cli.ts`, as `npm start` runs it. Benchmarks that need no training or predictions
 * leave the worker or the serving process out. `scenarios: true` runs the scenario demos' Prepare
 * loop, as the API primary of `npm start` does. The worker trains on the pure-JS `cpu` backend unless
 * `bestBackend` lets it pick as `npm start` does (native TensorFlow where installed): the scenarios'
 * CNN takes many minutes on `cpu`.
 */
export async function startPlatform(
  options: { worker?: boolean; serving?: boolean; scenarios?: boolean; bestBackend?: boolean } = {},
): Promise<Platform> {
  const api = await startTestApi();
  const scenarios = options.scenarios
    ? startScenarioMaintenance(api.db, api.server.registry, { log: (line) => console.log(`[scenarios] ${line}`) })
    : undefined;
  const workDir = mkdtempSync(path.join(tmpdir(), 'lepton-web-e2e-'));
  const worker =
    options.worker === false
      ? null
      : launch(path.join(ROOT, 'apps/worker/src/main.ts'), {
          DATABASE_URL: api.db.url,
          LEPTON_ARTIFACT_STORE: `file://${api.artifactsDir}`,
          LEPTON_DATA_DIR: workDir,
          ...(options.bestBackend ? {} : { LEPTON_TF_BACKEND: 'cpu' }),
          LEPTON_HEARTBEAT_SECONDS: '10',
          LEPTON_SUPERVISE_SECONDS: '2',
        });
  // The API forwards predict to a live serving process it finds in the database.
  const serving =
    options.serving === false
      ? null
      : await startServingProcess({
          databaseUrl: api.db.url,
          artifactsDir: api.artifactsDir,
          env: { LEPTON_TF_BACKEND: 'cpu' },
        });
  const port = await freePort();
  const dashboard = launch(path.join(ROOT, 'apps/web/start-cli.ts'), {
    LEPTON_API_URL: api.url,
    LEPTON_WEB_PORT: String(port),
    HOST: '127.0.0.1',
  });
  await waitFor(() => dashboard.output().includes('Dashboard on'), 'the dashboard', dashboard, 300_000);
  return {
    api,
    dashboardUrl: `http://localhost:${port}`,
    async close() {
      await dashboard.stop();
      await serving?.stop();
      await scenarios?.stop();
      await worker?.stop();
      await api.close();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
