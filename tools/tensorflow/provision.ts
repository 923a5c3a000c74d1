/**
 * Sets up Lepton's native TensorFlow in the shared cache: wheels from the Python package index (sha256-checked),
 * their C libraries and headers, tfjs-node's addon built against them, and a verification in a child process.
 * Every stage publishes its result with a rename, so a crash leaves at most staging folders that the next run
 * removes; the loader trusts only a build whose marker the last stage wrote.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  NAPI_VERSION,
  TENSORFLOW_VERSION,
  TF_CACHE_ENV_VAR,
  buildLayout,
  checkDepsFiles,
  detectNvidiaDriver,
  platformKey,
  probeNative,
  readVerifiedBuild,
  sha256,
  tensorflowCacheRoot,
  tfjsNodeVersion,
  type BuildLayout,
  type BuildMarker,
  type DepsManifest,
  type NativeVariant,
  type NvidiaDriver,
} from '@lepton/backends';
import { ToolchainError, buildAddon, findToolchain } from './build-addon';
import { lockCache, removeStaleStaging, stagingName } from './cache-lock';
import { ChecksumError, downloadVerified } from './download';
import { extractWheel, readWheelMetadata, type ExtractedFile } from './extract';
import { detectPlatform, planVariant, type VariantPlan } from './platform';
import { HttpError } from './http';
import { megabytes } from './progress';
import {
  indexUrls,
  listProjectFiles,
  parseRequiresDist,
  pickRequirementWheel,
  pickWheel,
  requirementsOfExtra,
  type IndexFile,
  type Platform,
} from './python-index';

const requireHere = createRequire(__filename);

export interface ProvisionOptions {
  variant: NativeVariant | 'auto';
  /** Download, extract, build and verify again even if a verified build exists. */
  force: boolean;
  root?: string;
  environment?: NodeJS.ProcessEnv;
  /** Progress lines (stderr). */
  log: (line: string) => void;
  /** One line per extracted file. */
  verbose?: boolean;
  platform?: Platform;
  nvidia?: NvidiaDriver | null;
}

export type ProvisionResult =
  | {
      ok: true;
      variant: NativeVariant;
      dir: string;
      reused: boolean;
      device: string;
      tensorflow: string;
      diskBytes: number;
    }
  | { ok: false; reason: string; fix: string };

const RETRY = 'then run npm run tensorflow:install';

/** How to get past a failure, by its kind. */
function fixFor(error: unknown): string {
  if (error instanceof ToolchainError) return error.fix;
  if (error instanceof ChecksumError)
    return `run npm run tensorflow:install again; if it repeats, something between you and the index alters files`;
  if (error instanceof HttpError)
    return `check the network, or point PIP_INDEX_URL / PIP_EXTRA_INDEX_URL at a reachable index (HTTPS_PROXY for a proxy), ${RETRY}`;
  return `see the message, ${RETRY} (add --force to start over)`;
}

/** The only headers tfjs-node's binding includes (the C API and what it pulls in): ~2.5 MB of the wheel's ~290 MB. */
const HEADER_PREFIXES = ['tensorflow/c/', 'tensorflow/core/platform/', 'tsl/platform/', 'xla/tsl/c/'];

/** Maps the entries of TensorFlow's wheel that Lepton keeps: its libraries → lib/, the C API headers → include/. */
function tensorflowEntries(plan: VariantPlan) {
  return (name: string): string | null => {
    const inPackage = /^tensorflow\/(.+)$/.exec(name)?.[1];
    if (!inPackage) return null;
    if (plan.libraries.includes(inPackage)) return `lib/${inPackage}`;
    const header = /^include\/(.+\.h)$/.exec(inPackage)?.[1];
    return header && HEADER_PREFIXES.some((prefix) => header.startsWith(prefix)) ? `include/${header}` : null;
  };
}

// The CUDA libraries of an `nvidia-*-cu12` wheel keep their site-packages place, `nvidia/<name>/lib/`, next
// to `lib/`: TensorFlow's RUNPATH looks in `$ORIGIN/../nvidia/<name>/lib`. `ptxas` and libdevice come along for XLA.
function nvidiaEntries(name: string): string | null {
  if (/^nvidia\/[^/]+\/lib\/[^/]+$/.test(name)) return name;
  if (/^nvidia\/cuda_nvcc\/(bin\/ptxas|nvvm\/libdevice\/[^/]+)$/.test(name)) return name;
  return null;
}

async function findWheel(
  project: string,
  pick: (files: IndexFile[]) => IndexFile | null,
  environment: NodeJS.ProcessEnv,
): Promise<IndexFile> {
  const tried: string[] = [];
  for (const index of indexUrls(environment)) {
    const files = await listProjectFiles(project, index, { environment });
    const wheel = pick(files);
    if (wheel) return wheel;
    tried.push(`${new URL(index).host} (${files.length} files)`);
  }
  throw new Error(`no wheel of ${project} for this platform on ${tried.join(', ')}`);
}

async function readManifest(layout: BuildLayout): Promise<DepsManifest | null> {
  try {
    return JSON.parse(await readFile(layout.depsManifest, 'utf8')) as DepsManifest;
  } catch {
    return null;
  }
}

/** Why the deps folder cannot be reused, or null if it can. */
async function depsProblem(layout: BuildLayout, plan: VariantPlan): Promise<string | null> {
  const manifest = await readManifest(layout);
  if (!manifest) return 'not extracted yet';
  if (
    manifest.tensorflow !== TENSORFLOW_VERSION ||
    manifest.variant !== plan.variant ||
    manifest.platform !== platformKey()
  ) {
    return `${layout.depsManifest} is for another build`;
  }
  return checkDepsFiles(layout, manifest);
}

/** Downloads, checks and extracts every wheel of the plan into a staging folder renamed to `deps/` at the end. */
async function installDeps(
  layout: BuildLayout,
  plan: VariantPlan,
  platform: Platform,
  options: Required<Pick<ProvisionOptions, 'log' | 'verbose'>> & { environment: NodeJS.ProcessEnv; root: string },
): Promise<void> {
  const { log, environment } = options;
  const downloads = path.join(options.root, 'downloads');
  await removeStaleStaging(downloads);
  const main = await findWheel(
    plan.project,
    (files) => pickWheel(files, plan.project, TENSORFLOW_VERSION, platform),
    environment,
  );
  log(`  ${main.filename} (${megabytes(main.size ?? 0)}) from ${main.index}`);
  const wheels: { file: IndexFile; local: string; select: (name: string) => string | null }[] = [
    { file: main, local: await downloadVerified(main, downloads, log), select: tensorflowEntries(plan) },
  ];
  if (plan.extra) {
    const requirements = requirementsOfExtra(parseRequiresDist(await readWheelMetadata(wheels[0]!.local)), plan.extra);
    if (requirements.length === 0)
      throw new Error(`${main.filename} lists no requirements for its "${plan.extra}" extra`);
    log(`  the "${plan.extra}" extra adds ${requirements.map((requirement) => requirement.project).join(', ')}`);
    for (const requirement of requirements) {
      const wheel = await findWheel(
        requirement.project,
        (files) => pickRequirementWheel(files, requirement, platform),
        environment,
      );
      wheels.push({ file: wheel, local: await downloadVerified(wheel, downloads, log), select: nvidiaEntries });
    }
  }
  await mkdir(layout.dir, { recursive: true });
  await removeStaleStaging(layout.dir);
  const staging = path.join(layout.dir, stagingName('deps'));
  try {
    const files: ExtractedFile[] = [];
    for (const wheel of wheels) {
      log(`  extracting the libraries${wheel === wheels[0] ? ' and C API headers' : ''} of ${wheel.file.filename}`);
      const extracted = await extractWheel(
        wheel.local,
        staging,
        wheel.select,
        options.verbose ? (file) => log(`    ${file.path}`) : undefined,
      );
      if (extracted.length === 0) throw new Error(`${wheel.file.filename} holds none of the expected libraries`);
      files.push(...extracted);
    }
    const missing = plan.libraries.filter((library) => !files.some((file) => file.path === `lib/${library}`));
    if (missing.length > 0) throw new Error(`${main.filename} lacks ${missing.join(', ')}`);
    const manifest: DepsManifest = {
      tensorflow: TENSORFLOW_VERSION,
      variant: plan.variant,
      platform: platformKey(),
      wheels: wheels.map(({ file }) => ({
        project: file.project,
        filename: file.filename,
        sha256: file.sha256!,
        size: file.size ?? 0,
      })),
      files,
    };
    await writeFile(path.join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2));
    // Publish: the old deps (if any) move aside first, so `deps/` is always either complete or absent.
    const trash = path.join(layout.dir, `.trash-${process.pid}-${Date.now().toString(36)}`);
    await rename(layout.deps, trash).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(staging, layout.deps);
    await rm(trash, { recursive: true, force: true });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  // The wheels are only needed again if the cache is damaged; the libraries are their largest part anyway.
  for (const wheel of wheels) await rm(wheel.local, { force: true });
}

async function writeMarker(layout: BuildLayout, marker: BuildMarker): Promise<void> {
  const temp = `${layout.marker}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(marker, null, 2));
  await rename(temp, layout.marker);
}

async function diskBytes(layout: BuildLayout): Promise<number> {
  const manifest = await readManifest(layout);
  return (manifest?.files ?? []).reduce((sum, file) => sum + file.size, 0);
}

/** Runs the verification child; on success writes the marker. Returns the probe's device and TensorFlow version. */
async function verify(
  layout: BuildLayout,
  variant: NativeVariant,
  tfjsNode: string,
): Promise<{ device: string; tensorflow: string }> {
  const probe = await probeNative(
    { kind: 'lepton', variant, addon: layout.addon, label: `the new ${variant} build` },
    true,
  );
  if (!probe.ok) throw new Error(`the built addon failed its check in a child process: ${probe.reason}`);
  const manifestText = await readFile(layout.depsManifest);
  const tensorflow = probe.versions['tensorflow'] ?? 'unknown';
  await writeMarker(layout, {
    tensorflow: TENSORFLOW_VERSION,
    variant,
    platform: platformKey(),
    tfjsNode,
    napiVersion: NAPI_VERSION,
    addonSha256: sha256(await readFile(layout.addon)),
    depsManifestSha256: sha256(manifestText),
    verifiedAt: new Date().toISOString(),
    verification: {
      tensorflowReported: tensorflow,
      gpu: probe.gpu,
      device: probe.device,
      convGradientMaxError: probe.convGradientMaxError ?? 0,
    },
  });
  return { device: probe.device, tensorflow };
}

export async function provision(options: ProvisionOptions): Promise<ProvisionResult> {
  const environment = options.environment ?? process.env;
  const root = options.root ?? tensorflowCacheRoot(environment);
  const log = options.log;
  const platform = options.platform ?? detectPlatform();
  const planned = planVariant(
    options.variant,
    platform,
    options.nvidia === undefined ? detectNvidiaDriver() : options.nvidia,
  );
  if (!planned.ok)
    return {
      ok: false,
      reason: planned.reason,
      fix: "nothing to fix: this platform trains on wasm (or see the README for tfjs-node's own download)",
    };
  const { plan } = planned;
  let tfjsNode: string;
  try {
    tfjsNode = tfjsNodeVersion();
  } catch {
    return { ok: false, reason: '@tensorflow/tfjs-node is not installed', fix: `run npm ci, ${RETRY}` };
  }
  const layout = buildLayout(plan.variant, tfjsNode, root);
  log(`TensorFlow ${TENSORFLOW_VERSION} (${plan.variant}, ${planned.why}) in ${layout.dir}`);
  let release: () => Promise<void>;
  try {
    release = await lockCache(root, (owner) =>
      log(`  waiting for another install (pid ${owner.pid} on ${owner.host}) to finish`),
    );
  } catch (error) {
    const reason = `cannot use the cache ${root}: ${(error as Error).message.split('\n')[0]}`;
    return { ok: false, reason, fix: `point ${TF_CACHE_ENV_VAR} at a folder you can write, ${RETRY}` };
  }
  try {
    if (!options.force) {
      const existing = readVerifiedBuild(plan.variant, root);
      if (existing.ok) {
        // Cheap insurance that it still loads here (a system library may have changed since it was verified).
        const probe = await probeNative(
          { kind: 'lepton', variant: plan.variant, addon: existing.layout.addon, label: 'the installed build' },
          false,
        );
        if (probe.ok) {
          return {
            ok: true,
            variant: plan.variant,
            dir: layout.dir,
            reused: true,
            device: probe.device,
            tensorflow: probe.versions['tensorflow'] ?? existing.marker.tensorflow,
            diskBytes: await diskBytes(layout),
          };
        }
        log(`  the installed build no longer loads (${probe.reason}); rebuilding`);
        await rm(layout.addonDir, { recursive: true, force: true });
      }
    }
    const depsIssue = options.force ? 'reinstall requested (--force)' : await depsProblem(layout, plan);
    // An addon built before a crash (or an interrupted verification) only needs verifying.
    const haveAddon = !options.force && !depsIssue && existsSync(layout.addon);
    // Check the toolchain before downloading hundreds of megabytes that could not be used.
    const toolchain = haveAddon ? null : findToolchain(environment);
    if (depsIssue) {
      log(`  libraries: ${depsIssue}; fetching from the Python package index`);
      await rm(layout.addonDir, { recursive: true, force: true });
      await installDeps(layout, plan, platform, { log, verbose: options.verbose ?? false, environment, root });
    }
    if (toolchain) {
      log(`  building the tfjs-node ${tfjsNode} addon against them (node-gyp, about 30 s)`);
      await buildAddon(
        layout,
        plan,
        path.dirname(requireHere.resolve('@tensorflow/tfjs-node/package.json')),
        toolchain,
        environment,
      );
    }
    log('  verifying in a child process (a matmul and a convolution gradient)');
    try {
      const verified = await verify(layout, plan.variant, tfjsNode);
      return {
        ok: true,
        variant: plan.variant,
        dir: layout.dir,
        reused: false,
        ...verified,
        diskBytes: await diskBytes(layout),
      };
    } catch (error) {
      // An addon that fails its check is never left for a later run to trust.
      await rm(layout.addonDir, { recursive: true, force: true });
      throw error;
    }
  } catch (error) {
    const reason =
      error instanceof ToolchainError
        ? error.missing
        : (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
    return { ok: false, reason, fix: fixFor(error) };
  } finally {
    await release();
  }
}
