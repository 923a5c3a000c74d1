import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmConv2DBackpropFilter } from './wasm-conv2d-backprop-filter';
import { BACKPROP_FILTER_CASES, dyShapeOf, type ConvGradientCase as Case } from './conv-gradient-cases';
import { compare, seeded, TOLERANCE, use } from './kernel-test-support';

/** dW through the public op: the gradient of Σ conv2d(x, f) ⊙ dy with respect to f. */
function filterGradient(c: Case, x: Float32Array, dy: Float32Array): Float32Array {
  return tf.tidy(() => {
    const xs = tf.tensor4d(x, c.x);
    const dys = tf.tensor(dy, dyShapeOf(c));
    const grad = tf.grad((f) => tf.sum(tf.mul(tf.conv2d(xs, f as tf.Tensor4D, c.strides, c.pad), dys)));
    return grad(tf.zeros(c.filter)).dataSync() as Float32Array;
  });
}

/** The registered kernel of the active backend, called the way the (unexported) conv2DBackpropFilter op does. */
const backpropFilter = (x: tf.Tensor, dy: tf.Tensor, attrs: tf.Conv2DBackpropFilterAttrs) =>
  tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;

/** dW straight from the kernel, for attributes the conv2d gradient never passes (dimRoundingMode). */
function kernelResult(c: Case, x: Float32Array, dy: Float32Array): Float32Array {
  return tf.tidy(() => {
    const { strides, pad, dimRoundingMode } = c;
    const attrs = { strides, pad, dimRoundingMode, dataFormat: 'NHWC' as const, filterShape: c.filter };
    return backpropFilter(tf.tensor4d(x, c.x), tf.tensor(dy, dyShapeOf(c)), attrs).dataSync() as Float32Array;
  });
}

// conv2d's gradient drops dimRoundingMode, so these only reach the kernel directly.
const ROUNDING_CASES: Case[] = (['floor', 'round', 'ceil'] as const).map((dimRoundingMode) => ({
  name: `pad 0, stride 2, dimRoundingMode ${dimRoundingMode}`,
  x: [2, 8, 9, 2],
  filter: [3, 3, 2, 3],
  strides: 2,
  pad: 0,
  dimRoundingMode,
}));

const observed: { name: string; diff: number; scale: number }[] = [];

beforeAll(async () => {
  registerWasmConv2DBackpropFilter();
  await use('wasm');
});

afterAll(() => {
  if (observed.length === 0) return; // filtered run
  const worst = observed.reduce((a, b) => (b.diff / b.scale > a.diff / a.scale ? b : a));
  console.log(
    `wasm vs cpu over ${observed.length} comparisons: worst relative error ` +
      `${(worst.diff / worst.scale).toExponential(2)} (max |Δ| ${worst.diff.toExponential(2)} of ${worst.scale.toFixed(1)}, ${worst.name})`,
  );
});

describe('registerWasmConv2DBackpropFilter', () => {
  it('registers one kernel and is idempotent', () => {
    const first = tf.getKernel(tf.Conv2DBackpropFilter, 'wasm');
    registerWasmConv2DBackpropFilter();
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBe(first);
    expect(tf.getKernelsForBackend('wasm').filter((k) => k.kernelName === tf.Conv2DBackpropFilter)).toHaveLength(1);
  });

  it.each(BACKPROP_FILTER_CASES)('matches the cpu kernel: $name', async (c) => {
    const dyShape = dyShapeOf(c);
    const x = seeded(c.x, 1);
    const dy = seeded(dyShape, 2);
    await use('cpu');
    const expected = filterGradient(c, x, dy);
    await use('wasm');
    const before = { tensors: tf.memory().numTensors, data: tf.engine().backend.numDataIds() };
    const actual = filterGradient(c, x, dy);
    // Every intermediate is freed.
    expect({ tensors: tf.memory().numTensors, data: tf.engine().backend.numDataIds() }).toEqual(before);

    const { diff, scale } = compare(actual, expected);
    observed.push({ name: c.name, diff, scale });
    expect(diff).toBeLessThanOrEqual(TOLERANCE * Math.max(scale, 1));
  });

  it.each(ROUNDING_CASES)('matches the cpu kernel: $name', async (c) => {
    const dyShape = dyShapeOf(c);
    const x = seeded(c.x, 3);
    const dy = seeded(dyShape, 4);
    await use('cpu');
    const expected = kernelResult(c, x, dy);
    await use('wasm');
    const { diff, scale } = compare(kernelResult(c, x, dy), expected);
    observed.push({ name: c.name, diff, scale });
    expect(diff).toBeLessThanOrEqual(TOLERANCE * Math.max(scale, 1));
  });

  it('never reads uninitialised wasm memory', async () => {
    const c: Case = { name: 'poisoned heap', x: [4, 9, 9, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'valid' };
    const dyShape = dyShapeOf(c);
    const x = seeded(c.x, 8);
    const dy = seeded(dyShape, 9);
    await use('cpu');
    const expected = kernelResult(c, x, dy);
    await use('wasm');
    // Freed blocks keep their NaNs, and the kernel's scratch buffers are likely to land on them.
    tf.fill([1 << 20], NaN).dispose();
    const { diff, scale } = compare(kernelResult(c, x, dy), expected);
    expect(diff).toBeLessThanOrEqual(TOLERANCE * Math.max(scale, 1));
  });

  it('rejects NCHW, which the wasm backend cannot convolve either', () => {
    const x = tf.zeros([1, 2, 5, 5]);
    const dy = tf.zeros([1, 1, 3, 3]);
    const attrs: tf.Conv2DBackpropFilterAttrs = { strides: 1, pad: 0, dataFormat: 'NCHW', filterShape: [3, 3, 2, 1] };
    expect(() => backpropFilter(x, dy, attrs)).toThrow(
      "Conv2DBackpropFilter on the wasm backend supports dataFormat 'NHWC' only, got 'NCHW'",
    );
    tf.dispose([x, dy]);
  });

  it('leaves dilated convolutions to tfjs, which does not differentiate them on any backend', async () => {
    const x = tf.randomNormal([1, 9, 9, 1]) as tf.Tensor4D;
    const grad = tf.grad((f) => tf.sum(tf.conv2d(x, f as tf.Tensor4D, 1, 'same', 'NHWC', 2)));
    expect(() => grad(tf.ones([3, 3, 1, 1]))).toThrow(/dilation rates greater than 1 are not yet supported/);
    x.dispose();
  });

  it('gives the same gradients and SGD step for a small CNN as the cpu backend', async () => {
    const build = () => {
      const model = tf.sequential();
      model.add(tf.layers.conv2d({ inputShape: [12, 10, 2], filters: 4, kernelSize: 3, padding: 'same' }));
      model.add(tf.layers.conv2d({ filters: 6, kernelSize: [3, 2], strides: 2, activation: 'relu' }));
      model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
      model.add(tf.layers.flatten());
      model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
      return model;
    };
    const shapes = tf.tidy(() => build().getWeights()).map((w) => w.shape);
    const initial = shapes.map((shape, i) => seeded(shape, 10 + i, 0.3));
    const images = seeded([5, 12, 10, 2], 7);
    const labels = [0, 2, 1, 1, 0];

    const trainStep = async (backend: 'cpu' | 'wasm') => {
      await use(backend);
      const model = build();
      model.setWeights(initial.map((values, i) => tf.tensor(values, shapes[i])));
      const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const x = tf.tensor4d(images, [5, 12, 10, 2]);
      const y = tf.oneHot(labels, 3);
      const loss = () => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar;
      const { value, grads } = tf.variableGrads(loss, variables);
      const gradients = variables.map((v) => grads[v.name]!.dataSync() as Float32Array);
      tf.train.sgd(0.5).minimize(loss, false, variables);
      const result = { loss: value.dataSync()[0]!, gradients, weights: model.getWeights().map((w) => w.dataSync()) };
      tf.dispose([value, x, y, ...Object.values(grads)]);
      model.dispose();
      return result;
    };

    const cpu = await trainStep('cpu');
    const wasm = await trainStep('wasm');
    expect(wasm.loss).toBeCloseTo(cpu.loss, 5);
    expect(wasm.gradients).toHaveLength(6);
    wasm.gradients.forEach((g, i) => {
      const { diff, scale } = compare(g, cpu.gradients[i]!);
      observed.push({ name: `small CNN, gradient of weight ${i}`, diff, scale });
      expect(scale).toBeGreaterThan(0); // every layer, both convolutions included, gets a real gradient
      expect(diff).toBeLessThanOrEqual(TOLERANCE * Math.max(scale, 1));
    });
    wasm.weights.forEach((w, i) => {
      const { diff, scale } = compare(w, cpu.weights[i]!);
      expect(diff).toBeLessThanOrEqual(TOLERANCE * Math.max(scale, 1));
    });
  });

  it('runs the MNIST-sized case (benchmark log, not an assertion on time)', async () => {
    // batch 32, 28×28×32 input, 3×3 filter, 64 output channels.
    const time = (batch: number, calls: number) => {
      const x = tf.randomNormal([batch, 28, 28, 32]);
      const dy = tf.randomNormal([batch, 26, 26, 64]);
      const once = () => {
        const dW = backpropFilter(x, dy, { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 32, 64] });
        dW.dataSync();
        dW.dispose();
      };
      once(); // warm-up: heap growth, XNNPACK operator creation
      const start = performance.now();
      for (let i = 0; i < calls; i++) once();
      tf.dispose([x, dy]);
      return (performance.now() - start) / calls;
    };
    await use('wasm');
    const wasmMs = time(32, 5);
    await use('cpu');
    // The cpu kernel needs over a minute at batch 32; its cost is linear in the batch, so time one sample.
    const cpuMs = time(1, 1) * 32;
    console.log(
      `Conv2DBackpropFilter [32,28,28,32] ⊛ 3×3 → 64: wasm ${wasmMs.toFixed(1)} ms/call, ` +
        `cpu ≈ ${cpuMs.toFixed(0)} ms/call (batch 1 × 32), ${(cpuMs / wasmMs).toFixed(0)}× faster`,
    );
    expect(wasmMs).toBeGreaterThan(0);
  }, 120_000);
});
