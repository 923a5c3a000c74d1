import { createLocalArtifactStore, type ArtifactStore } from '@lepton/artifacts';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointMirror } from './checkpoint-mirror';

const PREFIX = 'checkpoints/project/run';

function writeEpoch(dir: string, epoch: number): void {
  rmSync(dir, { recursive: true, force: true });
  const folder = path.join(dir, `epoch-${epoch}`);
  mkdirSync(folder, { recursive: true });
  for (const name of ['weights.bin', 'optimizer.bin', 'manifest.json']) writeFileSync(path.join(folder, name), `${name} of ${epoch}`);
}

/** The real local store, with uploads that stop (as a SIGKILLed worker would) after `allowed` files. */
function storeDyingAfter(store: ArtifactStore, allowed: number): ArtifactStore {
  let uploads = 0;
  return {
    ...store,
    putFile: async (key, file) => {
      uploads += 1;
      if (uploads > allowed) throw new Error('killed mid-push');
      return store.putFile(key, file);
    },
  };
}

describe('CheckpointMirror', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });
  function tempDir(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'lepton-mirror-'));
    roots.push(dir);
    return dir;
  }

  it('keeps the previous checkpoint stored until the next one is uploaded whole', async () => {
    const store = createLocalArtifactStore(tempDir());
    const local = path.join(tempDir(), 'attempt-1');
    writeEpoch(local, 1);
    await new CheckpointMirror(store, PREFIX, 1, local).push();
    writeEpoch(local, 2);
    await expect(new CheckpointMirror(storeDyingAfter(store, 1), PREFIX, 1, local).push()).rejects.toThrow('killed mid-push');
    // Epoch 1 is still whole beside the partial epoch 2.
    expect((await store.list(`${PREFIX}/attempt-1/epoch-1`)).length).toBe(3);

    // The next attempt resumes from what is stored; a complete push then replaces epoch 1.
    const resumed = path.join(tempDir(), 'attempt-2');
    expect(await new CheckpointMirror(store, PREFIX, 2, resumed).pullIfMissing()).toBe(true);
    expect(readdirSync(resumed).sort()).toEqual(['epoch-1', 'epoch-2']);
    expect(readdirSync(path.join(resumed, 'epoch-1')).sort()).toEqual(['manifest.json', 'optimizer.bin', 'weights.bin']);
    writeEpoch(resumed, 3);
    await new CheckpointMirror(store, PREFIX, 2, resumed).push();
    expect(await store.list(PREFIX)).toEqual(
      ['manifest.json', 'optimizer.bin', 'weights.bin'].map((name) => `${PREFIX}/attempt-2/epoch-3/${name}`),
    );
  });
});
