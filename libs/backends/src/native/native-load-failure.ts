import path from 'node:path';

/**
 * The shared libraries @tensorflow/tfjs-node-gpu 4.x (libtensorflow 2.9, CUDA 11.2, cuDNN 8.1) opens
 * at run time: the driver first, then the CUDA 11 runtime and math libraries, then cuDNN 8.
 */
export const TFJS_NODE_GPU_LIBRARIES = [
  'libcuda.so.1',
  'libcudart.so.11.0',
  'libcublas.so.11',
  'libcublasLt.so.11',
  'libcufft.so.10',
  'libcurand.so.10',
  'libcusolver.so.11',
  'libcusparse.so.11',
  'libcudnn.so.8',
] as const;

const GPU_REQUIREMENT = 'tfjs-node-gpu 4.x is built for CUDA 11.2 and cuDNN 8.1';
const CUDA_LIBRARY = /^lib(cuda|cudart|cublas|cublasLt|cufft|curand|cusolver|cusparse|cudnn)\.so/;
/** dlopen's answer for a library it cannot find, from Node (`process.dlopen`) or TensorFlow's loader. */
const NOT_FOUND = /([^\s':;]+): cannot open shared object file/;
/** dlopen's answer for a library that is there but too old: "<lib>: version `GLIBCXX_3.4.29' not found (required by <lib>)". */
const VERSION_MISSING = /([^\s':;]+): version `([^']+)' not found \(required by ([^)]+)\)/;
const NOT_INSTALLED = /Cannot find module '([^']+)'/;

/**
 * Throws dlopen's own error for the first of `libraries` the dynamic loader cannot open. TensorFlow's
 * GPU build does not fail when CUDA is missing: it logs a warning and quietly runs on the CPU, so
 * the GPU package must be checked before it is loaded. Loading a plain library as an addon fails
 * after dlopen succeeded ("did not self-register"), which is how a present library answers.
 */
export function checkLibraries(libraries: readonly string[]): void {
  for (const library of libraries) {
    try {
      process.dlopen({ exports: {} }, library);
    } catch (error) {
      if (!/did not self-register/.test((error as Error).message)) throw error;
    }
  }
}

/** One line saying why a native TensorFlow.js package cannot be used, naming the missing piece. */
export function describeNativeLoadFailure(pkg: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const missing = NOT_FOUND.exec(message)?.[1];
  if (missing) {
    const library = path.basename(missing);
    if (library === 'tfjs_binding.node') return withoutAddon(pkg);
    return `${pkg} cannot load ${library} (not found)${CUDA_LIBRARY.test(library) ? `; ${GPU_REQUIREMENT}` : ''}`;
  }
  const version = VERSION_MISSING.exec(message);
  if (version) {
    const [, older, symbols, needer] = version;
    return `${pkg} cannot load ${path.basename(needer!)}: it needs ${symbols} from ${path.basename(older!)}, which this system's copy lacks`;
  }
  if (NOT_INSTALLED.exec(message)?.[1] === pkg) return `${pkg} is not installed`;
  if (message.includes('tfjs_binding.node')) return withoutAddon(pkg);
  return `${pkg}: ${message.split('\n')[0]}`;
}

function withoutAddon(pkg: string): string {
  return `${pkg} is installed without its native addon (tfjs_binding.node): its install script did not run or failed`;
}
