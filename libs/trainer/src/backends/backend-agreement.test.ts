/**
 * wasm and native TensorFlow must compute the same thing: kernel by kernel (Lepton's own wasm gradient kernels
 * against TensorFlow's, and Lepton's native overrides against the JavaScript reference), and model by model
 * (same seed, same data: the same losses and accuracy within a stated tolerance).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../evaluation/evaluate';
import { buildModel } from '../model/build-model';
import type { Hyperparameters, ModelSpec } from '@lepton/model-contract';
import { nativeUnderTest } from '../testing/backends';
import { imageBlobs, tabularBlobs } from '../testing/synthetic';
import type { TrainingData } from '../training/data';
import { train, type EpochProgress } from '../training/train';
import { initBackend, type BackendName } from './backend';
import { BACKPROP_FILTER_CASES, BACKPROP_INPUT_CASES, dyShapeOf, type ConvGradientCase } from './conv-gradient-cases';
import { compare, seeded, TOLERANCE } from './kernel-test-support';

/** Training agreement: every epoch's mean loss within this relative difference, test accuracy within this much. */
export const LOSS_TOLERANCE = 0.02;
export const ACCURACY_TOLERANCE = 0.03;

const native = await nativeUnderTest();
let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lepton-agreement-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Runs `compute` on each backend from the same plain inputs and returns the plain results. */
async function onBoth<T>(backends: BackendName[], compute: () => T): Promise<T[]> {
  const results: T[] = [];
  for (const backend of backends) {
    await initBackend(backend);
    results.push(compute());
  }
  return results;
}

function kernel(
  name: string,
  inputs: Record<string, Float32Array>,
  shapes: Record<string, number[]>,
  attrs: object,
): Float32Array {
  return tf.tidy(() => {
    const tensors = Object.fromEntries(
      Object.entries(inputs).map(([key, values]) => [key, tf.tensor(values, shapes[key])]),
    );
    return (tf.engine().runKernel(name, tensors, attrs as tf.NamedAttrMap) as tf.Tensor).dataSync() as Float32Array;
  });
}

/** TensorFlow's eager kernels take only 'valid' and 'same' padding (tfjs-node refuses the others). */
const tensorflowPads = (c: ConvGradientCase) =>
  !c.dimRoundingMode &&
  ['VALID', 'SAME'].includes(tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad).padInfo.type);

describe.skipIf(native.skip !== null)(`wasm and native TensorFlow ${native.title}`, () => {
  const both: BackendName[] = ['wasm', native.name];

  it.each(BACKPROP_FILTER_CASES.filter(tensorflowPads))(
    "Lepton's wasm Conv2DBackpropFilter matches TensorFlow's: $name",
    async (c) => {
      const inputs = { x: seeded(c.x, 1), dy: seeded(dyShapeOf(c), 2) };
      const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
      const [wasm, tensorflow] = await onBoth(both, () =>
        kernel(tf.Conv2DBackpropFilter, inputs, { x: c.x, dy: dyShapeOf(c) }, attrs),
      );
      const { diff, scale } = compare(wasm!, tensorflow!);
      expect(diff).toBeLessThanOrEqual(TOLERANCE * Math.max(scale, 1));
    },
  );

  it.each(BACKPROP_INPUT_CASES.filter(tensorflowPads))(
    "Lepton's wasm Conv2DBackpropInput matches TensorFlow's: $name",
    async (c) => {
      const inputs = { dy: seeded(dyShapeOf(c), 3), filter: seeded(c.filter, 4) };
      const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
      const [wasm, tensorflow] = await onBoth(both, () =>
        kernel(tf.Conv2DBackpropInput, inputs, { dy: dyShapeOf(c), filter: c.filter }, attrs),
      );
      const { diff, scale } = compare(wasm!, tensorflow!);
      expect(diff).toBeLessThanOrEqual(TOLERANCE * Math.max(scale, 1));
    },
  );

  it("Lepton's native Step (ReLU gradient) matches the JavaScript kernel, NaN, ±∞ and ±0 included", async () => {
    const x = Float32Array.from([NaN, Infinity, -Infinity, 0, -0, 1e-30, -1e-30, 3, -3]);
    for (const alpha of [0, 0.2]) {
      const [cpu, tensorflow] = await onBoth(['cpu', native.name], () =>
        kernel(tf.Step, { x }, { x: [x.length] }, { alpha }),
      );
      expect(Array.from(tensorflow!)).toEqual(Array.from(cpu!));
    }
  });

  it("Lepton's native max-pool gradient routes every gradient to the same input as the JavaScript kernel, ties included", async () => {
    for (const [shape, size, stride, pad] of [
      [[3, 13, 11, 4], 2, 2, 'valid'],
      [[2, 9, 9, 3], 3, 2, 'same'],
      [[2, 8, 8, 5], 2, 1, 'valid'],
    ] as const) {
      // Rounded ReLU outputs: many equal maxima (all-zero windows), where the first one must get the gradient.
      const x = Float32Array.from(seeded([...shape], 5), (value) => Math.max(0, Math.round(value)));
      const outShape = tf.backend_util.computePool2DInfo([...shape], size, stride, 1, pad).outShape;
      const dy = seeded(outShape, 6);
      const [cpu, tensorflow] = await onBoth(['cpu', native.name], () =>
        tf.tidy(() => {
          const input = tf.tensor4d(x, [...shape]);
          const output = tf.maxPool(input, size, stride, pad);
          return (
            tf
              .engine()
              .runKernel(
                tf.MaxPoolGrad,
                { dy: tf.tensor(dy, outShape), input, output },
                { filterSize: size, strides: stride, pad },
              ) as tf.Tensor
          ).dataSync() as Float32Array;
        }),
      );
      // Same positions receive gradient; values agree up to summation order where windows overlap.
      expect(Array.from(tensorflow!, (value) => value !== 0)).toEqual(Array.from(cpu!, (value) => value !== 0));
      const { diff, scale } = compare(tensorflow!, cpu!);
      expect(diff).toBeLessThanOrEqual(TOLERANCE * Math.max(scale, 1));
    }
  });

  async function trainOn(backend: BackendName, data: TrainingData, spec: ModelSpec, hyperparameters: Hyperparameters) {
    await initBackend(backend);
    const model = buildModel(
      spec,
      { featureShape: data.featureShape, numClasses: data.classes.length },
      hyperparameters,
    );
    const epochs: EpochProgress[] = [];
    const checkpointDir = path.join(root, `${backend}-${spec.architecture}`);
    const result = await train({
      model,
      data,
      hyperparameters,
      checkpointDir,
      onEpoch: (epoch) => void epochs.push(epoch),
    });
    const accuracy = evaluate(result.model, data, 'test').accuracy;
    result.model.dispose();
    return { losses: epochs.map((epoch) => epoch.loss), accuracy };
  }

  it.each([
    {
      model: 'cnn-tiny',
      data: imageBlobs({ classes: 4, perClass: 60, side: 12, seed: 2 }),
      spec: { architecture: 'cnn-tiny' } as ModelSpec,
    },
    {
      model: 'mlp',
      data: tabularBlobs({ classes: 3, perClass: 80, features: 6, seed: 4, separation: 1.5 }),
      spec: { architecture: 'mlp', hiddenUnits: [16, 8] } as ModelSpec,
    },
  ])(
    `trains the same $model from the same seed and data to losses within ${LOSS_TOLERANCE * 100}% and accuracy within ${ACCURACY_TOLERANCE}`,
    async ({ data, spec }) => {
      const hyperparameters: Hyperparameters = {
        epochs: 5,
        batchSize: 16,
        learningRate: 0.01,
        optimizer: 'adam',
        seed: 21,
        earlyStoppingPatience: 0,
      };
      const wasm = await trainOn('wasm', data, spec, hyperparameters);
      const tensorflow = await trainOn(native.name, data, spec, hyperparameters);
      expect(wasm.losses).toHaveLength(5);
      tensorflow.losses.forEach((loss, epoch) =>
        expect(Math.abs(loss - wasm.losses[epoch]!)).toBeLessThanOrEqual(LOSS_TOLERANCE * wasm.losses[epoch]!),
      );
      expect(Math.abs(tensorflow.accuracy - wasm.accuracy)).toBeLessThanOrEqual(ACCURACY_TOLERANCE);
      // Training happened at all (equal but useless results would agree too).
      expect(wasm.losses.at(-1)).toBeLessThan(wasm.losses[0]! * 0.7);
    },
  );
});
