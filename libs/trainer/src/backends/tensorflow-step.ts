import * as tf from '@tensorflow/tfjs';
import { attrs, replaceKernel, tensorflowBackend } from './tensorflow-kernel-calls';

/**
 * tfjs-node computes Step — the ReLU gradient's `dy · step(y)` inside every fused conv2d/dense — from an IsNan,
 * a Greater, two full-size tensors from Fill (ones and alpha) and two Selects: on the MNIST CNN that was a
 * third of a training step. For alpha 0 (ReLU), step(x) = sign(relu(x)) exactly, NaN included (relu keeps
 * NaN, sign keeps NaN; ±0 → 0; +∞ → 1), in two elementwise TensorFlow ops. Other alphas keep tfjs-node's kernel.
 */
export function registerTensorflowStep(): void {
  replaceKernel(tf.Step, (original) => (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { alpha } = args.attrs as unknown as tf.StepAttrs;
    if (alpha !== 0 || x.dtype !== 'float32') return original.kernelFunc(args);
    const backend = tensorflowBackend(args.backend);
    const { float } = attrs(backend);
    const relu = backend.executeSingleOutput('Relu', [float], [x]);
    try {
      return backend.executeSingleOutput('Sign', [float], [relu]);
    } finally {
      relu.dispose();
    }
  });
}
