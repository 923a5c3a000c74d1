import { hostname } from 'node:os';
import { mkdir, open, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Clones share the cache, so two `npm ci` at once must not install into it together. The lock is a file
 * created exclusively, holding the owner's host and pid; an owner that died (a killed install) no longer
 * holds it, and its staging folders are removed by whoever comes next.
 */
const LOCK = '.install.lock';
const POLL_MS = 1000;

interface Owner {
  host: string;
  pid: number;
}

function alive(owner: Owner): boolean {
  if (owner.host !== hostname()) return true; // another machine on a shared disk: assume it is still working
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(file: string): Promise<Owner | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Owner;
  } catch {
    return null;
  }
}

/** Takes the cache lock, waiting while a live install holds it. Returns the release function. */
export async function lockCache(
  root: string,
  onWait: (owner: Owner) => void,
  timeoutMs = 60 * 60_000,
): Promise<() => Promise<void>> {
  await mkdir(root, { recursive: true });
  const file = path.join(root, LOCK);
  const me: Owner = { host: hostname(), pid: process.pid };
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(JSON.stringify(me));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readOwner(file);
    // No owner yet means another process is between creating and writing the file: wait for it.
    if (owner && !alive(owner)) {
      await rm(file, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`${file} has been held by another install for ${timeoutMs / 60_000} minutes`);
    if (owner && !told) {
      onWait(owner);
      told = true;
    }
    await sleep(POLL_MS);
  }
}

/** `.staging-<pid>-…` names carry their creator's pid so that leftovers of a killed install can be told apart. */
export function stagingName(kind: string): string {
  return `.staging-${process.pid}-${kind}-${Date.now().toString(36)}`;
}

/** Removes staging folders in `dir` whose creator is dead (they are never used: only a rename publishes work). */
export async function removeStaleStaging(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = /^\.(?:staging|trash)-(\d+)-/.exec(name)?.[1];
    if (!pid || alive({ host: hostname(), pid: Number(pid) })) continue;
    await rm(path.join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
