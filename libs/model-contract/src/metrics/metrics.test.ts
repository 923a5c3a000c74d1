import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@lepton/util';
import { accuracy, confusionMatrix, macroScores, perClassScores, rocAuc } from './metrics';

/** AUC by definition: over all (positive, negative) pairs, 1 if the positive scores higher, ½ on ties. */
function bruteForceAuc(labels: number[], scores: number[]): number {
  let wins = 0;
  let pairs = 0;
  labels.forEach((label, i) => {
    if (label !== 1) return;
    labels.forEach((other, j) => {
      if (other !== 0) return;
      pairs++;
      wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe('classification metrics', () => {
  // 10 examples, 3 classes. By hand:
  //   true\pred  0  1  2
  //   0          3  1  0     recall 3/4
  //   1          1  2  0     recall 2/3
  //   2          0  1  2     recall 2/3
  //   precision  3/4 2/4 2/2
  const labels = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
  const predicted = [0, 0, 0, 1, 1, 1, 0, 2, 2, 1];

  it('builds the confusion matrix with true classes as rows', () => {
    expect(confusionMatrix(labels, predicted, 3)).toEqual([
      [3, 1, 0],
      [1, 2, 0],
      [0, 1, 2],
    ]);
  });

  it('computes accuracy and macro precision/recall/F1 as scikit-learn does', () => {
    const matrix = confusionMatrix(labels, predicted, 3);
    expect(accuracy(matrix)).toBeCloseTo(7 / 10, 12);
    const f1 = (p: number, r: number) => (2 * p * r) / (p + r);
    const perClass = perClassScores(matrix);
    expect(perClass[0]).toEqual({ precision: 0.75, recall: 0.75, f1: 0.75 });
    expect(perClass[1]!.f1).toBeCloseTo(f1(0.5, 2 / 3), 12);
    const macro = macroScores(matrix);
    expect(macro.precision).toBeCloseTo((0.75 + 0.5 + 1) / 3, 12);
    expect(macro.recall).toBeCloseTo((0.75 + 2 / 3 + 2 / 3) / 3, 12);
    expect(macro.f1).toBeCloseTo((0.75 + f1(0.5, 2 / 3) + f1(1, 2 / 3)) / 3, 12);
  });

  it('averages only over classes seen in labels or predictions, scoring undefined ratios as 0', () => {
    // Class 2 never occurs; class 1 is never predicted (precision 0/0 → 0).
    const matrix = confusionMatrix([0, 0, 1, 1], [0, 0, 0, 0], 3);
    expect(perClassScores(matrix)[1]).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(macroScores(matrix)).toEqual({ precision: 0.25, recall: 0.5, f1: (2 * 0.5 * 1) / 1.5 / 2 });
    expect(accuracy(confusionMatrix([], [], 2))).toBe(0);
  });

  it('computes exact ROC-AUC with ties, matching the pairwise definition', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    expect(rocAuc([1, 1, 0], [0.9, 0.8, 0.1])).toBe(1);
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeUndefined();

    const random = mulberry32(5);
    for (let trial = 0; trial < 20; trial++) {
      const n = 5 + Math.floor(random() * 60);
      const labels = Array.from({ length: n }, (_, i) => (i < 2 ? i : random() < 0.4 ? 1 : 0));
      // Coarse scores force plenty of ties.
      const scores = labels.map((label) => Math.round((random() + label * 0.3) * 8) / 8);
      expect(rocAuc(labels, scores)).toBeCloseTo(bruteForceAuc(labels, scores), 12);
    }
  });
});
