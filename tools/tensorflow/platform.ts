import { release } from 'node:os';
import type { NativeVariant, NvidiaDriver } from '@lepton/backends';
import type { Platform } from './python-index';

/** This machine in wheel-tag terms. */
export function detectPlatform(): Platform {
  const arch =
    process.arch === 'x64'
      ? 'x86_64'
      : process.arch === 'arm64'
        ? process.platform === 'darwin'
          ? 'arm64'
          : 'aarch64'
        : process.arch;
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  const glibc = /^(\d+)\.(\d+)/.exec(header?.glibcVersionRuntime ?? '');
  // Darwin 20 is macOS 11, 21 is 12, …
  const darwin = Number(release().split('.')[0]);
  return {
    os: process.platform,
    arch,
    glibc: process.platform === 'linux' && glibc ? [Number(glibc[1]), Number(glibc[2])] : null,
    macos: process.platform === 'darwin' && darwin >= 20 ? [darwin - 9, 0] : null,
  };
}

export function describePlatform(platform: Platform): string {
  if (platform.os === 'linux')
    return `linux-${platform.arch} (${platform.glibc ? `glibc ${platform.glibc.join('.')}` : 'not glibc'})`;
  if (platform.os === 'darwin') return `macOS ${platform.macos?.join('.') ?? '?'} ${platform.arch}`;
  return `${platform.os}-${platform.arch}`;
}

export interface VariantPlan {
  variant: NativeVariant;
  /** The wheel with the TensorFlow C libraries. */
  project: string;
  /** The extra whose requirements (the CUDA libraries) come too. */
  extra: string | null;
  /** File names inside the wheel's `tensorflow/` folder that make up `deps/lib`. */
  libraries: string[];
  /** What tfjs-node's binding.gyp links (`-l` names on Linux, paths on macOS), mapped to the library they are. */
  linkNames: Record<string, string>;
}

/** Where TensorFlow publishes wheels with its C libraries (see the README's platform table). */
export const SUPPORTED_PLATFORMS = 'Linux x86_64 and aarch64 with glibc ≥ 2.27, macOS ≥ 12 on Apple silicon';

export type Plan = { ok: true; plan: VariantPlan; why: string } | { ok: false; reason: string };

/**
 * Which build to install: `cuda` on request (`--gpu`) or when an NVIDIA driver is present, on Linux x86_64 only
 * (TensorFlow's CUDA wheels exist only there); `cpu` otherwise.
 */
export function planVariant(requested: NativeVariant | 'auto', platform: Platform, nvidia: NvidiaDriver | null): Plan {
  const linux =
    platform.os === 'linux' && platform.glibc && (platform.arch === 'x86_64' || platform.arch === 'aarch64');
  const mac = platform.os === 'darwin' && platform.arch === 'arm64' && platform.macos && platform.macos[0] >= 12;
  if (!linux && !mac) {
    return {
      ok: false,
      reason: `TensorFlow publishes no wheel with its C library for ${describePlatform(platform)} (only for ${SUPPORTED_PLATFORMS})`,
    };
  }
  if (platform.glibc && (platform.glibc[0] < 2 || (platform.glibc[0] === 2 && platform.glibc[1] < 27))) {
    return {
      ok: false,
      reason: `TensorFlow 2.21's wheels need glibc ≥ 2.27; this system has ${platform.glibc.join('.')}`,
    };
  }
  const wantsCuda = requested === 'cuda' || (requested === 'auto' && nvidia !== null);
  const cudaPossible = platform.os === 'linux' && platform.arch === 'x86_64';
  const linuxLibraries = {
    libraries: ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'],
    linkNames: {
      'libtensorflow.so': 'libtensorflow_cc.so.2',
      'libtensorflow_framework.so': 'libtensorflow_framework.so.2',
    },
  };
  const macLibraries = {
    libraries: ['libtensorflow_cc.2.dylib', 'libtensorflow_framework.2.dylib'],
    linkNames: {
      'libtensorflow.2.dylib': 'libtensorflow_cc.2.dylib',
      'libtensorflow_framework.2.dylib': 'libtensorflow_framework.2.dylib',
    },
  };
  if (wantsCuda && cudaPossible) {
    const why =
      requested === 'cuda' ? 'asked for with --gpu' : `NVIDIA driver ${nvidia!.version} found (${nvidia!.source})`;
    return { ok: true, plan: { variant: 'cuda', project: 'tensorflow', extra: 'and-cuda', ...linuxLibraries }, why };
  }
  const why = wantsCuda
    ? `no CUDA build of TensorFlow exists for ${describePlatform(platform)}; installing the CPU build`
    : 'no NVIDIA driver found';
  // Only x86_64 Linux has a separate `tensorflow-cpu`; elsewhere the plain `tensorflow` wheel is CPU-only.
  const project = platform.os === 'linux' && platform.arch === 'x86_64' ? 'tensorflow-cpu' : 'tensorflow';
  return { ok: true, plan: { variant: 'cpu', project, extra: null, ...(mac ? macLibraries : linuxLibraries) }, why };
}
