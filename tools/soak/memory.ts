import { readdirSync, readFileSync } from 'node:fs';

/**
 * Memory of every process of the platform's tree, read from /proc (Linux). Node processes are
 * judged by their RSS. PostgreSQL's are judged by their private memory (RssAnon): their RSS also
 * counts the shared buffers each has touched, which fill up to shared_buffers as the tables grow —
 * a cache filling, not a leak. Backends come and go with the pools (their number follows demand),
 * so they are judged by their mean private memory per backend; their number is reported beside it.
 */
export type ProcessRole = 'primary' | 'api' | 'worker' | 'serving' | 'watchdog' | 'postmaster' | 'postgres-backends';

export interface ProcessSeries {
  /** Stable name in the report: `api 1234`, `worker 1240`, `postgres backends (mean)`. */
  name: string;
  role: ProcessRole;
  pid: number | null;
  /** Which figure the flatness rule reads (see above). */
  measure: 'rss' | 'rssAnon';
  /** [seconds since the load started, megabytes of `measure`] per sample. */
  samples: [number, number][];
  /** RSS in MB at each sample, whatever `measure` is (for the report); summed over the backends. */
  rssMb: number[];
  /** Set for postgres-backends: how many backends each sample averaged. */
  processCounts?: number[];
}

interface ProcInfo {
  pid: number;
  ppid: number;
  command: string;
  rssKb: number;
  rssAnonKb: number;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    const state = /^State:\s+(\S)/m.exec(status)?.[1];
    if (state === 'Z') return undefined;
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ppid: field('PPid'), command, rssKb: field('VmRSS'), rssAnonKb: field('RssAnon') };
  } catch {
    // Gone while we looked.
    return undefined;
  }
}

/** `root` and every process below it. */
function processTree(root: number): ProcInfo[] {
  const table = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => readProc(Number(entry)) ?? []);
  const tree = table.filter((info) => info.pid === root);
  for (let index = 0; index < tree.length; index += 1) {
    tree.push(...table.filter((info) => info.ppid === tree[index]!.pid));
  }
  return tree;
}

function roleOf(info: ProcInfo, root: number, postmaster: number | undefined): ProcessRole | undefined {
  if (info.pid === root) return 'primary';
  if (info.command.includes('apps/api/src/main.ts')) return 'api';
  if (info.command.includes('apps/worker/src/main.ts')) return 'worker';
  if (info.command.includes('apps/serving/src/main.ts')) return 'serving';
  if (info.command.includes('lepton-postgres-watchdog')) return 'watchdog';
  if (/\/bin\/postgres\b/.test(info.command) && info.pid === postmaster) return 'postmaster';
  if (postmaster !== undefined && info.ppid === postmaster) return 'postgres-backends';
  return undefined;
}

const BACKENDS = 'postgres backends (mean)';
const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;

/** Samples the tree under `root` every `intervalMs` until stopped. */
export function startMemorySampler(root: number, intervalMs: number, startedAt: () => number) {
  const series = new Map<string, ProcessSeries>();
  /** Node processes seen at some point that no longer run: a crash and restart shows here. */
  const vanished = new Set<string>();

  const sample = () => {
    const at = Math.round(((performance.now() - startedAt()) / 1000) * 10) / 10;
    const tree = processTree(root);
    const postmaster = tree.find((info) => /\/bin\/postgres\b/.test(info.command) && / -D /.test(info.command))?.pid;
    const backends = { rssKb: 0, rssAnonKb: 0, count: 0 };
    const seen = new Set<string>();
    for (const info of tree) {
      const role = roleOf(info, root, postmaster);
      if (!role) continue;
      if (role === 'postgres-backends') {
        backends.rssKb += info.rssKb;
        backends.rssAnonKb += info.rssAnonKb;
        backends.count += 1;
        continue;
      }
      const name = `${role} ${info.pid}`;
      seen.add(name);
      const measure = role === 'postmaster' ? 'rssAnon' : 'rss';
      let entry = series.get(name);
      if (!entry) {
        entry = { name, role, pid: info.pid, measure, samples: [], rssMb: [] };
        series.set(name, entry);
      }
      entry.samples.push([at, mb(measure === 'rss' ? info.rssKb : info.rssAnonKb)]);
      entry.rssMb.push(mb(info.rssKb));
    }
    if (backends.count > 0) {
      let entry = series.get(BACKENDS);
      if (!entry) {
        entry = {
          name: BACKENDS,
          role: 'postgres-backends',
          pid: null,
          measure: 'rssAnon',
          samples: [],
          rssMb: [],
          processCounts: [],
        };
        series.set(entry.name, entry);
      }
      entry.samples.push([at, mb(backends.rssAnonKb / backends.count)]);
      entry.rssMb.push(mb(backends.rssKb));
      entry.processCounts!.push(backends.count);
    }
    for (const [name, entry] of series) {
      if (entry.pid !== null && !seen.has(name)) vanished.add(name);
    }
  };

  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop(): { series: ProcessSeries[]; vanished: string[] } {
      clearInterval(timer);
      sample();
      return { series: [...series.values()], vanished: [...vanished] };
    },
  };
}
