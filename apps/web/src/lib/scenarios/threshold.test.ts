import { describe, expect, it } from 'vitest';
import {
  confusionAt,
  costOptimal,
  decide,
  expectedCost,
  parseCosts,
  pointAt,
  ratesOf,
  rocPoints,
  type CurveCounts,
} from './threshold';

/** Counts at each threshold straight from labelled scores, as the API derives them from stored outcomes. */
function curveOf(examples: [score: number, positive: boolean][], points = 11): CurveCounts[] {
  return Array.from({ length: points }, (_, index) => {
    const threshold = index / (points - 1);
    const counts = { threshold, tp: 0, fp: 0, tn: 0, fn: 0 };
    for (const [score, positive] of examples) {
      const predicted = score >= threshold;
      if (predicted && positive) counts.tp += 1;
      else if (predicted) counts.fp += 1;
      else if (positive) counts.fn += 1;
      else counts.tn += 1;
    }
    return counts;
  });
}

const EXAMPLES: [number, boolean][] = [
  [0.95, true],
  [0.85, true],
  [0.72, false],
  [0.65, true],
  [0.41, false],
  [0.35, true],
  [0.22, false],
  [0.12, false],
  [0.08, false],
  [0.03, false],
];
const CURVE = curveOf(EXAMPLES);

describe('rates at a threshold', () => {
  it('derives sensitivity, specificity, precision and alert volume from the counts', () => {
    const at = pointAt(CURVE, 0.5)!;
    expect(at).toEqual({ threshold: 0.5, tp: 3, fp: 1, tn: 5, fn: 1 });
    const rates = ratesOf(at);
    expect(rates.sensitivity).toBe(0.75);
    expect(rates.recall).toBe(0.75);
    expect(rates.specificity).toBeCloseTo(5 / 6, 12);
    expect(rates.falsePositiveRate).toBeCloseTo(1 / 6, 12);
    expect(rates.precision).toBe(0.75);
    expect(rates.accuracy).toBe(0.8);
    expect(rates.alerts).toBe(4);
    expect(rates.alertRate).toBe(0.4);
  });

  it('moves sensitivity up and specificity down as the threshold falls', () => {
    const high = ratesOf(pointAt(CURVE, 0.9)!);
    const low = ratesOf(pointAt(CURVE, 0.1)!);
    expect(high.sensitivity).toBe(0.25);
    expect(low.sensitivity).toBe(1);
    expect(high.specificity).toBe(1);
    expect(low.specificity).toBe(2 / 6);
    expect(low.alerts).toBeGreaterThan(high.alerts);
  });

  it('has no precision when nothing is flagged, and edge rates without a class', () => {
    const nothing = ratesOf({ threshold: 1, tp: 0, fp: 0, tn: 6, fn: 4 });
    expect(nothing.precision).toBeNull();
    expect(nothing.alertRate).toBe(0);
    const onlyNegatives = ratesOf({ threshold: 0.5, tp: 0, fp: 2, tn: 3, fn: 0 });
    expect(onlyNegatives.sensitivity).toBe(0);
    const onlyPositives = ratesOf({ threshold: 0.5, tp: 2, fp: 0, tn: 0, fn: 1 });
    expect(onlyPositives.specificity).toBe(1);
  });

  it('picks the nearest curve point, the lower one on a tie', () => {
    expect(pointAt(CURVE, 0.33)!.threshold).toBe(0.3);
    expect(pointAt(CURVE, 0.37)!.threshold).toBe(0.4);
    expect(
      pointAt(
        [
          { threshold: 0.2, tp: 0, fp: 0, tn: 0, fn: 0 },
          { threshold: 0.4, tp: 0, fp: 0, tn: 0, fn: 0 },
        ],
        0.3,
      )!.threshold,
    ).toBe(0.2);
    expect(pointAt([], 0.5)).toBeUndefined();
  });

  it('lays the confusion matrix out as rows true, columns predicted, negative first', () => {
    expect(confusionAt({ threshold: 0.5, tp: 3, fp: 1, tn: 5, fn: 1 })).toEqual([
      [5, 1],
      [1, 3],
    ]);
  });

  it('decides positive at or above the threshold, as the curve counts', () => {
    expect(decide(0.5, 0.5)).toBe(true);
    expect(decide(0.4999, 0.5)).toBe(false);
  });
});

describe('the ROC curve', () => {
  it('runs from (0,0) to (1,1) with rates that never decrease', () => {
    const roc = rocPoints(CURVE);
    expect(roc[0]).toEqual([0, 0]);
    expect(roc[roc.length - 1]).toEqual([1, 1]);
    for (let index = 1; index < roc.length; index += 1) {
      expect(roc[index]![0]).toBeGreaterThanOrEqual(roc[index - 1]![0]);
      expect(roc[index]![1]).toBeGreaterThanOrEqual(roc[index - 1]![1]);
    }
  });
});

describe('expected cost', () => {
  it('weighs missed positives and false alarms by their costs', () => {
    const at = { threshold: 0.5, tp: 3, fp: 1, tn: 5, fn: 1 };
    expect(expectedCost(at, { falseNegative: 10, falsePositive: 2 })).toEqual({
      threshold: 0.5,
      total: 12,
      perExample: 1.2,
    });
  });

  it('finds the cheapest threshold, which falls as a miss gets dearer', () => {
    const balanced = costOptimal(CURVE, { falseNegative: 1, falsePositive: 1 })!;
    // Brute force over the same curve: no threshold is cheaper.
    for (const point of CURVE)
      expect(expectedCost(point, { falseNegative: 1, falsePositive: 1 }).total).toBeGreaterThanOrEqual(balanced.total);
    const missesDear = costOptimal(CURVE, { falseNegative: 20, falsePositive: 1 })!;
    const alarmsDear = costOptimal(CURVE, { falseNegative: 1, falsePositive: 20 })!;
    expect(missesDear.threshold).toBeLessThanOrEqual(balanced.threshold);
    expect(alarmsDear.threshold).toBeGreaterThanOrEqual(balanced.threshold);
    expect(missesDear.threshold).toBe(0.3); // catches every positive: tp=4, fp=2
    expect(alarmsDear.threshold).toBe(0.8); // no false alarm left
  });

  it('breaks ties towards 0.5', () => {
    const flat = [0.2, 0.5, 0.9].map((threshold) => ({ threshold, tp: 1, fp: 0, tn: 1, fn: 0 }));
    expect(costOptimal(flat, { falseNegative: 5, falsePositive: 1 })!.threshold).toBe(0.5);
    expect(costOptimal([], { falseNegative: 5, falsePositive: 1 })).toBeUndefined();
  });

  it('accepts only usable costs from the form', () => {
    expect(parseCosts('5', '1')).toEqual({ costs: { falseNegative: 5, falsePositive: 1 } });
    expect(parseCosts('', '1').error).toBe('Enter both costs');
    expect(parseCosts('abc', '1').error).toBe('Costs are numbers');
    expect(parseCosts('-1', '1').error).toBe('Costs cannot be negative');
    expect(parseCosts('0', '0').error).toMatch(/above zero/);
  });
});
