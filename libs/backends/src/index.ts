export { BACKENDS, BACKEND_ENV_VAR, isBackendName, isNativeBackend } from './backend-name';
export type { BackendName, NativeBackend } from './backend-name';
export {
  INSTALL_COMMAND,
  NAPI_VERSION,
  NATIVE_VARIANTS,
  TENSORFLOW_VERSION,
  TF_CACHE_ENV_VAR,
  buildLayout,
  checkDepsFiles,
  platformKey,
  readVerifiedBuild,
  sha256,
  tensorflowCacheRoot,
  tfjsNodeVersion,
} from './native/native-build';
export type { BuildLayout, BuildMarker, DepsManifest, NativeVariant, VerifiedBuild } from './native/native-build';
export { findNativeCandidates, loadNative, loadedNative } from './native/load-native';
export type { LoadedNative, NativeCandidate, NativeCandidates } from './native/load-native';
export { detectNvidiaDriver, parseTensorflowGpuDevices } from './native/nvidia';
export type { NvidiaDriver, TensorflowGpuDevice } from './native/nvidia';
export { JS_CPU_DEVICE, cpuDescription, wasmDevice } from './device';
export { chooseNative, decideNative, probeBackends, probeNative } from './probe/probe';
export type { BackendReport, BackendsReport, NativeChoice, NativeProbe, ProbeOptions } from './probe/probe';
