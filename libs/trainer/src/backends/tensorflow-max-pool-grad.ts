import * as tf from '@tensorflow/tfjs';
import { attrs, replaceKernel, tensorflowBackend, type TensorflowBackend } from './tensorflow-kernel-calls';

/** oneDNN's max pooling, which TensorFlow's graph optimiser uses but its eager op rewrite leaves out. */
function oneDnnAttrs(backend: TensorflowBackend, info: tf.backend_util.Conv2DInfo) {
  const { float, ints, string, bool } = attrs(backend);
  return [
    float,
    ints('ksize', [1, info.filterHeight, info.filterWidth, 1]),
    ints('strides', [1, info.strideHeight, info.strideWidth, 1]),
    string('padding', info.padInfo.type),
    string('data_format', 'NHWC'),
    bool('workspace_enabled', true),
    // The kernels are registered under this label, which graph rewriting sets on the nodes it creates.
    string('_kernel', 'MklNameChangeOp'),
  ];
}

/**
 * MaxPoolGrad on TensorFlow's CPU kernel rescans every window to find its maximum: 5–7 ms of CPU for the MNIST
 * CNN's first pool at batch 64, more than all its convolutions together. oneDNN's pooling records the argmax in a
 * workspace instead; rerunning the forward pool for that workspace and then oneDNN's gradient costs ~0.35 ms and
 * gives identical results, ties included (first maximum in row-major order, as TensorFlow's kernel).
 */
export function registerTensorflowMaxPoolGrad(): void {
  replaceKernel(tf.MaxPoolGrad, (original) => (args) => {
    const { dy, input, output } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo; output: tf.TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as tf.MaxPoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    if (input.dtype !== 'float32' || (info.padInfo.type !== 'VALID' && info.padInfo.type !== 'SAME'))
      return original.kernelFunc(args);
    const backend = tensorflowBackend(args.backend);
    const opAttrs = oneDnnAttrs(backend, info);
    const [pooled, workspace] = backend.executeMultipleOutputs('_MklNativeMaxPool', opAttrs, [input], 2);
    try {
      return backend.executeSingleOutput('_MklNativeMaxPoolGrad', opAttrs, [input, output, dy, workspace!]);
    } finally {
      tf.dispose([pooled!, workspace!]);
    }
  });
}

/**
 * Whether this TensorFlow build has oneDNN's pooling (x86-64 Linux builds do; it is off with
 * TF_ENABLE_ONEDNN_OPTS=0 and absent elsewhere): runs both gradients on a small input with ties and compares.
 */
export function oneDnnMaxPoolGradMatches(): boolean {
  try {
    return tf.tidy(() => {
      const x = tf.relu(tf.randomNormal([2, 7, 9, 3], 0, 1, 'float32', 7).round()) as tf.Tensor4D;
      const y = tf.maxPool(x, 2, 2, 'valid');
      const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 8);
      const inputs = { dy, input: x, output: y };
      const attributes = { filterSize: 2, strides: 2, pad: 'valid' };
      const reference = tf.engine().runKernel(tf.MaxPoolGrad, inputs, attributes) as tf.Tensor;
      const backend = tensorflowBackend(tf.backend());
      const info = tf.backend_util.computePool2DInfo(x.shape, 2, 2, 1, 'valid');
      const [, workspace] = backend.executeMultipleOutputs('_MklNativeMaxPool', oneDnnAttrs(backend, info), [x], 2);
      const fast = backend.executeSingleOutput('_MklNativeMaxPoolGrad', oneDnnAttrs(backend, info), [
        x,
        y,
        dy,
        workspace!,
      ]);
      return tf.equal(fast, reference).all().dataSync()[0] === 1;
    });
  } catch {
    return false;
  }
}
