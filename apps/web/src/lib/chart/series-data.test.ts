import { describe, expect, it } from 'vitest';
import { smooth, stepWindowFor, toChartData, type Bucket } from './series-data';

const bucket = (step: number, value: number, min = value, max = value): Bucket => ({ step, value, min, max });

describe('chart data from downsampled buckets', () => {
  it('lays out x, then line, band minimum and band maximum per series', () => {
    const data = toChartData([{ label: 'loss', buckets: [bucket(0, 2, 1.5, 2.5), bucket(16, 1, 0.5, 9)] }], {
      smoothing: 0,
      log: false,
    });
    expect(data.columns).toEqual([
      [0, 16],
      [2, 1],
      [1.5, 0.5],
      [2.5, 9],
    ]);
    expect(data.series).toEqual([{ label: 'loss', value: 1, min: 2, max: 3 }]);
    expect(data.pointCount).toBe(2);
  });

  it('keeps a spike in the band maximum even when the line is smoothed', () => {
    const data = toChartData([{ label: 'loss', buckets: [bucket(0, 1), bucket(1, 1, 1, 50), bucket(2, 1)] }], {
      smoothing: 0.9,
      log: false,
    });
    expect(data.columns[3]).toEqual([1, 50, 1]);
    expect(data.columns[1]).toEqual([1, 1, 1]);
  });

  it('aligns several runs on the union of their steps with gaps where a run has no bucket', () => {
    const data = toChartData(
      [
        { label: 'a', buckets: [bucket(0, 1), bucket(10, 2)] },
        { label: 'b', buckets: [bucket(5, 3), bucket(10, 4)] },
      ],
      { smoothing: 0, log: false },
    );
    expect(data.columns[0]).toEqual([0, 5, 10]);
    expect(data.columns[1]).toEqual([1, null, 2]);
    expect(data.columns[4]).toEqual([null, 3, 4]);
    expect(data.series.map((series) => series.value)).toEqual([1, 4]);
  });

  it('turns values that a log axis cannot show (≤ 0) into gaps, bands included', () => {
    const data = toChartData([{ label: 'loss', buckets: [bucket(0, 0, -1, 0), bucket(1, 0.5, 0.1, 2)] }], {
      smoothing: 0,
      log: true,
    });
    expect(data.columns[1]).toEqual([null, 0.5]);
    expect(data.columns[2]).toEqual([null, 0.1]);
    expect(data.columns[3]).toEqual([null, 2]);
  });

  it('smooths with a debiased moving average that starts at the first value and skips gaps', () => {
    expect(smooth([4, null, 4, 4], 0.6)).toEqual([4, null, 4, 4]);
    const [first, second] = smooth([0, 10], 0.5) as number[];
    expect(first).toBe(0);
    // (0.5·0 + 0.5·10) / (1 − 0.25) = 6.67: pulled back by the first point, not by zero.
    expect(second).toBeCloseTo(6.6667, 3);
    expect(smooth([1, 2, 3], 0)).toEqual([1, 2, 3]);
  });

  it('maps 10,000 buckets per series for several series', () => {
    const many = Array.from({ length: 10_000 }, (_, step) => bucket(step * 16, Math.sin(step), -1, 1));
    const data = toChartData(
      [
        { label: 'a', buckets: many },
        { label: 'b', buckets: many },
      ],
      { smoothing: 0.5, log: false },
    );
    expect(data.columns[0]).toHaveLength(10_000);
    expect(data.columns).toHaveLength(7);
    expect(data.pointCount).toBe(20_000);
  });

  it('re-queries a zoomed window as whole steps, never below step 0', () => {
    expect(stepWindowFor(null)).toBeNull();
    expect(stepWindowFor({ from: 120.4, to: 980.2 })).toEqual({ fromStep: 120, toStep: 981 });
    expect(stepWindowFor({ from: -35.5, to: 10.1 })).toEqual({ fromStep: 0, toStep: 11 });
    expect(stepWindowFor({ from: 50, to: 40 })).toEqual({ fromStep: 40, toStep: 50 });
  });
});
