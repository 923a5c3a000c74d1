import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/** Shared by the gradient kernels' tests, which compare each kernel with a reference backend's. */
export const TOLERANCE = 1e-4;

/** Largest |actual − expected| and the magnitude it is judged against. */
export function compare(actual: ArrayLike<number>, expected: ArrayLike<number>): { diff: number; scale: number } {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return { diff, scale };
}

export const seeded = (shape: number[], seed: number, stddev = 1) =>
  tf.tidy(() => tf.randomNormal(shape, 0, stddev, 'float32', seed).dataSync() as Float32Array);

export async function use(backend: 'cpu' | 'wasm'): Promise<void> {
  expect(await tf.setBackend(backend)).toBe(true);
}
