import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/** A fresh temporary directory per test, removed afterwards. Call at the top of a describe block. */
export function useTempDir(): () => string {
  let current: string | undefined;
  beforeEach(async () => {
    current = await mkdtemp(join(tmpdir(), 'lepton-datasets-test-'));
  });
  afterEach(async () => {
    if (current) await rm(current, { recursive: true, force: true });
  });
  return () => current!;
}
