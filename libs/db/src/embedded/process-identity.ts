import { readFileSync } from 'node:fs';

/**
 * When the process started, as the kernel counts it (Linux: clock ticks since boot, field 22 of
 * /proc/<pid>/stat); undefined elsewhere. A pid and its start time name one process: a pid reused
 * after a crash, a reboot or in a new container has another start time.
 */
export function processStartTime(pid: number): string | undefined {
  return processStatus(pid)?.startTime;
}

/** What the kernel says of `pid` (Linux /proc/<pid>/stat): state (`Z` for a zombie), parent, start time. */
export function processStatus(pid: number): { state: string; ppid: number; startTime: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ..." — comm may contain spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, ppid: Number(fields[1]), startTime: fields[19]! };
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
  return processStatus(pid)?.state !== 'Z';
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
