import * as tf from '@tensorflow/tfjs';

/** TensorFlow.js backends, best first (the trainer's order). */
export const BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export function isBackendName(value: string): value is BackendName {
  return (BACKENDS as readonly string[]).includes(value);
}

/** How a backend gets into this process and becomes the active one. */
export interface BackendSource {
  /** Loads `name` (once per process) and makes it the active backend; throws a one-line reason when it cannot load. */
  activate(name: BackendName): Promise<void>;
  /** Package versions and the device of a loaded backend, for reports (e.g. `{ 'tfjs-backend-wasm': '4.22.0' }`). */
  describe(name: BackendName): Record<string, string>;
}

const tfjsNameOf = (name: BackendName) => (name === 'tensorflow-gpu' ? 'tensorflow' : name);

async function setActive(name: BackendName): Promise<void> {
  const tfjsName = tfjsNameOf(name);
  if (tf.getBackend() === tfjsName) return;
  // setBackend reports a failed initialisation as `false` (plus a console warning) rather than throwing.
  if (!(await tf.setBackend(tfjsName))) throw new Error(`tf.setBackend('${tfjsName}') failed to initialise`);
}

/**
 * The JavaScript backends every machine has: WebAssembly (XNNPACK) and plain JavaScript. Native TensorFlow is
 * loaded through `native` when given (libs/backends' probed builds), else reported unavailable.
 */
export function tfjsBackendSource(
  native?: (name: 'tensorflow-gpu' | 'tensorflow') => Promise<Record<string, string>>,
): BackendSource {
  const loads = new Map<BackendName, Promise<Record<string, string>>>();
  const versions = new Map<BackendName, Record<string, string>>();
  const load = (name: BackendName): Promise<Record<string, string>> => {
    switch (name) {
      case 'cpu':
        return Promise.resolve({ 'tfjs-backend-cpu': tf.version['tfjs-backend-cpu'] ?? 'unknown' });
      case 'wasm':
        return import('@tensorflow/tfjs-backend-wasm').then((wasm) => ({ 'tfjs-backend-wasm': wasm.version_wasm }));
      default:
        if (!native) return Promise.reject(new Error('native TensorFlow is not available to this process'));
        return native(name);
    }
  };
  return {
    async activate(name) {
      let pending = loads.get(name);
      if (!pending) {
        pending = load(name);
        loads.set(name, pending);
      }
      versions.set(name, await pending);
      await setActive(name);
    },
    describe(name) {
      return { 'tfjs-core': tf.version_core, 'tfjs-layers': tf.version_layers, ...versions.get(name) };
    },
  };
}
