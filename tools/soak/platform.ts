import { findFreePort } from '@lepton/db';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../..');
const API_MAIN = path.join(REPO_ROOT, 'apps/api/src/main.ts');
/** A first start migrates a new cluster; a loaded machine makes that slow. A limit against hangs. */
const START_TIMEOUT_MS = 240_000;
/** The primary stops its whole tree within 10 s of SIGTERM (README); past this it is killed. */
const STOP_TIMEOUT_MS = 15_000;

export interface Platform {
  /** The primary process `npm start` runs (its tree holds the API processes, worker, serving, PostgreSQL). */
  pid: number;
  graphqlUrl: string;
  uploadsUrl: string;
  servingUrl: string | undefined;
  adminToken: string;
  /** The embedded database (the primary writes it for workers); for counting what was stored. */
  databaseUrl: string;
  /** Everything the platform printed, for the report when something goes wrong. */
  output(): string;
  /** SIGTERM to the primary (it stops its tree), then removes the data folder. Resolves to the exit code. */
  stop(): Promise<number | null>;
}

export interface StartPlatformOptions {
  /** LEPTON_API_PROCESSES etc.; LEPTON_DATA_DIR, PORT and the bootstrap token are set here. */
  env?: Record<string, string>;
  /** Run the serving process beside the API (LEPTON_SERVING). */
  serving: boolean;
  log?: (line: string) => void;
}

/**
 * The platform as `npm start` runs it (`node --import tsx apps/api/src/main.ts`: embedded
 * PostgreSQL, API processes, workers, serving), on loopback and a fresh data folder that is
 * removed afterwards. Resolves once /healthz answers.
 */
export async function startPlatform(options: StartPlatformOptions): Promise<Platform> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lepton-soak-'));
  // Under root the embedded server runs as the postgres user, which must reach the folder.
  chmodSync(dataDir, 0o755);
  const port = await findFreePort();
  const servingPort = options.serving ? await findFreePort() : undefined;
  const adminToken = `lep_soak_${randomBytes(24).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LEPTON_DATA_DIR: dataDir,
    LEPTON_BOOTSTRAP_TOKEN: adminToken,
    LEPTON_DASHBOARD: '0',
    LEPTON_SERVING: servingPort ? '1' : '0',
    ...(servingPort ? { LEPTON_SERVING_PORT: String(servingPort) } : {}),
    ...options.env,
  };
  delete env['DATABASE_URL'];
  delete env['LEPTON_ARTIFACT_STORE'];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', API_MAIN], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    // Keeps the tail only: a long soak must not grow this process's memory with the platform's logs.
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(kill);
    }
    removeDataDir();
    return child.exitCode;
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  options.log?.(`starting the platform (data in a temporary folder, API on 127.0.0.1:${port})`);
  for (;;) {
    if (child.exitCode !== null) {
      removeDataDir();
      throw new Error(`the platform exited while starting (${child.exitCode}):\n${output.slice(-4000)}`);
    }
    if (await healthy(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `the platform did not answer /healthz within ${START_TIMEOUT_MS / 1000} s:\n${output.slice(-4000)}`,
      );
    }
    await sleep(200);
  }
  return {
    pid: child.pid!,
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    uploadsUrl: `http://127.0.0.1:${port}/v1/uploads`,
    servingUrl: servingPort ? `http://127.0.0.1:${servingPort}` : undefined,
    adminToken,
    databaseUrl: readFileSync(path.join(dataDir, 'database-url'), 'utf8').trim(),
    output: () => output,
    stop,
  };
}

function healthy(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/healthz`).then(
    async (response) => {
      await response.arrayBuffer();
      return response.ok;
    },
    () => false,
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
