import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareImportScratch } from './import-scratch';

describe('prepareImportScratch', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  it("removes what killed workers left behind, keeps running workers' folders, and makes its own", async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'lepton-import-scratch-'));
    roots.push(root);
    // A process that has exited: its pid is free (reuse within the test is vanishingly unlikely).
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)']).stdout.toString().trim();
    const alive = String(process.ppid);
    for (const owner of [dead, alive, 'stray']) {
      mkdirSync(path.join(root, owner, 'version-abc'), { recursive: true });
      writeFileSync(path.join(root, owner, 'version-abc', 'upload.csv'), 'x,label\n');
    }
    const lines: string[] = [];
    const own = await prepareImportScratch(root, (line) => lines.push(line));
    expect(own).toBe(path.join(root, String(process.pid)));
    expect(readdirSync(root).sort()).toEqual([alive, String(process.pid)].sort());
    expect(readdirSync(path.join(root, alive))).toEqual(['version-abc']);
    expect(lines).toHaveLength(2);
  });
});
