import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  NAPI_VERSION,
  TENSORFLOW_VERSION,
  buildLayout,
  platformKey,
  readVerifiedBuild,
  sha256,
  tensorflowCacheRoot,
  tfjsNodeVersion,
  type BuildMarker,
  type DepsManifest,
  type NativeVariant,
} from './native-build';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A cache laid out as tools/tensorflow leaves it, with small stand-ins for the libraries and the addon. */
function fakeBuild(variant: NativeVariant, options: { marker?: Partial<BuildMarker> | null } = {}) {
  const root = mkdtempSync(path.join(tmpdir(), 'lepton-tf-cache-'));
  roots.push(root);
  const layout = buildLayout(variant, tfjsNodeVersion(), root);
  const files = {
    'lib/libtensorflow_cc.so.2': 'cc'.repeat(500),
    'lib/libtensorflow_framework.so.2': 'fw'.repeat(300),
    'include/tensorflow/c/c_api.h': '/* c api */',
  };
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(layout.deps, file)), { recursive: true });
    writeFileSync(path.join(layout.deps, file), content);
  }
  const manifest: DepsManifest = {
    tensorflow: TENSORFLOW_VERSION,
    variant,
    platform: platformKey(),
    wheels: [
      {
        project: 'tensorflow-cpu',
        filename: 'tensorflow_cpu-2.21.0-cp313-cp313-manylinux_2_27_x86_64.whl',
        sha256: 'ab'.repeat(32),
        size: 1,
      },
    ],
    files: Object.entries(files).map(([file, content]) => ({ path: file, size: content.length })),
  };
  const manifestText = JSON.stringify(manifest);
  writeFileSync(layout.depsManifest, manifestText);
  mkdirSync(layout.addonDir, { recursive: true });
  writeFileSync(layout.addon, 'not really an addon');
  if (options.marker !== null) {
    const marker: BuildMarker = {
      tensorflow: TENSORFLOW_VERSION,
      variant,
      platform: platformKey(),
      tfjsNode: tfjsNodeVersion(),
      napiVersion: NAPI_VERSION,
      addonSha256: sha256('not really an addon'),
      depsManifestSha256: sha256(manifestText),
      verifiedAt: new Date().toISOString(),
      verification: {
        tensorflowReported: TENSORFLOW_VERSION,
        gpu: false,
        device: 'CPU: test (1 core)',
        convGradientMaxError: 0,
      },
      ...options.marker,
    };
    writeFileSync(layout.marker, JSON.stringify(marker));
  }
  return { root, layout };
}

describe('readVerifiedBuild', () => {
  it('accepts a complete build whose marker matches its files', () => {
    const { root, layout } = fakeBuild('cpu');
    const build = readVerifiedBuild('cpu', root);
    expect(build).toMatchObject({ ok: true, layout: { addon: layout.addon } });
  });

  it('says how to install when nothing is there, with --gpu for the CUDA build', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'lepton-tf-cache-'));
    roots.push(root);
    expect(readVerifiedBuild('cpu', root)).toEqual({
      ok: false,
      reason: `TensorFlow 2.21.0 (cpu) is not installed in ${path.join(root, '2.21.0-cpu')}; run npm run tensorflow:install`,
    });
    expect(readVerifiedBuild('cuda', root)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/\(cuda\) is not installed .*; run npm run tensorflow:install -- --gpu$/),
    });
  });

  it('never trusts a build without its verification marker (an install that stopped before verifying)', () => {
    const { root } = fakeBuild('cpu', { marker: null });
    expect(readVerifiedBuild('cpu', root)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('was never verified'),
    });
  });

  it('notices a library that changed size since verification (a damaged cache)', () => {
    const { root, layout } = fakeBuild('cpu');
    truncateSync(path.join(layout.libDir, 'libtensorflow_cc.so.2'), 10);
    expect(readVerifiedBuild('cpu', root)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('lib/libtensorflow_cc.so.2 has 10 bytes, the manifest says 1000'),
    });
  });

  it('notices a replaced addon and a missing library', () => {
    const { root, layout } = fakeBuild('cpu');
    writeFileSync(layout.addon, 'another addon');
    expect(readVerifiedBuild('cpu', root)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('changed after verification'),
    });
    const second = fakeBuild('cpu');
    rmSync(path.join(second.layout.libDir, 'libtensorflow_framework.so.2'));
    expect(readVerifiedBuild('cpu', second.root)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('lib/libtensorflow_framework.so.2 is missing'),
    });
  });

  it('refuses a marker written for another platform, TensorFlow or tfjs-node version', () => {
    for (const [field, value] of [
      ['platform', 'win32-ia32'],
      ['tensorflow', '2.9.1'],
      ['tfjsNode', '3.0.0'],
    ] as const) {
      const { root } = fakeBuild('cpu', { marker: { [field]: value } });
      expect(readVerifiedBuild('cpu', root)).toMatchObject({
        ok: false,
        reason: expect.stringContaining(`records ${field} "${value}"`),
      });
    }
  });
});

describe('tensorflowCacheRoot', () => {
  it('is ~/.cache/lepton/tensorflow unless XDG_CACHE_HOME or LEPTON_TF_CACHE say otherwise', () => {
    expect(tensorflowCacheRoot({})).toBe(path.join(homedir(), '.cache', 'lepton', 'tensorflow'));
    expect(tensorflowCacheRoot({ XDG_CACHE_HOME: '/var/cache/me' })).toBe('/var/cache/me/lepton/tensorflow');
    expect(tensorflowCacheRoot({ XDG_CACHE_HOME: '/var/cache/me', LEPTON_TF_CACHE: 'relative/tf' })).toBe(
      path.resolve('relative/tf'),
    );
  });
});
