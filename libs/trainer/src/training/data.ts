import * as tf from '@tensorflow/tfjs';
import { ModelConfigError } from '@lepton/model-contract';

/** A labelled dataset in memory: row-major features, one class index per example, and splits as example indices. */
export interface TrainingData {
  featureShape: number[];
  classes: string[];
  features: Float32Array;
  labels: Int32Array;
  splits: { train: Int32Array; validation: Int32Array; test: Int32Array };
}

export type SplitName = keyof TrainingData['splits'];

export function featureSize(data: Pick<TrainingData, 'featureShape'>): number {
  return data.featureShape.reduce((a, b) => a * b, 1);
}

/** Rejects inconsistent data up front: tfjs would otherwise fail deep inside a kernel, or silently read garbage. */
export function checkTrainingData(data: TrainingData): void {
  const size = featureSize(data);
  const count = data.labels.length;
  if (!(size > 0) || data.features.length !== count * size) {
    throw new ModelConfigError(
      `data.features: expected ${count} examples × ${size} values, got ${data.features.length} values`,
      'data.features',
    );
  }
  if (data.classes.length < 2) throw new ModelConfigError('data.classes: need at least two classes', 'data.classes');
  for (let i = 0; i < count; i++) {
    const label = data.labels[i]!;
    if (label < 0 || label >= data.classes.length) {
      throw new ModelConfigError(`data.labels[${i}]: class ${label} is outside 0..${data.classes.length - 1}`, 'data.labels');
    }
  }
  for (const [name, indices] of Object.entries(data.splits)) {
    for (const index of indices) {
      if (index < 0 || index >= count) {
        throw new ModelConfigError(`data.splits.${name}: example ${index} is outside 0..${count - 1}`, `data.splits.${name}`);
      }
    }
  }
}

/** A model built for other data would fail mid-run with an opaque shape error; say which side disagrees. */
export function checkModelFitsData(model: tf.LayersModel, data: TrainingData): void {
  const input = model.inputs[0]?.shape.slice(1);
  const output = model.outputs[0]?.shape.slice(1);
  if (JSON.stringify(input) !== JSON.stringify(data.featureShape)) {
    throw new ModelConfigError(
      `data.featureShape: the model expects [${input?.join(', ')}] but examples are [${data.featureShape.join(', ')}]`,
      'data.featureShape',
    );
  }
  if (JSON.stringify(output) !== JSON.stringify([data.classes.length])) {
    throw new ModelConfigError(
      `data.classes: the model predicts ${output?.join('×')} classes but the data has ${data.classes.length}`,
      'data.classes',
    );
  }
}

/** Copies the chosen examples into one contiguous block, ready to upload as a tensor. */
export function gatherFeatures(data: TrainingData, indices: ArrayLike<number>): Float32Array {
  const size = featureSize(data);
  const out = new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    const start = indices[i]! * size;
    out.set(data.features.subarray(start, start + size), i * size);
  }
  return out;
}

export function gatherLabels(data: TrainingData, indices: ArrayLike<number>): Int32Array {
  return Int32Array.from(indices, (index) => data.labels[index]!);
}

/** Features and one-hot labels of a split as tensors; the caller disposes them. */
export function splitTensors(data: TrainingData, indices: Int32Array): { x: tf.Tensor; y: tf.Tensor } {
  const x = tf.tensor(gatherFeatures(data, indices), [indices.length, ...data.featureShape]);
  const y = tf.tidy(() =>
    tf.cast(tf.oneHot(tf.tensor1d(gatherLabels(data, indices), 'int32'), data.classes.length), 'float32'),
  );
  return { x, y };
}
