import * as tf from '@tensorflow/tfjs';

export const TENSORFLOW_BACKEND = 'tensorflow';

/** The part of tfjs-node's NodeJSKernelBackend used to run TensorFlow ops by name. */
export interface TensorflowBackend {
  binding: {
    TF_ATTR_TYPE: number;
    TF_ATTR_INT: number;
    TF_ATTR_STRING: number;
    TF_ATTR_BOOL: number;
    TF_FLOAT: number;
  };
  executeSingleOutput(op: string, attrs: OpAttr[], inputs: tf.TensorInfo[]): tf.Tensor;
  executeMultipleOutputs(op: string, attrs: OpAttr[], inputs: tf.TensorInfo[], outputs: number): tf.Tensor[];
}

export interface OpAttr {
  name: string;
  type: number;
  value: unknown;
}

export function tensorflowBackend(backend: unknown): TensorflowBackend {
  return backend as TensorflowBackend;
}

/** Attribute builders for TensorFlow ops (as TFE_OpSetAttr* takes them). */
export function attrs(backend: TensorflowBackend) {
  const { binding } = backend;
  return {
    float: { name: 'T', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
    ints: (name: string, value: number[]) => ({ name, type: binding.TF_ATTR_INT, value }),
    string: (name: string, value: string) => ({ name, type: binding.TF_ATTR_STRING, value }),
    bool: (name: string, value: boolean) => ({ name, type: binding.TF_ATTR_BOOL, value }),
  };
}

/** Replaces tfjs-node's kernel for `kernelName`; `make` receives the original to fall back on. */
export function replaceKernel(kernelName: string, make: (original: tf.KernelConfig) => tf.KernelFunc): void {
  const original = tf.getKernel(kernelName, TENSORFLOW_BACKEND);
  if (!original) throw new Error(`tfjs-node registered no ${kernelName} kernel: load the native backend first`);
  tf.unregisterKernel(kernelName, TENSORFLOW_BACKEND);
  tf.registerKernel({ kernelName, backendName: TENSORFLOW_BACKEND, kernelFunc: make(original) });
}
