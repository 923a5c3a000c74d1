import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Each worker process keeps its imports' temporary files under `<root>/<pid>`, removed after every
 * import. A worker that was killed leaves its folder behind: any worker that starts removes the
 * folders of processes that no longer run (not its neighbours' on the same machine).
 */
export async function prepareImportScratch(root: string, log: (line: string) => void): Promise<string> {
  await mkdir(root, { recursive: true });
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const pid = Number(entry.name);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid)) continue;
    await rm(path.join(root, entry.name), { recursive: true, force: true });
    log(`removed the import files a stopped worker left behind (${entry.name})`);
  }
  const own = path.join(root, String(process.pid));
  await mkdir(own, { recursive: true });
  return own;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
