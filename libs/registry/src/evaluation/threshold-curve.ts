import { rocAuc } from '@lepton/model-contract';

export const MIN_CURVE_POINTS = 2;
export const MAX_CURVE_POINTS = 1001;

/** Counts and rates when an example is predicted positive iff its score >= threshold. */
export interface ThresholdPoint {
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  tpr: number;
  fpr: number;
  specificity: number;
  precision: number | null;
  recall: number;
  accuracy: number;
  predictedPositive: number;
}

/** Binary outcomes: true class per example (1 = positive) and the positive-class score. */
export interface BinaryOutcomes {
  targets: readonly number[];
  scores: readonly number[];
}

/**
 * The confusion counts at `points` evenly spaced thresholds from 0 to 1. One sort, then one pass
 * over the thresholds: examples at or above each threshold are counted from the top.
 */
export function thresholdCurve(outcomes: BinaryOutcomes, points: number): ThresholdPoint[] {
  const n = outcomes.targets.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => outcomes.scores[b]! - outcomes.scores[a]!);
  const positives = outcomes.targets.reduce((sum, target) => sum + (target === 1 ? 1 : 0), 0);
  const negatives = n - positives;
  const curve: ThresholdPoint[] = [];
  let tp = 0;
  let fp = 0;
  let next = 0;
  // From the highest threshold down, so each example is counted once.
  for (let k = points - 1; k >= 0; k--) {
    const threshold = k / (points - 1);
    while (next < n && outcomes.scores[order[next]!]! >= threshold) {
      if (outcomes.targets[order[next]!] === 1) tp++;
      else fp++;
      next++;
    }
    const fn = positives - tp;
    const tn = negatives - fp;
    curve.push({
      threshold,
      tp,
      fp,
      tn,
      fn,
      tpr: positives === 0 ? 0 : tp / positives,
      fpr: negatives === 0 ? 0 : fp / negatives,
      specificity: negatives === 0 ? 1 : tn / negatives,
      precision: tp + fp === 0 ? null : tp / (tp + fp),
      recall: positives === 0 ? 0 : tp / positives,
      accuracy: n === 0 ? 0 : (tp + tn) / n,
      predictedPositive: tp + fp,
    });
  }
  return curve.reverse();
}

/** ROC-AUC of the stored outcomes; null without both classes. */
export function outcomesAuc(outcomes: BinaryOutcomes): number | null {
  return rocAuc(outcomes.targets, outcomes.scores) ?? null;
}

/** Binary evaluations with one score per example; null otherwise. */
export function binaryOutcomes(evaluation: { labels: string[]; targets: number[]; scores: number[] }): BinaryOutcomes | null {
  if (evaluation.labels.length !== 2 || evaluation.scores.length === 0) return null;
  if (evaluation.scores.length !== evaluation.targets.length) return null;
  return { targets: evaluation.targets, scores: evaluation.scores };
}
