import { describe, expect, it } from 'vitest';
import { decideCanary, LATENCY_RATIO_FLOOR_MS, type WindowStats } from './canary-analysis';
import { DEFAULT_CANARY_ANALYSIS, type CanaryAnalysisConfig } from './deployment-config';
import { emptyHistogram, latencyBucketIndex } from './request-stats';

const CONFIG: CanaryAnalysisConfig = {
  ...DEFAULT_CANARY_ANALYSIS,
  minRequests: 100,
  maxErrorRateDelta: 0.02,
  maxLatencyP99Ratio: 1.5,
};

/** `requests` requests all taking `latencyMs`, `errors` of them failed, `clientErrors` more refused. */
function window(requests: number, errors: number, latencyMs: number, clientErrors = 0): WindowStats {
  const latencyBuckets = emptyHistogram();
  latencyBuckets[latencyBucketIndex(latencyMs)] = requests;
  return { requests: requests + clientErrors, errors, clientErrors, latencyBuckets };
}

describe('decideCanary', () => {
  it('waits while the canary has served fewer than minRequests', () => {
    const decision = decideCanary(CONFIG, window(99, 99, 5000), window(1000, 0, 10));
    expect(decision.verdict).toBe('WAIT');
    expect(decision.figures.canaryRequests).toBe(99);
    expect(decision.reason).toContain('99 of the 100');
  });

  it('does not count client errors (4xx) as requests served, nor as errors', () => {
    const decision = decideCanary(CONFIG, window(60, 0, 10, 500), window(1000, 0, 10));
    expect(decision.verdict).toBe('WAIT');
    expect(decideCanary(CONFIG, window(200, 0, 10, 5000), window(1000, 0, 10)).verdict).toBe('PROMOTE');
  });

  it('promotes a canary as healthy as the stable revision', () => {
    const decision = decideCanary(CONFIG, window(200, 1, 10), window(800, 4, 10));
    expect(decision.verdict).toBe('PROMOTE');
    expect(decision.figures).toMatchObject({
      canaryRequests: 200,
      stableRequests: 800,
      canaryErrorRate: 0.005,
      stableErrorRate: 0.005,
    });
    expect(decision.figures.errorRateDelta).toBeCloseTo(0, 12);
    expect(decision.figures.p99Ratio).toBeCloseTo(1, 12);
  });

  it('rolls back when the error rate exceeds the stable one by more than maxErrorRateDelta', () => {
    const decision = decideCanary(CONFIG, window(200, 10, 10), window(800, 8, 10));
    expect(decision.verdict).toBe('ROLL_BACK');
    expect(decision.figures.canaryErrorRate).toBe(0.05);
    expect(decision.figures.stableErrorRate).toBe(0.01);
    expect(decision.figures.errorRateDelta).toBeCloseTo(0.04, 12);
    expect(decision.reason).toMatch(/error rate 5\.00% \(canary\) vs 1\.00% \(stable\)/);
  });

  it('accepts an error rate exactly maxErrorRateDelta above the stable one', () => {
    expect(decideCanary({ ...CONFIG, maxErrorRateDelta: 0.25 }, window(200, 50, 10), window(800, 0, 10)).verdict).toBe(
      'PROMOTE',
    );
  });

  it('rolls back when the p99 latency exceeds the stable one times maxLatencyP99Ratio', () => {
    const decision = decideCanary(CONFIG, window(200, 0, 200), window(800, 0, 50));
    expect(decision.verdict).toBe('ROLL_BACK');
    expect(decision.figures.p99Ratio).toBeGreaterThan(1.5);
    expect(decision.reason).toContain('p99');
  });

  it('does not read sub-floor latencies as a ratio (0.4 ms vs 1.2 ms is noise, not 3x)', () => {
    const decision = decideCanary(CONFIG, window(200, 0, 1.2), window(800, 0, 0.4));
    expect(decision.figures.canaryP99Ms!).toBeLessThan(LATENCY_RATIO_FLOOR_MS);
    expect(decision.figures.p99Ratio).toBe(1);
    expect(decision.verdict).toBe('PROMOTE');
  });

  it('judges a canary with no stable traffic in the window by its own error rate, without a latency ratio', () => {
    const healthy = decideCanary(CONFIG, window(200, 0, 900), window(0, 0, 1));
    expect(healthy.verdict).toBe('PROMOTE');
    expect(healthy.figures).toMatchObject({
      stableRequests: 0,
      stableErrorRate: null,
      p99Ratio: null,
      stableP99Ms: null,
    });
    expect(decideCanary(CONFIG, window(200, 20, 10), window(0, 0, 1)).verdict).toBe('ROLL_BACK');
  });

  it('rolls back a canary the serving processes could not load, whatever its (absent) traffic', () => {
    const decision = decideCanary(CONFIG, window(0, 0, 1), window(800, 0, 10), 'unknown layer Foo');
    expect(decision.verdict).toBe('ROLL_BACK');
    expect(decision.reason).toBe('Rolled back: serving processes could not load the canary (unknown layer Foo).');
    expect(decision.figures.canaryRequests).toBe(0);
  });
});
