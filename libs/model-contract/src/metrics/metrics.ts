/** Counts per (true class, predicted class): rows are the true class. */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, numClasses: number): number[][] {
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) matrix[labels[i]!]![predicted[i]!]! += 1;
  return matrix;
}

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
}

export function accuracy(matrix: number[][]): number {
  let correct = 0;
  let total = 0;
  matrix.forEach((row, i) =>
    row.forEach((count, j) => {
      total += count;
      if (i === j) correct += count;
    }),
  );
  return total === 0 ? 0 : correct / total;
}

/** Per-class scores; an undefined ratio (no predictions, or no examples of the class) counts as 0, as in scikit-learn. */
export function perClassScores(matrix: number[][]): ClassScores[] {
  return matrix.map((row, k) => {
    const truePositives = row[k]!;
    const actual = row.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((sum, other) => sum + other[k]!, 0);
    const precision = predicted === 0 ? 0 : truePositives / predicted;
    const recall = actual === 0 ? 0 : truePositives / actual;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { precision, recall, f1 };
  });
}

/**
 * Unweighted means over the classes that occur in the labels or the predictions (scikit-learn's default label set),
 * so a class absent from a small split does not drag every score towards zero. F1 is the mean of per-class F1s.
 */
export function macroScores(matrix: number[][]): ClassScores {
  const scores = perClassScores(matrix);
  const present = scores.filter((_, k) => matrix[k]!.some((count) => count > 0) || matrix.some((row) => row[k]! > 0));
  const mean = (pick: (s: ClassScores) => number) =>
    present.length === 0 ? 0 : present.reduce((sum, s) => sum + pick(s), 0) / present.length;
  return { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1) };
}

/**
 * Exact ROC-AUC for binary labels (1 = positive) via the Mann–Whitney U statistic: the probability that a random
 * positive outscores a random negative, ties counting one half (average ranks). Undefined without both classes.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number | undefined {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]!] === scores[order[start]!]) end++;
    const averageRank = (start + 1 + end) / 2; // ranks start..end-1, 1-based
    for (let i = start; i < end; i++) {
      if (labels[order[i]!] === 1) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return undefined;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
