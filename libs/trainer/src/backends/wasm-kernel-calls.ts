import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export const WASM_BACKEND = 'wasm';
export const NO_PAD: [number, number] = [0, 0];

/**
 * Runs other wasm kernels from inside a kernel. Calling them directly keeps the intermediates off
 * the engine and any gradient tape; every result is tracked so `release` frees them all.
 */
export function wasmKernelCalls(backend: BackendWasm) {
  const owned: tf.TensorInfo[] = [];
  /** A result the caller hands on (not released). */
  const call = (kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo => {
    const kernel = tf.getKernel(kernelName, WASM_BACKEND) as tf.KernelConfig | undefined;
    if (!kernel) throw new Error(`The wasm backend has no ${kernelName} kernel: load @tensorflow/tfjs-backend-wasm`);
    return kernel.kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo;
  };
  /** An intermediate, released by `release`. */
  const run = (kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo => {
    const out = call(kernelName, inputs, attrs);
    owned.push(out);
    return out;
  };
  return {
    call,
    run,
    reshape: (t: tf.TensorInfo, shape: number[]) => run('Reshape', { x: t }, { shape }),
    /** Tracks a tensor made outside `run` (e.g. backend.makeOutput) for release. */
    own: (t: tf.TensorInfo) => void owned.push(t),
    release: () => {
      for (const t of owned) backend.disposeData(t.dataId);
    },
  };
}
