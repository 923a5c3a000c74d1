import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { checkLibraries, describeNativeLoadFailure, TFJS_NODE_GPU_LIBRARIES } from './native-load-failure';
import { registerWasmConv2DBackpropFilter } from './wasm-conv2d-backprop-filter';
import { registerWasmConv2DBackpropInput } from './wasm-conv2d-backprop-input';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** Best first. */
const BACKENDS: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
export const BACKEND_ENV_VAR = 'LEPTON_TF_BACKEND';

const NATIVE_PACKAGES = { 'tensorflow-gpu': '@tensorflow/tfjs-node-gpu', tensorflow: '@tensorflow/tfjs-node' } as const;
type NativeBackend = keyof typeof NATIVE_PACKAGES;

export interface BackendInfo {
  backend: BackendName;
  /** Package versions of the active stack, e.g. `tfjs-core`, `tfjs-backend-wasm`. */
  versions: Record<string, string>;
  /** Better backends that could not be loaded, with the reason (e.g. tfjs-node's native library is missing). */
  skipped: { backend: BackendName; reason: string }[];
}

// `__filename` works under tsx and vitest alike; the native packages are optional CommonJS dependencies.
const requireOptional = createRequire(__filename);

// One load attempt per backend per process: a native addon or wasm module cannot be loaded twice anyway.
const loads = new Map<BackendName, Promise<Record<string, string>>>();
let loadedNative: NativeBackend | null = null;

async function activate(name: BackendName): Promise<void> {
  const tfjsName = name === 'tensorflow-gpu' ? 'tensorflow' : name;
  // setBackend reports a failed initialisation as `false` (plus a console warning) rather than throwing.
  if (!(await tf.setBackend(tfjsName))) throw new Error(`tf.setBackend('${tfjsName}') failed to initialise`);
}

async function loadNative(name: NativeBackend): Promise<Record<string, string>> {
  // Both packages register the same 'tensorflow' backend and bind their own libtensorflow: never load both.
  if (loadedNative && loadedNative !== name) {
    throw new Error(`${NATIVE_PACKAGES[loadedNative]} is already loaded in this process`);
  }
  const pkg = NATIVE_PACKAGES[name];
  try {
    if (name === 'tensorflow-gpu') {
      requireOptional.resolve(pkg); // "not installed" before "no CUDA"
      checkLibraries(TFJS_NODE_GPU_LIBRARIES);
    }
    requireOptional(pkg);
  } catch (error) {
    throw new Error(describeNativeLoadFailure(pkg, error));
  }
  loadedNative = name;
  await activate(name);
  return { [pkg.replace('@tensorflow/', '')]: (requireOptional(`${pkg}/package.json`) as { version: string }).version };
}

async function loadWasm(): Promise<Record<string, string>> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // tfjs-backend-wasm 4.22 lacks this gradient kernel, without which no convolution can train.
  registerWasmConv2DBackpropFilter();
  // Its Conv2DBackpropInput is a scalar loop, ~10× slower than the forward convolution: replaced by one on XNNPACK.
  registerWasmConv2DBackpropInput();
  await activate('wasm');
  return { 'tfjs-backend-wasm': wasm.version_wasm };
}

async function loadCpu(): Promise<Record<string, string>> {
  await activate('cpu');
  return { 'tfjs-backend-cpu': tf.version['tfjs-backend-cpu'] ?? 'unknown' };
}

function load(name: BackendName): Promise<Record<string, string>> {
  let pending = loads.get(name);
  if (!pending) {
    pending = name === 'wasm' ? loadWasm() : name === 'cpu' ? loadCpu() : loadNative(name);
    loads.set(name, pending);
    return pending;
  }
  // Loaded before: just make it the active backend again (another call may have switched away).
  return pending.then(async (versions) => {
    await activate(name);
    return versions;
  });
}

function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

function forcedBackend(): BackendName | null {
  const value = process.env[BACKEND_ENV_VAR]?.trim();
  if (!value) return null;
  if (!BACKENDS.includes(value as BackendName)) {
    throw new Error(`${BACKEND_ENV_VAR}=${value} is not a backend; use one of ${BACKENDS.join(', ')}`);
  }
  return value as BackendName;
}

/**
 * Activates the best TensorFlow.js backend that loads: tfjs-node-gpu (CUDA), tfjs-node, wasm, then cpu.
 * `preferred` starts the search at that backend (falling back to the ones after it); LEPTON_TF_BACKEND forces
 * exactly one and fails if it cannot load. Safe to call repeatedly.
 */
export async function initBackend(preferred?: BackendName | null): Promise<BackendInfo> {
  const forced = forcedBackend();
  if (preferred && !BACKENDS.includes(preferred)) {
    throw new Error(`Unknown backend ${JSON.stringify(preferred)}; use one of ${BACKENDS.join(', ')}`);
  }
  const candidates = forced ? [forced] : BACKENDS.slice(preferred ? BACKENDS.indexOf(preferred) : 0);
  const skipped: BackendInfo['skipped'] = [];
  for (const backend of candidates) {
    try {
      const versions = await load(backend);
      return { backend, versions: { 'tfjs-core': tf.version_core, 'tfjs-layers': tf.version_layers, ...versions }, skipped };
    } catch (error) {
      if (forced) throw new Error(`${BACKEND_ENV_VAR}=${forced}, but that backend cannot be loaded: ${reasonOf(error)}`);
      skipped.push({ backend, reason: reasonOf(error) });
    }
  }
  throw new Error(`No TensorFlow.js backend could be loaded: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}
