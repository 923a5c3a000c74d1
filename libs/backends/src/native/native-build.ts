import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Lepton's own native TensorFlow: the C libraries and headers of TensorFlow's published Python wheels, laid out
 * in a cache shared by every clone, with tfjs-node's addon built against them. `tools/tensorflow` writes it;
 * this module only reads it, and trusts a build only once its marker says a child process verified it.
 *
 *   <cache>/<version>-<variant>/
 *     deps/lib/          libtensorflow_cc.so.2, libtensorflow_framework.so.2 (the wheel's `tensorflow/` folder)
 *     deps/include/      the wheel's `tensorflow/include/`
 *     deps/nvidia/       CUDA builds only: the `nvidia-*-cu12` wheels, where the libraries' RUNPATH looks
 *     deps/manifest.json every extracted file with its size, and the wheels it came from
 *     addons/tfjs-node-<version>-napi-v8/tfjs_binding.node + verified.json
 *
 * The addon's RUNPATH (from tfjs-node's binding.gyp) is `$ORIGIN/../../deps/lib`, which is exactly `deps/lib`
 * from there, so it loads by absolute path without LD_LIBRARY_PATH and without touching node_modules.
 */
export const TENSORFLOW_VERSION = '2.21.0';
export const NAPI_VERSION = 8;
export const NATIVE_VARIANTS = ['cuda', 'cpu'] as const;
export type NativeVariant = (typeof NATIVE_VARIANTS)[number];

export const TF_CACHE_ENV_VAR = 'LEPTON_TF_CACHE';
export const INSTALL_COMMAND = 'npm run tensorflow:install';

const requireHere = createRequire(__filename);

/** `~/.cache/lepton/tensorflow`, or `$XDG_CACHE_HOME/lepton/tensorflow`, or LEPTON_TF_CACHE. */
export function tensorflowCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[TF_CACHE_ENV_VAR]?.trim();
  if (configured) return path.resolve(configured);
  const base = env['XDG_CACHE_HOME']?.trim() || path.join(homedir(), '.cache');
  return path.join(base, 'lepton', 'tensorflow');
}

/** The platform a build is made for; a cache copied to another machine is not used there. */
export function platformKey(): string {
  return `${process.platform}-${process.arch}`;
}

/** The version of the installed @tensorflow/tfjs-node, whose binding sources the addon is built from. */
export function tfjsNodeVersion(): string {
  return (requireHere('@tensorflow/tfjs-node/package.json') as { version: string }).version;
}

export interface BuildLayout {
  variant: NativeVariant;
  /** `<cache>/<version>-<variant>` */
  dir: string;
  deps: string;
  libDir: string;
  includeDir: string;
  depsManifest: string;
  addonDir: string;
  addon: string;
  marker: string;
}

export function buildLayout(variant: NativeVariant, tfjsNode: string, root = tensorflowCacheRoot()): BuildLayout {
  const dir = path.join(root, `${TENSORFLOW_VERSION}-${variant}`);
  const deps = path.join(dir, 'deps');
  const addonDir = path.join(dir, 'addons', `tfjs-node-${tfjsNode}-napi-v${NAPI_VERSION}`);
  return {
    variant,
    dir,
    deps,
    libDir: path.join(deps, 'lib'),
    includeDir: path.join(deps, 'include'),
    depsManifest: path.join(deps, 'manifest.json'),
    addonDir,
    addon: path.join(addonDir, 'tfjs_binding.node'),
    marker: path.join(addonDir, 'verified.json'),
  };
}

/** What `deps/` holds: written last inside the staging folder, before it is renamed into place. */
export interface DepsManifest {
  tensorflow: string;
  variant: NativeVariant;
  platform: string;
  wheels: { project: string; filename: string; sha256: string; size: number }[];
  /** Paths relative to `deps/`. */
  files: { path: string; size: number }[];
}

/** Written only after a child process loaded the addon and checked a matmul and a convolution gradient. */
export interface BuildMarker {
  tensorflow: string;
  variant: NativeVariant;
  platform: string;
  tfjsNode: string;
  napiVersion: number;
  addonSha256: string;
  depsManifestSha256: string;
  verifiedAt: string;
  verification: { tensorflowReported: string; gpu: boolean; device: string; convGradientMaxError: number };
}

export type VerifiedBuild = { ok: true; layout: BuildLayout; marker: BuildMarker } | { ok: false; reason: string };

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Stats every file the manifest lists; the first one missing or of another size is the answer. */
export function checkDepsFiles(layout: BuildLayout, manifest: DepsManifest): string | null {
  for (const file of manifest.files) {
    let size: number;
    try {
      size = statSync(path.join(layout.deps, file.path)).size;
    } catch {
      return `${file.path} is missing from ${layout.deps}`;
    }
    if (size !== file.size) return `${file.path} has ${size} bytes, the manifest says ${file.size}`;
  }
  return null;
}

/**
 * The verified build of `variant` in the cache, or why there is none. Cheap enough for every process start:
 * two small JSON files, one stat per library and a hash of the ~1 MB addon.
 */
export function readVerifiedBuild(variant: NativeVariant, root = tensorflowCacheRoot()): VerifiedBuild {
  let tfjsNode: string;
  try {
    tfjsNode = tfjsNodeVersion();
  } catch {
    return { ok: false, reason: '@tensorflow/tfjs-node is not installed (run npm ci)' };
  }
  const layout = buildLayout(variant, tfjsNode, root);
  const notReady = (why: string) => ({
    ok: false as const,
    reason: `${why}; run ${INSTALL_COMMAND}${variant === 'cuda' ? ' -- --gpu' : ''}`,
  });
  const manifestText = (() => {
    try {
      return readFileSync(layout.depsManifest);
    } catch {
      return null;
    }
  })();
  if (!manifestText) return notReady(`TensorFlow ${TENSORFLOW_VERSION} (${variant}) is not installed in ${layout.dir}`);
  const marker = readJson<BuildMarker>(layout.marker);
  if (!marker) return notReady(`the ${variant} build in ${layout.dir} was never verified (an install stopped early?)`);
  const expected: Partial<BuildMarker> = {
    tensorflow: TENSORFLOW_VERSION,
    variant,
    platform: platformKey(),
    tfjsNode,
    napiVersion: NAPI_VERSION,
  };
  for (const [key, value] of Object.entries(expected)) {
    if (marker[key as keyof BuildMarker] !== value) {
      return notReady(
        `${layout.marker} records ${key} ${JSON.stringify(marker[key as keyof BuildMarker])}, expected ${JSON.stringify(value)}`,
      );
    }
  }
  if (marker.depsManifestSha256 !== sha256(manifestText))
    return notReady(`${layout.depsManifest} changed after verification`);
  let addonBytes: Buffer;
  try {
    addonBytes = readFileSync(layout.addon);
  } catch {
    return notReady(`${layout.addon} is missing`);
  }
  if (sha256(addonBytes) !== marker.addonSha256) return notReady(`${layout.addon} changed after verification`);
  const broken = checkDepsFiles(layout, JSON.parse(manifestText.toString('utf8')) as DepsManifest);
  if (broken) return notReady(broken);
  return { ok: true, layout, marker };
}
