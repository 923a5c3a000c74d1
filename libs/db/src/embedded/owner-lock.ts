import { randomBytes } from 'node:crypto';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { isSameProcessRunning, processStartTime } from './process-identity';

/** Who holds a lock: the process, when it started, and what it is (e.g. "npm start"). */
export interface LockOwner {
  pid: number;
  startTime?: string;
  role: string;
  since: string;
}

/** The lock is held by a process that still runs. */
export class LockHeldError extends Error {
  constructor(
    readonly file: string,
    readonly owner: LockOwner,
  ) {
    super(`${owner.role} (pid ${owner.pid}) is using ${file}`);
    this.name = 'LockHeldError';
  }
}

export interface OwnerLock {
  readonly file: string;
  release(): Promise<void>;
}

/**
 * An exclusive lock file naming its owner. A lock whose owner no longer runs (killed, crashed,
 * the machine or container restarted) is stale and taken over, so a crash never needs a person
 * to delete it.
 */
export async function acquireOwnerLock(file: string, role: string): Promise<OwnerLock> {
  const mine: LockOwner = {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    role,
    since: new Date().toISOString(),
  };
  const content = JSON.stringify(mine) + '\n';
  for (let attempt = 0; attempt < 3; attempt += 1) {
    // Written in full under a private name, then linked: the lock never exists half-written.
    const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(draft, content, { mode: 0o644 });
    try {
      await link(draft, file);
      return { file, release: () => releaseIfMine(file, content) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(draft).catch(() => undefined);
    }
    const owner = await readOwner(file);
    if (owner && isSameProcessRunning(owner.pid, owner.startTime)) throw new LockHeldError(file, owner);
    await unlink(file).catch(() => undefined);
  }
  throw new Error(`Could not take the lock ${file}: other processes keep taking it`);
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(file, 'utf8')) as LockOwner;
    return Number.isInteger(owner.pid) && owner.pid > 0 ? owner : undefined;
  } catch {
    return undefined;
  }
}

async function releaseIfMine(file: string, content: string): Promise<void> {
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current === content) await unlink(file).catch(() => undefined);
}
