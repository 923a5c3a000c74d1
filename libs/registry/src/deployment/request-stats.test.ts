import { describe, expect, it } from 'vitest';
import {
  bucketStartOf,
  emptyHistogram,
  histogramQuantile,
  LATENCY_BUCKETS_MS,
  latencyBucketIndex,
  RequestSampler,
  RequestStatsAccumulator,
} from './request-stats';

describe('latency histogram', () => {
  it('puts a latency in the first bucket whose bound is at least it, and the rest in the open last bucket', () => {
    expect(latencyBucketIndex(0)).toBe(0);
    expect(latencyBucketIndex(0.5)).toBe(0);
    expect(latencyBucketIndex(0.51)).toBe(1);
    expect(latencyBucketIndex(100)).toBe(LATENCY_BUCKETS_MS.indexOf(100));
    expect(latencyBucketIndex(10_000.1)).toBe(LATENCY_BUCKETS_MS.length);
  });

  it('interpolates quantiles inside their bucket and answers null for an empty histogram', () => {
    expect(histogramQuantile(emptyHistogram(), 0.5)).toBeNull();
    const counts = emptyHistogram();
    counts[LATENCY_BUCKETS_MS.indexOf(20)] = 100; // 100 requests in (15, 20] ms
    expect(histogramQuantile(counts, 0.5)).toBe(17.5);
    expect(histogramQuantile(counts, 0.99)).toBeCloseTo(19.95, 10);
    counts[LATENCY_BUCKETS_MS.length] = 100; // and 100 beyond the last bound
    expect(histogramQuantile(counts, 0.99)).toBe(LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]);
    expect(histogramQuantile(counts, 0.25)).toBe(17.5);
  });

  it('aligns buckets to 10 seconds', () => {
    expect(bucketStartOf(new Date('2026-01-01T00:00:19.999Z')).toISOString()).toBe('2026-01-01T00:00:10.000Z');
  });
});

describe('RequestStatsAccumulator', () => {
  it('groups by deployment, revision and 10-s bucket, counting outcomes separately', () => {
    const accumulator = new RequestStatsAccumulator();
    const at = new Date('2026-01-01T00:00:01Z');
    accumulator.record({ deploymentId: 'd', revisionId: 'r1', latencyMs: 4, outcome: 'ok', batchSize: 8, at });
    accumulator.record({ deploymentId: 'd', revisionId: 'r1', latencyMs: 40, outcome: 'error', batchSize: 2, at });
    accumulator.record({
      deploymentId: 'd',
      revisionId: 'r1',
      latencyMs: 1,
      outcome: 'client_error',
      batchSize: 1,
      at,
    });
    accumulator.record({ deploymentId: 'd', revisionId: 'r2', latencyMs: 4, outcome: 'ok', batchSize: 1, at });
    accumulator.record({
      deploymentId: 'd',
      revisionId: 'r1',
      latencyMs: 4,
      outcome: 'ok',
      batchSize: 1,
      at: new Date('2026-01-01T00:00:11Z'),
    });
    const rows = accumulator.drain();
    expect(rows).toHaveLength(3);
    const first = rows.find(
      (row) => row.revisionId === 'r1' && row.bucketStart.toISOString() === '2026-01-01T00:00:00.000Z',
    )!;
    expect(first).toMatchObject({ requests: 3, errors: 1, clientErrors: 1, latencySumMs: 44, batchSizeSum: 10 });
    // Refused requests stay out of the latency histogram.
    expect(first.latencyBuckets.reduce((sum, count) => sum + count, 0)).toBe(2);
    expect(accumulator.drain()).toEqual([]);
  });

  it('takes rows back after a failed flush and adds them to new ones', () => {
    const accumulator = new RequestStatsAccumulator();
    const at = new Date('2026-01-01T00:00:01Z');
    accumulator.record({ deploymentId: 'd', revisionId: 'r', latencyMs: 4, outcome: 'ok', batchSize: 1, at });
    const failed = accumulator.drain();
    accumulator.record({ deploymentId: 'd', revisionId: 'r', latencyMs: 4, outcome: 'error', batchSize: 1, at });
    accumulator.restore(failed);
    const [row] = accumulator.drain();
    expect(row).toMatchObject({ requests: 2, errors: 1 });
    expect(row!.latencyBuckets[latencyBucketIndex(4)]).toBe(2);
  });
});

describe('RequestSampler', () => {
  it('samples the first few successes and errors of each deployment per second', () => {
    const sampler = new RequestSampler(2, 3);
    const now = 1_000_000;
    const ok = Array.from({ length: 5 }, () => sampler.shouldSample('a', 200, now));
    const failed = Array.from({ length: 5 }, () => sampler.shouldSample('a', 500, now));
    expect(ok).toEqual([true, true, false, false, false]);
    expect(failed).toEqual([true, true, true, false, false]);
    expect(sampler.shouldSample('b', 200, now)).toBe(true);
    expect(sampler.shouldSample('a', 200, now + 1000)).toBe(true);
  });
});
