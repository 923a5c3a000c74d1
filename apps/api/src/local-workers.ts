import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { stopChild } from './stop-child';

const WORKER_MAIN = path.resolve(__dirname, '../../worker/src/main.ts');

/**
 * `npm start` runs the whole platform: the API plus `count` training worker processes (a worker
 * trains on the CPU for minutes; it must not share the API's event loop). A worker that exits
 * unexpectedly is restarted after a pause. Each worker has an IPC channel to this process and
 * exits when it closes, so workers never outlive it, even when it is killed with SIGKILL.
 */
export interface LocalWorkers {
  /** SIGTERM (a worker checkpoints and hands its job back), then SIGKILL after `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

export function startLocalWorkers(count: number, databaseUrl: string, log: (line: string) => void): LocalWorkers {
  let stopping = false;
  const children = new Set<ChildProcess>();
  const launch = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER_MAIN], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(child);
    child.on('exit', (code, signal) => {
      children.delete(child);
      if (stopping) return;
      log(`worker exited (${signal ?? code}); restarting in 2 s`);
      setTimeout(() => !stopping && launch(), 2000).unref();
    });
  };
  for (let index = 0; index < count; index += 1) launch();
  if (count > 0) log(`Started ${count} training worker process(es) (LEPTON_WORKERS)`);
  return {
    async stop(graceMs: number): Promise<void> {
      stopping = true;
      await Promise.all([...children].map((child) => stopChild(child, graceMs)));
    },
  };
}
