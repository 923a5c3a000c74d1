/**
 * TensorFlow.js backends, best first. `tensorflow-gpu` and `tensorflow` are both native TensorFlow (the same
 * tfjs-node binding); the name says whether TensorFlow itself reported a GPU device when it loaded.
 */
export const BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** Forces exactly one backend (and fails when it cannot load). */
export const BACKEND_ENV_VAR = 'LEPTON_TF_BACKEND';

export function isBackendName(value: string): value is BackendName {
  return (BACKENDS as readonly string[]).includes(value);
}

export type NativeBackend = Extract<BackendName, 'tensorflow-gpu' | 'tensorflow'>;

export function isNativeBackend(name: BackendName): name is NativeBackend {
  return name === 'tensorflow-gpu' || name === 'tensorflow';
}
