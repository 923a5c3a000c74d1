import type * as Tfjs from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { NATIVE_VARIANTS, readVerifiedBuild, tensorflowCacheRoot, type NativeVariant } from './native-build';
import { checkLibraries, describeNativeLoadFailure, TFJS_NODE_GPU_LIBRARIES } from './native-load-failure';

const requireHere = createRequire(__filename);

/** The tfjs-node packages, which download libtensorflow 2.9.1 and a prebuilt addon in their own install script. */
export const TFJS_NODE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;
export type TfjsNodePackage = (typeof TFJS_NODE_PACKAGES)[number];

/** One way to get native TensorFlow into this process. Only one can ever be loaded per process. */
export type NativeCandidate =
  /** Lepton's build of TensorFlow 2.21 from the wheels (tools/tensorflow), loaded by absolute path. */
  | { kind: 'lepton'; variant: NativeVariant; addon: string; label: string }
  /** A tfjs-node package whose own install script put its addon and libtensorflow in place. */
  | { kind: 'package'; packageName: TfjsNodePackage; label: string };

export interface NativeCandidates {
  candidates: NativeCandidate[];
  /** Sources that exist in principle but are not usable here, with the reason. */
  unavailable: { label: string; reason: string }[];
}

function packageAddon(packageName: TfjsNodePackage): { version: string; addon: string } | null {
  let manifest: string;
  try {
    manifest = requireHere.resolve(`${packageName}/package.json`);
  } catch {
    return null;
  }
  const { version } = requireHere(manifest) as { version: string };
  // Where node-pre-gyp puts the addon for N-API 8 (binding.gyp's module_path; every Node ≥ 20 has N-API 8+).
  return { version, addon: path.join(path.dirname(manifest), 'lib', 'napi-v8', 'tfjs_binding.node') };
}

/**
 * Every native TensorFlow this machine has, in the order to try them: Lepton's CUDA and CPU builds from the
 * shared cache, then the tfjs-node packages' own downloads (libtensorflow 2.9.1; the GPU one needs CUDA 11.2).
 * Only file checks: nothing is loaded.
 */
export function findNativeCandidates(root = tensorflowCacheRoot()): NativeCandidates {
  const candidates: NativeCandidate[] = [];
  const unavailable: NativeCandidates['unavailable'] = [];
  for (const variant of NATIVE_VARIANTS) {
    const label = `Lepton's TensorFlow ${variant === 'cuda' ? 'CUDA' : 'CPU'} build`;
    const build = readVerifiedBuild(variant, root);
    if (build.ok)
      candidates.push({ kind: 'lepton', variant, addon: build.layout.addon, label: `${label} at ${build.layout.dir}` });
    else unavailable.push({ label, reason: build.reason });
  }
  for (const packageName of TFJS_NODE_PACKAGES) {
    const found = packageAddon(packageName);
    const label = `${packageName}${found ? ` ${found.version}` : ''} with its own download`;
    if (!found) unavailable.push({ label, reason: `${packageName} is not installed` });
    else if (!existsSync(found.addon)) {
      unavailable.push({
        label,
        reason: `its install script did not run or failed (no ${path.basename(found.addon)})`,
      });
    } else {
      const missingCuda = packageName === '@tensorflow/tfjs-node-gpu' ? missingGpuLibrary(packageName) : null;
      if (missingCuda) unavailable.push({ label, reason: missingCuda });
      else candidates.push({ kind: 'package', packageName, label });
    }
  }
  return { candidates, unavailable };
}

/**
 * tfjs-node-gpu 4.x does not fail without CUDA 11.2 / cuDNN 8.1: TensorFlow logs a warning and quietly
 * runs on the CPU. So its libraries are opened first, and the first missing one is named in one line.
 */
function missingGpuLibrary(packageName: TfjsNodePackage): string | null {
  try {
    checkLibraries(TFJS_NODE_GPU_LIBRARIES);
    return null;
  } catch (error) {
    return describeNativeLoadFailure(packageName, error);
  }
}

export interface LoadedNative {
  candidate: NativeCandidate;
  /** TF_Version() of the library that was loaded. */
  tensorflow: string;
  /** TensorFlow listed a GPU device and tfjs-node places ops on it. */
  gpu: boolean;
  /** Package versions for lineage, e.g. `{ tensorflow: '2.21.0', 'tfjs-node': '4.22.0' }`. */
  versions: Record<string, string>;
}

interface TfjsNodeBinding {
  TF_Version: string;
  isUsingGpuDevice(): boolean;
}

let loaded: LoadedNative | null = null;

function sameCandidate(a: NativeCandidate, b: NativeCandidate): boolean {
  return a.kind === 'lepton' && b.kind === 'lepton'
    ? a.addon === b.addon
    : a.kind === 'package' && b.kind === 'package' && a.packageName === b.packageName;
}

/**
 * Loads `candidate` into this process and registers it as tfjs's `tensorflow` backend (without activating it).
 * A second call with the same candidate returns the first result; a different one fails, since two
 * libtensorflows cannot share a process.
 */
export function loadNative(candidate: NativeCandidate): LoadedNative {
  if (loaded) {
    if (sameCandidate(loaded.candidate, candidate)) return loaded;
    throw new Error(`${loaded.candidate.label} is already loaded in this process`);
  }
  // TensorFlow's INFO lines (CPU features, oneDNN notes) would fill every worker log; warnings stay.
  process.env['TF_CPP_MIN_LOG_LEVEL'] ??= '1';
  // Required here, not imported at the top: probing and reading the cache must not load tfjs.
  const tf = requireHere('@tensorflow/tfjs') as typeof Tfjs;
  let binding: TfjsNodeBinding;
  let versions: Record<string, string>;
  if (candidate.kind === 'lepton') {
    // What tfjs-node's index.js does, minus finding the addon inside node_modules: ours lives in the cache.
    requireHere('@tensorflow/tfjs-node/dist/register_all_kernels');
    const { NodeJSKernelBackend } = requireHere('@tensorflow/tfjs-node/dist/nodejs_kernel_backend') as {
      NodeJSKernelBackend: new (binding: unknown, packageName: string) => Tfjs.KernelBackend;
    };
    binding = requireHere(candidate.addon) as TfjsNodeBinding;
    tf.registerBackend('tensorflow', () => new NodeJSKernelBackend(binding, '@tensorflow/tfjs-node'), 3);
    versions = { 'tfjs-node': (requireHere('@tensorflow/tfjs-node/package.json') as { version: string }).version };
  } else {
    requireHere(candidate.packageName);
    binding = (tf.findBackend('tensorflow') as unknown as { binding: TfjsNodeBinding }).binding;
    versions = {
      [candidate.packageName.replace('@tensorflow/', '')]: (
        requireHere(`${candidate.packageName}/package.json`) as { version: string }
      ).version,
    };
  }
  loaded = {
    candidate,
    tensorflow: binding.TF_Version,
    gpu: binding.isUsingGpuDevice(),
    versions: { tensorflow: binding.TF_Version, ...versions },
  };
  return loaded;
}

/** What this process loaded, if anything. */
export function loadedNative(): LoadedNative | null {
  return loaded;
}
