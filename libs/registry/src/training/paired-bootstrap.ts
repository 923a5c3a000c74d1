/** Per-example outcomes of one model on one split. */
export interface Outcomes {
  targets: readonly number[];
  predictions: readonly number[];
  scores: readonly number[];
}

export type PromotionMetric = 'accuracy' | 'precision' | 'recall' | 'f1' | 'auc';
export const PROMOTION_METRICS: readonly PromotionMetric[] = ['accuracy', 'precision', 'recall', 'f1', 'auc'];

/** The metric on the examples at `indices` (with repeats, as a bootstrap sample has). */
export function metricOn(metric: PromotionMetric, outcomes: Outcomes, indices: ArrayLike<number>): number {
  if (metric === 'accuracy') {
    let correct = 0;
    for (let i = 0; i < indices.length; i += 1) {
      const index = indices[i]!;
      if (outcomes.targets[index] === outcomes.predictions[index]) correct += 1;
    }
    return correct / indices.length;
  }
  if (metric === 'auc') return auc(outcomes, indices);
  // Macro average over the classes present in the sample's targets.
  const classes = new Set<number>();
  const truePositive = new Map<number, number>();
  const predicted = new Map<number, number>();
  const actual = new Map<number, number>();
  for (let i = 0; i < indices.length; i += 1) {
    const index = indices[i]!;
    const target = outcomes.targets[index]!;
    const prediction = outcomes.predictions[index]!;
    classes.add(target);
    actual.set(target, (actual.get(target) ?? 0) + 1);
    predicted.set(prediction, (predicted.get(prediction) ?? 0) + 1);
    if (target === prediction) truePositive.set(target, (truePositive.get(target) ?? 0) + 1);
  }
  let sum = 0;
  for (const label of classes) {
    const tp = truePositive.get(label) ?? 0;
    const precision = tp === 0 ? 0 : tp / predicted.get(label)!;
    const recall = tp / actual.get(label)!;
    sum += metric === 'precision' ? precision : metric === 'recall' ? recall : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  }
  return sum / classes.size;
}

/** Rank-based ROC-AUC (Mann–Whitney U) for class 1 vs class 0, ties counted as half. */
function auc(outcomes: Outcomes, indices: ArrayLike<number>): number {
  const items: { score: number; positive: boolean }[] = [];
  for (let i = 0; i < indices.length; i += 1) {
    const index = indices[i]!;
    items.push({ score: outcomes.scores[index]!, positive: outcomes.targets[index] === 1 });
  }
  items.sort((a, b) => a.score - b.score);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < items.length; ) {
    let end = start;
    while (end < items.length && items[end]!.score === items[start]!.score) end += 1;
    const averageRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k += 1) {
      if (items[k]!.positive) {
        positives += 1;
        rankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = items.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** mulberry32: small, fast and seeded, so a decision can be reproduced. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
  const next = random(options.seed ?? 7);
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
