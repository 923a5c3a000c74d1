import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');
const WORKER_MAIN = path.join(ROOT, 'apps/worker/src/main.ts');

export interface WorkerProcess {
  child: ChildProcess;
  exit: Promise<number | null>;
  output(): string;
  /** SIGTERM, wait for it, remove its work folder. */
  stop(): Promise<void>;
}

/** A real training worker process (`npm run start:worker`) against this database and artifact folder. */
export function startWorkerProcess(options: {
  databaseUrl: string;
  artifactsDir: string;
  env?: Record<string, string>;
}): WorkerProcess {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lepton-worker-'));
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      LEPTON_ARTIFACT_STORE: `file://${options.artifactsDir}`,
      LEPTON_DATA_DIR: dataDir,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exit,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exit;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
