import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const RESULTS_DIR = path.join(__dirname, 'results');
const REPO_ROOT = path.resolve(__dirname, '../..');

/** An absolute POSIX path (`/work/…`, `/tmp/x`), a Windows drive path (`C:\…`) or a file:// URL. */
const ABSOLUTE_PATH = /(?:^|[\s"'(=:,])(\/[\w.-]+(?:\/[\w.-]*)*)|\b([A-Za-z]:\\[^\s"']*)|(file:\/\/\/?[^\s"']+)/g;

/** Kernel interfaces name the same files on every machine (`/proc/driver/nvidia/version`): not this machine's paths. */
const SYSTEM_INTERFACE = /^\/(proc|sys|dev)\//;

/** Every string in a JSON value (keys included) that holds an absolute path, with where it sits. */
function absolutePaths(value: unknown, where = '$'): string[] {
  if (typeof value === 'string') {
    return [...value.matchAll(ABSOLUTE_PATH)]
      .map((match) => (match[1] ?? match[2] ?? match[3])!)
      .filter((found) => !SYSTEM_INTERFACE.test(found))
      .map((found) => `${where}: ${found}`);
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => absolutePaths(item, `${where}[${index}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [
      ...absolutePaths(key, `${where} key`),
      ...absolutePaths(item, `${where}.${key}`),
    ]);
  }
  return [];
}

const committed = readdirSync(RESULTS_DIR).filter((name) => name.endsWith('.json'));

describe('committed benchmark results', () => {
  it('exist, so the checks below check something', () => {
    expect(committed.length).toBeGreaterThan(0);
  });

  it.each(committed)('%s names no absolute path of the machine that made it', (name) => {
    const text = readFileSync(path.join(RESULTS_DIR, name), 'utf8');
    expect(absolutePaths(JSON.parse(text))).toEqual([]);
    for (const local of [REPO_ROOT, homedir()]) expect(text).not.toContain(local);
  });
});

describe('the absolute-path check', () => {
  it('finds POSIX, Windows and file:// paths wherever they sit in a string', () => {
    expect(absolutePaths({ source: '/work/shared/datasets/mnist (real MNIST)' })).toEqual([
      '$.source: /work/shared/datasets/mnist',
    ]);
    expect(absolutePaths(['data in /tmp/lepton-bench-pg-x1'])).toEqual(['$[0]: /tmp/lepton-bench-pg-x1']);
    expect(absolutePaths({ dir: 'C:\\Users\\me\\lepton' })).toEqual(['$.dir: C:\\Users\\me\\lepton']);
    expect(absolutePaths({ store: 'file:///srv/artifacts' })).toEqual(['$.store: file:///srv/artifacts']);
    expect(absolutePaths({ '/root/x': 1 })).toEqual(['$ key: /root/x']);
    expect(absolutePaths({ reason: 'read /proc/cpuinfo, then /home/me/.cache' })).toEqual(['$.reason: /home/me/.cache']);
  });

  it('leaves relative paths, ratios and prose with slashes alone', () => {
    expect(
      absolutePaths({
        source: '../shared/datasets/mnist (real MNIST test set, 8,000 train / 2,000 test)',
        unit: 'points/s',
        platform: 'linux 6.18.44-fc-v595',
        date: '2026-11-28T02:22:12.408Z',
        note: 'tools/bench/results/metrics.json',
        reason: 'no NVIDIA driver (no /proc/driver/nvidia/version, no nvidia-smi)',
      }),
    ).toEqual([]);
  });
});
