import { readFileSync } from 'node:fs';

/**
 * When the process started, as the kernel counts it (Linux: clock ticks since boot, field 22 of
 * /proc/<pid>/stat); undefined elsewhere. A pid and its start time name one process: a pid reused
 * after a crash, a reboot or in a new container has another start time.
 */
export function processStartTime(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

/** Fields 3.. of /proc/<pid>/stat (state first), or undefined without procfs. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ..." — comm may contain spaces and parentheses, so split after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** True while `pid` runs (a zombie waiting to be reaped has finished). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return statFields(pid)?.[0] !== 'Z';
}

/** True while the process `pid` that started at `startTime` (see processStartTime) runs. */
export function isSameProcessRunning(pid: number, startTime: string | undefined): boolean {
  if (!isProcessRunning(pid)) return false;
  const current = processStartTime(pid);
  return startTime === undefined || current === undefined || current === startTime;
}

/** The command line of `pid` (Linux), or undefined where it cannot be read. */
export function processCommand(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

/** Waits until `pid` has exited; false when it still runs after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessRunning(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}
