import {
  BACKENDS,
  BACKEND_ENV_VAR,
  JS_CPU_DEVICE,
  chooseNative,
  isBackendName,
  loadNative as loadNativeBuild,
  wasmDevice,
  type BackendName,
  type NativeBackend,
  type NativeChoice,
} from '@lepton/backends';
import * as tf from '@tensorflow/tfjs';
import { registerTensorflowTrainingKernels } from './tensorflow-training-kernels';
import { registerWasmConv2DBackpropFilter } from './wasm-conv2d-backprop-filter';
import { registerWasmConv2DBackpropInput } from './wasm-conv2d-backprop-input';

export { BACKEND_ENV_VAR };
export type { BackendName };

export interface BackendInfo {
  backend: BackendName;
  /** Versions of the active stack, e.g. `tfjs-core`, `tfjs-backend-wasm`, and `tensorflow` for native TensorFlow. */
  versions: Record<string, string>;
  /** What it computes on, e.g. `GPU: NVIDIA L4 (compute capability 8.9)`, `CPU: AMD EPYC (2 cores)`. */
  device: string;
  /** Better backends that could not be loaded, with the reason (e.g. TensorFlow sees no GPU). */
  skipped: { backend: BackendName; reason: string }[];
}

interface Loaded {
  versions: Record<string, string>;
  device: string;
}

// One load attempt per backend per process: a native addon or wasm module cannot be loaded twice anyway.
const loads = new Map<BackendName, Promise<Loaded>>();
// Which native build serves which backend name, probed in child processes once per process.
let nativeChoice: Promise<NativeChoice> | null = null;

async function activate(name: BackendName): Promise<void> {
  const tfjsName = name === 'tensorflow-gpu' ? 'tensorflow' : name;
  // setBackend reports a failed initialisation as `false` (plus a console warning) rather than throwing.
  if (!(await tf.setBackend(tfjsName))) throw new Error(`tf.setBackend('${tfjsName}') failed to initialise`);
}

async function loadNative(name: NativeBackend): Promise<Loaded> {
  nativeChoice ??= chooseNative();
  const chosen = (await nativeChoice).choice[name];
  if ('reason' in chosen) throw new Error(chosen.reason);
  // Throws if the other native build is already loaded: two libtensorflows cannot share a process.
  const loaded = loadNativeBuild(chosen.probe.candidate);
  if (loaded.gpu !== (name === 'tensorflow-gpu')) {
    throw new Error(`${chosen.probe.candidate.label} ${loaded.gpu ? 'uses a GPU' : 'sees no GPU'} in this process, unlike in its probe`);
  }
  await activate(name);
  registerTensorflowTrainingKernels();
  return { versions: loaded.versions, device: chosen.probe.device };
}

async function loadWasm(): Promise<Loaded> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // tfjs-backend-wasm 4.22 lacks this gradient kernel, without which no convolution can train.
  registerWasmConv2DBackpropFilter();
  // Its Conv2DBackpropInput is a scalar loop, ~10× slower than the forward convolution: replaced by one on XNNPACK.
  registerWasmConv2DBackpropInput();
  await activate('wasm');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return { versions: { 'tfjs-backend-wasm': wasm.version_wasm }, device: wasmDevice(!!simd, !!threads) };
}

async function loadCpu(): Promise<Loaded> {
  await activate('cpu');
  return { versions: { 'tfjs-backend-cpu': tf.version['tfjs-backend-cpu'] ?? 'unknown' }, device: JS_CPU_DEVICE };
}

function load(name: BackendName): Promise<Loaded> {
  let pending = loads.get(name);
  if (!pending) {
    pending = name === 'wasm' ? loadWasm() : name === 'cpu' ? loadCpu() : loadNative(name);
    loads.set(name, pending);
    return pending;
  }
  // Loaded before: just make it the active backend again (another call may have switched away).
  return pending.then(async (loaded) => {
    await activate(name);
    return loaded;
  });
}

function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

function forcedBackend(): BackendName | null {
  const value = process.env[BACKEND_ENV_VAR]?.trim();
  if (!value) return null;
  if (!isBackendName(value)) throw new Error(`${BACKEND_ENV_VAR}=${value} is not a backend; use one of ${BACKENDS.join(', ')}`);
  return value;
}

/**
 * Activates the best TensorFlow.js backend that loads: native TensorFlow on a GPU it really sees, native
 * TensorFlow on the CPU, wasm, then cpu. Native builds are probed in child processes first (see @lepton/backends).
 * `preferred` starts the search at that backend (falling back to the ones after it); LEPTON_TF_BACKEND forces
 * exactly one and fails if it cannot load. Safe to call repeatedly.
 */
export async function initBackend(preferred?: BackendName | null): Promise<BackendInfo> {
  const forced = forcedBackend();
  if (preferred && !isBackendName(preferred)) {
    throw new Error(`Unknown backend ${JSON.stringify(preferred)}; use one of ${BACKENDS.join(', ')}`);
  }
  const candidates = forced ? [forced] : BACKENDS.slice(preferred ? BACKENDS.indexOf(preferred) : 0);
  const skipped: BackendInfo['skipped'] = [];
  for (const backend of candidates) {
    try {
      const { versions, device } = await load(backend);
      return { backend, versions: { 'tfjs-core': tf.version_core, 'tfjs-layers': tf.version_layers, ...versions }, device, skipped };
    } catch (error) {
      if (forced) throw new Error(`${BACKEND_ENV_VAR}=${forced}, but that backend cannot be loaded: ${reasonOf(error)}`);
      skipped.push({ backend, reason: reasonOf(error) });
    }
  }
  throw new Error(`No TensorFlow.js backend could be loaded: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}
