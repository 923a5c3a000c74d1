import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = path.resolve(__dirname, '../bin/lepton.js');

function lepton(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // No API and no token: the doctor must work without either.
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, LEPTON_API_URL: 'http://127.0.0.1:9/graphql', LEPTON_TOKEN: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('lepton doctor', () => {
  it('lists every backend, best first, with versions and device or the reason it does not load', async () => {
    const { code, stdout, stderr } = await lepton('doctor', '--json');
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as {
      backends: {
        backend: string;
        available: boolean;
        versions?: Record<string, string>;
        device?: string;
        reason?: string;
      }[];
    };
    expect(report.backends.map((entry) => entry.backend)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
    for (const entry of report.backends) {
      if (entry.available) {
        expect(Object.keys(entry.versions ?? {}).length).toBeGreaterThan(0);
        expect(entry.device).toMatch(/^(CPU|GPU)/);
      } else {
        expect(entry.reason).toMatch(/\w/);
      }
    }
    expect(report.backends.find((entry) => entry.backend === 'wasm')).toMatchObject({
      available: true,
      device: expect.stringMatching(/^CPU via WebAssembly/),
    });
  }, 120_000);

  it('prints one line per backend for people', async () => {
    const { code, stdout } = await lepton('doctor');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Backends, best first:');
    expect(lines.slice(1, 5).map((line) => /^ {2}[✓✗] (\S+)/.exec(line)?.[1])).toEqual([
      'tensorflow-gpu',
      'tensorflow',
      'wasm',
      'cpu',
    ]);
    expect(stdout).toMatch(/NVIDIA driver: /);
  }, 120_000);
});
