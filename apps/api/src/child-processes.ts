import { spawn, type ChildProcess } from 'node:child_process';
import { stopChild } from './stop-child';

/**
 * `npm start` runs the whole platform as one process tree: beside the API, the training workers (a
 * worker trains on the CPU for minutes; it must not share the API's event loop) and the dashboard
 * run as child processes of the primary. Each child has an IPC channel to the primary and exits when
 * it closes, so children never outlive it, even when it is killed with SIGKILL.
 */
export interface ChildProcesses {
  /** SIGTERM (a worker checkpoints and hands its job back), then SIGKILL after `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

export interface ChildProcessOptions {
  /** Shown in the log: "worker exited (1); restarting in 2 s". */
  label: string;
  /** A TypeScript entry point, run with tsx. */
  entry: string;
  count: number;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

/** A child that stayed up this long is considered healthy again: the restart pause starts over. */
const HEALTHY_AFTER_MS = 60_000;
const FIRST_RESTART_DELAY_MS = 2_000;
const MAX_RESTART_DELAY_MS = 60_000;

/**
 * Starts `count` copies of `entry` and restarts one that exits unexpectedly, after a pause that
 * doubles while it keeps failing (a child that cannot start must not spin).
 */
export function startChildProcesses(options: ChildProcessOptions): ChildProcesses {
  let stopping = false;
  const children = new Set<ChildProcess>();
  const launch = (restartDelayMs: number) => {
    const startedAt = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', options.entry], {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(child);
    child.on('exit', (code, signal) => {
      children.delete(child);
      if (stopping) return;
      const delay = Date.now() - startedAt >= HEALTHY_AFTER_MS ? FIRST_RESTART_DELAY_MS : restartDelayMs;
      options.log(`${options.label} exited (${signal ?? code}); restarting in ${Math.round(delay / 1000)} s`);
      setTimeout(() => !stopping && launch(Math.min(delay * 2, MAX_RESTART_DELAY_MS)), delay).unref();
    });
  };
  for (let index = 0; index < options.count; index += 1) launch(FIRST_RESTART_DELAY_MS);
  return {
    async stop(graceMs: number): Promise<void> {
      stopping = true;
      await Promise.all([...children].map((child) => stopChild(child, graceMs)));
    },
  };
}
