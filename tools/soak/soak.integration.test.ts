import { describe, expect, it } from 'vitest';
import { DEFAULT_LOAD, runSoak } from './soak';

/**
 * The soak of `npm run soak` (10 minutes) cut to 40 s of load for CI, at a lighter pace for a
 * shared 2-core runner: the same platform, load and pass criteria.
 */
describe('soak (short)', () => {
  it('takes 40 s of mixed load with no 5xx or error, flat memory, and every accepted metric point stored', async () => {
    const lines: string[] = [];
    const report = await runSoak({
      ...DEFAULT_LOAD,
      metricPointsPerSecond: 2000,
      importIntervalMs: 5_000,
      durationSeconds: 40,
      memorySampleIntervalMs: 1_000,
      log: (line) => lines.push(line),
    });
    const failed = Object.entries(report.criteria).filter(([, criterion]) => !criterion.passed);
    const memory = report.memory?.processes.map((process) => `${process.name} x${process.ratio}`).join(', ');
    expect(failed, `${JSON.stringify(report.failureSamples.slice(0, 5))}\n${memory}\n${lines.join('\n')}`).toEqual([]);
    // The criteria judged real load: every kind ran and the checks saw points and processes.
    expect(Object.keys(report.criteria)).toEqual([
      'setup',
      'no5xx',
      'noUnexpectedErrors',
      'rssFlat',
      'metricsComplete',
      'processesStable',
      'everyLoadRan',
    ]);
    expect(report.metrics?.acceptedPoints).toBeGreaterThan(10_000);
    const roles = new Set(report.memory?.processes.map((process) => process.role));
    for (const role of ['primary', 'api', 'worker', 'serving', 'postmaster', 'postgres-backends']) {
      expect(roles).toContain(role);
    }
  }, 600_000);
});
