import {
  accuracy,
  confusionMatrix,
  EVALUATION_METRICS,
  macroScores,
  rocAuc,
  type EvaluationMetric,
} from '@lepton/model-contract';
import { mulberry32 } from '@lepton/util';

/** Per-example outcomes of one model on one split. */
export interface Outcomes {
  targets: readonly number[];
  predictions: readonly number[];
  scores: readonly number[];
}

/** Any metric an evaluation records can gate a promotion. */
export type PromotionMetric = EvaluationMetric;
export const PROMOTION_METRICS = EVALUATION_METRICS;

/**
 * The metric on the examples at `indices` (with repeats, as a bootstrap sample has), computed by
 * the contract's definitions (the ones the trainer's evaluation uses), so a gate compares exactly what evaluations record.
 */
export function metricOn(metric: PromotionMetric, outcomes: Outcomes, indices: ArrayLike<number>): number {
  const targets = new Int32Array(indices.length);
  const predictions = new Int32Array(indices.length);
  const scores = new Float64Array(metric === 'auc' ? indices.length : 0);
  let classes = 1;
  for (let i = 0; i < indices.length; i += 1) {
    const index = indices[i]!;
    targets[i] = outcomes.targets[index]!;
    predictions[i] = outcomes.predictions[index]!;
    if (metric === 'auc') scores[i] = outcomes.scores[index]!;
    classes = Math.max(classes, targets[i]! + 1, predictions[i]! + 1);
  }
  if (metric === 'auc') return rocAuc(targets, scores) ?? 0.5;
  const matrix = confusionMatrix(targets, predictions, classes);
  return metric === 'accuracy' ? accuracy(matrix) : macroScores(matrix)[metric];
}

export interface BootstrapResult {
  candidate: number;
  holder: number;
  difference: number;
  ciLow: number;
  ciHigh: number;
  resamples: number;
}

/**
 * Paired bootstrap of `metric(candidate) − metric(holder)`: both models are scored on the same
 * resampled examples, so the interval reflects their disagreement, not the test set's luck.
 */
export function pairedBootstrap(
  metric: PromotionMetric,
  candidate: Outcomes,
  holder: Outcomes,
  options: { confidence: number; resamples?: number; seed?: number },
): BootstrapResult {
  const n = candidate.targets.length;
  const all = Array.from({ length: n }, (_, index) => index);
  const resamples = options.resamples ?? 2000;
  const next = mulberry32(options.seed ?? 7);
  const differences = new Float64Array(resamples);
  const sample = new Int32Array(n);
  for (let r = 0; r < resamples; r += 1) {
    for (let i = 0; i < n; i += 1) sample[i] = Math.floor(next() * n);
    differences[r] = metricOn(metric, candidate, sample) - metricOn(metric, holder, sample);
  }
  differences.sort();
  const tail = (1 - options.confidence) / 2;
  const at = (q: number) => differences[Math.min(resamples - 1, Math.max(0, Math.floor(q * resamples)))]!;
  const candidateValue = metricOn(metric, candidate, all);
  const holderValue = metricOn(metric, holder, all);
  return {
    candidate: candidateValue,
    holder: holderValue,
    difference: candidateValue - holderValue,
    ciLow: at(tail),
    ciHigh: at(1 - tail),
    resamples,
  };
}
