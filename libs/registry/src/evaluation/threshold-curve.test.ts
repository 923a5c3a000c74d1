import { describe, expect, it } from 'vitest';
import { binaryOutcomes, outcomesAuc, thresholdCurve } from './threshold-curve';

// Six examples, worked out by hand: positives score 0.9, 0.6, 0.4; negatives 0.6, 0.2, 0.8.
const OUTCOMES = { targets: [1, 1, 0, 1, 0, 0], scores: [0.9, 0.6, 0.6, 0.4, 0.2, 0.8] };

describe('thresholdCurve', () => {
  it('counts score >= threshold as positive at evenly spaced thresholds', () => {
    const curve = thresholdCurve(OUTCOMES, 5);
    expect(curve.map(({ threshold, tp, fp, tn, fn }) => ({ threshold, tp, fp, tn, fn }))).toEqual([
      { threshold: 0, tp: 3, fp: 3, tn: 0, fn: 0 },
      { threshold: 0.25, tp: 3, fp: 2, tn: 1, fn: 0 },
      // 0.6 sits on neither side of 0.5: both 0.6 scores count as positive.
      { threshold: 0.5, tp: 2, fp: 2, tn: 1, fn: 1 },
      { threshold: 0.75, tp: 1, fp: 1, tn: 2, fn: 2 },
      { threshold: 1, tp: 0, fp: 0, tn: 3, fn: 3 },
    ]);
  });

  it('derives the rates from the counts', () => {
    const [, quarter, half, , one] = thresholdCurve(OUTCOMES, 5);
    expect(quarter).toMatchObject({ tpr: 1, recall: 1, predictedPositive: 5 });
    expect(quarter!.fpr).toBeCloseTo(2 / 3);
    expect(quarter!.specificity).toBeCloseTo(1 / 3);
    expect(quarter!.precision).toBeCloseTo(3 / 5);
    expect(quarter!.accuracy).toBeCloseTo(4 / 6);
    expect(half!.tpr).toBeCloseTo(2 / 3);
    expect(half!.precision).toBeCloseTo(0.5);
    // Nothing predicted positive: precision is undefined, not 0.
    expect(one).toMatchObject({ precision: null, tpr: 0, fpr: 0, specificity: 1, accuracy: 0.5, predictedPositive: 0 });
  });

  it('is monotone: raising the threshold never adds predicted positives', () => {
    const scores = Array.from({ length: 200 }, (_, i) => ((i * 7919) % 1000) / 1000);
    const targets = scores.map((score, i) => (score + (i % 3) * 0.2 > 0.6 ? 1 : 0));
    const curve = thresholdCurve({ targets, scores }, 101);
    expect(curve).toHaveLength(101);
    for (let i = 1; i < curve.length; i++) {
      expect(curve[i]!.predictedPositive).toBeLessThanOrEqual(curve[i - 1]!.predictedPositive);
      expect(curve[i]!.tp + curve[i]!.fn).toBe(curve[0]!.tp);
    }
  });

  it('gives the Mann–Whitney AUC, ties counting one half', () => {
    // Positive beats negative: 0.9 beats all 3; 0.6 beats 0.2 and ties 0.6; 0.4 beats 0.2 → 5.5 of 9 pairs.
    expect(outcomesAuc(OUTCOMES)).toBeCloseTo(5.5 / 9);
    expect(outcomesAuc({ targets: [1, 1], scores: [0.2, 0.3] })).toBeNull();
  });

  it('applies to binary evaluations with one score per example only', () => {
    expect(binaryOutcomes({ labels: ['negative', 'positive'], ...OUTCOMES })).not.toBeNull();
    expect(binaryOutcomes({ labels: ['a', 'b', 'c'], targets: [0, 1, 2], scores: [0.1, 0.2, 0.3] })).toBeNull();
    expect(binaryOutcomes({ labels: ['a', 'b'], targets: [0, 1], scores: [] })).toBeNull();
  });
});
