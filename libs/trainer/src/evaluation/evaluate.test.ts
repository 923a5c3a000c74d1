import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../model/build-model';
import type { TrainingData } from '../training/data';
import { evaluate } from './evaluate';
import { rocAuc } from '@lepton/model-contract';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A softmax layer with identity weights: it predicts the class whose feature is largest. */
function argmaxModel(numClasses: number, scale = 1): tf.LayersModel {
  const model = buildModel(
    { architecture: 'mlp', hiddenUnits: [] },
    { featureShape: [numClasses], numClasses },
    { epochs: 1, batchSize: 1, learningRate: 0.1, optimizer: 'sgd', seed: 0, earlyStoppingPatience: 0 },
  );
  model.setWeights([tf.mul(tf.eye(numClasses), scale), tf.zeros([numClasses])]);
  return model;
}

function dataset(rows: number[][], labels: number[], classes: string[]): TrainingData {
  const all = Int32Array.from(rows, (_, i) => i);
  return {
    featureShape: [rows[0]!.length],
    classes,
    features: Float32Array.from(rows.flat()),
    labels: Int32Array.from(labels),
    splits: { train: new Int32Array(0), validation: new Int32Array(0), test: all },
  };
}

describe('evaluate', () => {
  it('matches hand-computed metrics on a crafted confusion', () => {
    const labels = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
    const predicted = [0, 0, 0, 1, 1, 1, 0, 2, 2, 1];
    const rows = predicted.map((p) => [0, 1, 2].map((k) => (k === p ? 1 : 0)));
    const result = evaluate(argmaxModel(3, 5), dataset(rows, labels, ['a', 'b', 'c']), 'test');
    expect(result.confusionMatrix).toEqual([
      [3, 1, 0],
      [1, 2, 0],
      [0, 1, 2],
    ]);
    expect(result.accuracy).toBeCloseTo(0.7, 12);
    expect(result.precision).toBeCloseTo((3 / 4 + 2 / 4 + 2 / 2) / 3, 12);
    expect(result.recall).toBeCloseTo((3 / 4 + 2 / 3 + 2 / 3) / 3, 12);
    expect(result.f1).toBeCloseTo((0.75 + (2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3) + (2 * (2 / 3)) / (1 + 2 / 3)) / 3, 12);
    expect(result.auc).toBeUndefined();
    expect(result).toMatchObject({ labels: ['a', 'b', 'c'], examples: 10 });
    expect(result.perExample.map((e) => [e.label, e.predicted, e.correct])).toEqual(labels.map((l, i) => [l, predicted[i], l === predicted[i]]));
    expect(result.perExample[0]).not.toHaveProperty('score');
  });

  it('scores binary tasks with exact ROC-AUC over P(class 1)', () => {
    // P(class 1) = sigmoid(x1 − x0), so the ranking follows x1 − x0; two tied pairs across classes.
    const margins = [-2, -1, 0, 0, 1, 2, 0.5, -0.5, 1, 3];
    const labels = [0, 0, 0, 1, 0, 1, 1, 1, 1, 1];
    const rows = margins.map((m) => [0, m]);
    const result = evaluate(argmaxModel(2), dataset(rows, labels, ['no', 'yes']), 'test');
    const scores = result.perExample.map((e) => e.score!);
    scores.forEach((score, i) => expect(score).toBeCloseTo(1 / (1 + Math.exp(-margins[i]!)), 6));
    // Pairs (positive, negative) = 6 × 4 = 24; positives outscoring negatives by hand: 3 at margin 0 (½ tie with
    // the negative at 0 → 2.5), at 2: 4, at 0.5: 3, at −0.5: 2, at 1: 3.5 (tie with negative 1), at 3: 4.
    expect(result.auc).toBeCloseTo((2.5 + 4 + 3 + 2 + 3.5 + 4) / 24, 6);
    expect(result.auc).toBeCloseTo(rocAuc(labels, margins)!, 12);
  });

  it('refuses an empty split', () => {
    const data = dataset([[1, 0]], [0], ['no', 'yes']);
    expect(() => evaluate(argmaxModel(2), data, 'validation')).toThrow(/data.splits.validation: the split is empty/);
  });
});
