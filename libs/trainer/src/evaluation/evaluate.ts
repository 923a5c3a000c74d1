import * as tf from '@tensorflow/tfjs';
import { accuracy, confusionMatrix, macroScores, ModelConfigError, rocAuc } from '@lepton/model-contract';
import {
  checkModelFitsData,
  checkTrainingData,
  gatherFeatures,
  gatherLabels,
  type SplitName,
  type TrainingData,
} from '../training/data';

export interface ExampleOutcome {
  label: number;
  predicted: number;
  correct: boolean;
  /** Binary tasks only: the predicted probability of class 1 (what ROC-AUC ranks). */
  score?: number;
}

export interface Evaluation {
  accuracy: number;
  /** Macro averages over the classes present in labels or predictions. */
  precision: number;
  recall: number;
  f1: number;
  /** Binary tasks whose split holds both classes. */
  auc?: number;
  /** Rows are the true class, columns the predicted class, both in `labels` order. */
  confusionMatrix: number[][];
  labels: string[];
  examples: number;
  /** In split order, so two models evaluated on the same split can be compared pairwise (bootstrap). */
  perExample: ExampleOutcome[];
}

const PREDICT_BATCH = 256;

/** Class probabilities for the given examples, row-major [examples × classes], predicted in bounded batches. */
function predictProbabilities(model: tf.LayersModel, data: TrainingData, indices: Int32Array): Float32Array {
  const numClasses = data.classes.length;
  const out = new Float32Array(indices.length * numClasses);
  for (let start = 0; start < indices.length; start += PREDICT_BATCH) {
    const batch = indices.subarray(start, start + PREDICT_BATCH);
    const probabilities = tf.tidy(() => {
      const x = tf.tensor(gatherFeatures(data, batch), [batch.length, ...data.featureShape]);
      return model.predict(x) as tf.Tensor;
    });
    out.set(probabilities.dataSync(), start * numClasses);
    probabilities.dispose();
  }
  return out;
}

function argmaxRows(values: Float32Array, rows: number, columns: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < columns; c++) if (values[r * columns + c]! > values[r * columns + best]!) best = c;
    out[r] = best;
  }
  return out;
}

/** Classification metrics of `model` on one split of `data`. */
export function evaluate(model: tf.LayersModel, data: TrainingData, split: SplitName): Evaluation {
  checkTrainingData(data);
  checkModelFitsData(model, data);
  const indices = data.splits[split];
  if (indices.length === 0) throw new ModelConfigError(`data.splits.${split}: the split is empty`, `data.splits.${split}`);
  const numClasses = data.classes.length;
  const probabilities = predictProbabilities(model, data, indices);
  const labels = gatherLabels(data, indices);
  const predicted = argmaxRows(probabilities, indices.length, numClasses);
  const matrix = confusionMatrix(labels, predicted, numClasses);
  const binary = numClasses === 2;
  const scores = binary ? Float32Array.from(labels, (_, i) => probabilities[i * 2 + 1]!) : null;
  const auc = scores ? rocAuc(labels, scores) : undefined;
  return {
    accuracy: accuracy(matrix),
    ...macroScores(matrix),
    ...(auc === undefined ? {} : { auc }),
    confusionMatrix: matrix,
    labels: [...data.classes],
    examples: indices.length,
    perExample: Array.from(labels, (label, i) => ({
      label,
      predicted: predicted[i]!,
      correct: label === predicted[i],
      ...(scores ? { score: scores[i]! } : {}),
    })),
  };
}
