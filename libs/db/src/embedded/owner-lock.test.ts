import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireOwnerLock, LockHeldError } from './owner-lock';
import { processStartTime } from './process-identity';

const OWNER_LOCK = path.resolve(__dirname, 'owner-lock.ts');

/** Every holder started, killed at the end even when a test fails half-way. */
const holders = new Set<ChildProcess>();

/** A separate process that takes the lock, says so on stdout, and holds it until killed. */
function holderProcess(file: string, role: string) {
  const script = `require(${JSON.stringify(OWNER_LOCK)}).acquireOwnerLock(process.argv[1], process.argv[2])
    .then(() => console.log('held'), (error) => console.log('refused ' + error.message));
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script, file, role], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  holders.add(child);
  const answer = once(child.stdout!, 'data').then(([chunk]) => String(chunk).trim());
  return { child, answer };
}

describe('owner lock', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lepton-lock-'));
  afterAll(() => {
    for (const holder of holders) holder.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a lock held by a running process, naming it, and takes it over once that process is killed', async () => {
    const file = path.join(dir, 'held.lock');
    const holder = holderProcess(file, 'npm start');
    expect(await holder.answer).toBe('held');

    const refusal = await acquireOwnerLock(file, 'db:reset').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(LockHeldError);
    expect((refusal as LockHeldError).owner).toMatchObject({ pid: holder.child.pid, role: 'npm start' });

    holder.child.kill('SIGKILL');
    await once(holder.child, 'exit');
    const lock = await acquireOwnerLock(file, 'db:reset');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, role: 'db:reset' });
    await lock.release();
    expect(() => readFileSync(file)).toThrow();
  });

  it('takes over a lock whose pid now belongs to another process (pid reused after a crash or restart)', async () => {
    const file = path.join(dir, 'reused.lock');
    // This very process, but "started" at another time: the lock's owner is gone.
    writeFileSync(
      file,
      JSON.stringify({
        pid: process.pid,
        startTime: `${Number(processStartTime(process.pid) ?? 0) + 1}`,
        role: 'npm start',
      }),
    );
    const lock = await acquireOwnerLock(file, 'npm start');
    expect(JSON.parse(readFileSync(file, 'utf8')).startTime).toBe(processStartTime(process.pid));
    await lock.release();
  });

  it('lets exactly one of several processes racing for a free lock have it', async () => {
    const file = path.join(dir, 'raced.lock');
    const racers = Array.from({ length: 6 }, (_, index) => holderProcess(file, `racer ${index}`));
    const answers = await Promise.all(racers.map((racer) => racer.answer));
    expect(answers.filter((answer) => answer === 'held')).toHaveLength(1);
    expect(answers.filter((answer) => answer.startsWith('refused'))).toHaveLength(5);
  });
});
