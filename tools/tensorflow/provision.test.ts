/**
 * The install's failure paths, each against a real HTTP index serving small wheel-shaped zips (never the real
 * 273 MB wheel), with the install as a real child process where it matters (its one-line output, its exit
 * code, being killed). Stand-in build tools let it run up to the verification, which must refuse their output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildLayout, readVerifiedBuild, tfjsNodeVersion, type DepsManifest } from '@lepton/backends';
import type { ZipEntry } from '@lepton/datasets/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { detectPlatform, planVariant } from './platform';
import { provision } from './provision';
import { fakeWheel, startFakeIndex, type FakeIndex } from './testing/fake-index';
import { fakeToolchain } from './testing/fake-toolchain';

const INSTALL = path.join(__dirname, 'install.ts');
const TSX = pathToFileURL(createRequire(__filename).resolve('tsx')).href;
const platform = detectPlatform();
const planned = planVariant('cpu', platform, null);
const supported = planned.ok;
const plan = planned.ok ? planned.plan : null;
const tag = platform.os === 'darwin' ? 'macosx_12_0_arm64' : `manylinux_2_27_${platform.arch}`;
const wheelName = plan ? `${plan.project.replace(/-/g, '_')}-2.21.0-cp313-cp313-${tag}.whl` : '';
const LIBRARY_BYTES = 5000;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function scratch(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lepton-tf-install-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** TensorFlow's wheel in miniature: its libraries, a C API header, Python code that must not be extracted. */
function tensorflowWheel(extraEntries: ZipEntry[] = []) {
  return fakeWheel(wheelName, [
    ...plan!.libraries.map((library) => ({
      name: `tensorflow/${library}`,
      content: 'L'.repeat(LIBRARY_BYTES),
      deflate: true,
    })),
    { name: 'tensorflow/include/tensorflow/c/c_api.h', content: '/* the C API */' },
    { name: 'tensorflow/include/external/huge/unused.h', content: '/* not needed by the binding */' },
    { name: 'tensorflow/python/framework/ops.py', content: '# python' },
    ...extraEntries,
  ]);
}

async function index(wheels: Parameters<typeof startFakeIndex>[0]): Promise<FakeIndex> {
  const started = await startFakeIndex(wheels);
  cleanups.push(() => started.close());
  return started;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment of a clean machine: this index, this cache, these tools, no proxies, no GPU. */
function installEnv(cache: string, indexUrl: string, tools: { path: string; nodeGyp?: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    HOME: process.env['HOME'],
    PATH: tools.path,
    LEPTON_TF_CACHE: cache,
    PIP_INDEX_URL: indexUrl,
    TSX_TSCONFIG_PATH: path.resolve(__dirname, '../../tsconfig.json'),
  };
  if (tools.nodeGyp) env['npm_config_node_gyp'] = tools.nodeGyp;
  return env;
}

function startInstall(env: NodeJS.ProcessEnv, args: string[] = []): ChildProcess {
  return spawn(process.execPath, ['--import', TSX, INSTALL, '--postinstall', '--cpu', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finish(child: ChildProcess): Promise<Run> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

const install = (env: NodeJS.ProcessEnv, args: string[] = []) => finish(startInstall(env, args));

function expectOneFailureLine(run: Run, reason: RegExp, fix: RegExp): void {
  expect(run.code).toBe(0); // npm ci goes on: the platform trains on wasm
  const lines = run.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    /^Lepton: native TensorFlow is not set up \(.+\); to fix: .+\. Training uses wasm until then\.$/,
  );
  expect(lines[0]).toMatch(reason);
  expect(lines[0]).toMatch(fix);
}

const layoutIn = (cache: string) => buildLayout('cpu', tfjsNodeVersion(), cache);

describe.skipIf(!supported)(
  `installing native TensorFlow${supported ? '' : ` (not run: ${!planned.ok && planned.reason})`}`,
  () => {
    it('with the index down: one line saying so and how to fix it, exit 0, nothing half-written', async () => {
      const cache = scratch();
      const down = await index({});
      const url = down.url;
      await down.close();
      const run = await install(installEnv(cache, url, fakeToolchain(path.join(scratch(), 'bin'))));
      expectOneFailureLine(
        run,
        /cannot reach 127\.0\.0\.1:\d+: .*ECONNREFUSED/,
        /check the network, or point PIP_INDEX_URL/,
      );
      expect(existsSync(layoutIn(cache).deps)).toBe(false);
      expect(existsSync(path.join(cache, '.install.lock'))).toBe(false);
    });

    it('with a checksum that does not match the index: refused before extraction, the download removed', async () => {
      const cache = scratch();
      const wheel = { ...tensorflowWheel(), sha256: 'f'.repeat(64) };
      const served = await index({ [plan!.project]: [wheel] });
      const run = await install(installEnv(cache, served.url, fakeToolchain(path.join(scratch(), 'bin'))));
      expectOneFailureLine(
        run,
        new RegExp(`${wheelName.replace(/\./g, '\\.')} has sha256 [0-9a-f]{64}, but the index lists f{64}`),
        /run npm run tensorflow:install again/,
      );
      expect(served.downloads(wheelName)).toBe(1);
      expect(existsSync(layoutIn(cache).deps)).toBe(false);
      expect(readdirSync(path.join(cache, 'downloads'))).toEqual([]);
    });

    it('without a C++ compiler: one line naming it, before anything is downloaded', async () => {
      const cache = scratch();
      const served = await index({ [plan!.project]: [tensorflowWheel()] });
      const emptyPath = path.join(scratch(), 'no-tools');
      mkdirSync(emptyPath);
      const run = await install(installEnv(cache, served.url, { path: emptyPath }));
      expectOneFailureLine(
        run,
        /no C\+\+ compiler \(tried \$CXX, c\+\+, g\+\+, clang\+\+\)/,
        /install g\+\+ and make|xcode-select --install/,
      );
      expect(served.requests).toEqual([]);
    });

    it('extracts only libraries and C API headers, and never trusts an addon that fails its check', async () => {
      const cache = scratch();
      const served = await index({ [plan!.project]: [tensorflowWheel()] });
      const run = await install(installEnv(cache, served.url, fakeToolchain(path.join(scratch(), 'bin'))));
      expectOneFailureLine(
        run,
        /the built addon failed its check in a child process: .*(invalid ELF header|not a mach-o)/i,
        /npm run tensorflow:install/,
      );
      const layout = layoutIn(cache);
      const manifest = JSON.parse(readFileSync(layout.depsManifest, 'utf8')) as DepsManifest;
      expect(manifest.files.map((file) => file.path).sort()).toEqual(
        [...plan!.libraries.map((library) => `lib/${library}`), 'include/tensorflow/c/c_api.h'].sort(),
      );
      expect(manifest.wheels).toEqual([
        {
          project: plan!.project,
          filename: wheelName,
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
          size: expect.any(Number),
        },
      ]);
      expect(existsSync(layout.addonDir)).toBe(false);
      expect(readVerifiedBuild('cpu', cache)).toMatchObject({
        ok: false,
        reason: expect.stringContaining('was never verified'),
      });
      // The wheel is gone once its libraries are extracted: the cache holds only what it uses.
      expect(readdirSync(path.join(cache, 'downloads'))).toEqual([]);
    });

    it('reuses intact libraries on the next run and repairs damaged ones from the index', async () => {
      const cache = scratch();
      const served = await index({ [plan!.project]: [tensorflowWheel()] });
      const env = installEnv(cache, served.url, fakeToolchain(path.join(scratch(), 'bin')));
      await install(env);
      expect(served.downloads(wheelName)).toBe(1);
      // Intact: nothing is downloaded again (only the addon is rebuilt, as the last one failed its check).
      const again = await install(env);
      expect(served.downloads(wheelName)).toBe(1);
      expect(again.stderr).not.toContain('fetching from the Python package index');
      // Damaged (a truncated library, as a full disk or an interrupted copy leaves it): fetched and extracted anew.
      const library = path.join(layoutIn(cache).libDir, plan!.libraries[0]!);
      truncateSync(library, 3);
      const repaired = await install(env);
      expect(repaired.stderr).toContain(
        `libraries: lib/${plan!.libraries[0]} has 3 bytes, the manifest says ${LIBRARY_BYTES}; fetching from the Python package index`,
      );
      expect(served.downloads(wheelName)).toBe(2);
      expect(statSync(library).size).toBe(LIBRARY_BYTES);
    });

    it('recovers on the next run after being killed mid-extract, reusing the verified download', async () => {
      const cache = scratch();
      // Thousands of headers, each listed with --verbose: once this test stops reading, the install blocks on its
      // full stderr pipe partway through extracting, so the kill lands mid-extract whatever the machine's speed.
      const headers = Array.from({ length: 3000 }, (_, i) => ({
        name: `tensorflow/include/tensorflow/c/generated/header_${i}.h`,
        content: `/* ${i} */`,
      }));
      const served = await index({ [plan!.project]: [tensorflowWheel(headers)] });
      const env = installEnv(cache, served.url, fakeToolchain(path.join(scratch(), 'bin')));
      const child = startInstall(env, ['--verbose']);
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('close', (_code, signal) => resolve(signal)),
      );
      await new Promise<void>((resolve) => {
        let seen = '';
        child.stderr!.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          if (/extracting the libraries[\s\S]*\n\s+\S+\.h\n/.test(seen)) {
            child.stderr!.pause();
            resolve();
          }
        });
      });
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const layout = layoutIn(cache);
      expect(existsSync(layout.deps)).toBe(false);
      expect(readdirSync(layout.dir).filter((name) => name.startsWith('.staging-'))).toHaveLength(1);
      expect(existsSync(path.join(cache, '.install.lock'))).toBe(true); // held by a process that no longer exists

      const next = await install(env);
      expect(next.stderr).toContain(`${wheelName}: already downloaded and verified`);
      expect(served.downloads(wheelName)).toBe(1);
      const manifest = JSON.parse(readFileSync(layout.depsManifest, 'utf8')) as DepsManifest;
      expect(manifest.files).toHaveLength(plan!.libraries.length + 1 + headers.length);
      expect(readdirSync(layout.dir).filter((name) => name.startsWith('.staging-'))).toEqual([]);
      expect(existsSync(path.join(cache, '.install.lock'))).toBe(false);
    });

    it('says which cache cannot be written and how to choose another', async () => {
      const file = path.join(scratch(), 'a-file');
      writeFileSync(file, 'not a folder');
      const result = await provision({
        variant: 'cpu',
        force: false,
        root: path.join(file, 'cache'),
        log: () => undefined,
        nvidia: null,
      });
      expect(result).toEqual({
        ok: false,
        reason: expect.stringMatching(/^cannot use the cache .*a-file\/cache: ENOTDIR/),
        fix: 'point LEPTON_TF_CACHE at a folder you can write, then run npm run tensorflow:install',
      });
    });

    it('says plainly when the platform has no TensorFlow wheel', async () => {
      const result = await provision({
        variant: 'auto',
        force: false,
        root: scratch(),
        log: () => undefined,
        platform: { os: 'win32', arch: 'x86_64', glibc: null, macos: null },
        nvidia: null,
      });
      expect(result).toEqual({
        ok: false,
        reason:
          'TensorFlow publishes no wheel with its C library for win32-x86_64 (only for Linux x86_64 and aarch64 with glibc ≥ 2.27, macOS ≥ 12 on Apple silicon)',
        fix: "nothing to fix: this platform trains on wasm (or see the README for tfjs-node's own download)",
      });
    });
  },
);

describe('the CUDA build (--gpu)', () => {
  const linux = { os: 'linux', arch: 'x86_64', glibc: [2, 36] as [number, number], macos: null };
  const metadata = [
    'Metadata-Version: 2.1',
    'Name: tensorflow',
    'Version: 2.21.0',
    'Requires-Dist: numpy>=1.26.0',
    'Requires-Dist: nvidia-cublas-cu12<13.0,>=12.5.3.2; extra == "and-cuda"',
    'Requires-Dist: nvidia-cuda-nvcc-cu12<13.0,>=12.5.82; extra == "and-cuda"',
  ].join('\n');

  it("downloads TensorFlow's CUDA wheel and the nvidia-*-cu12 wheels of its and-cuda extra, laid out where its RUNPATH looks", async () => {
    const cache = scratch();
    const tensorflow = fakeWheel(
      'tensorflow-2.21.0-cp313-cp313-manylinux_2_27_x86_64.whl',
      [
        { name: 'tensorflow/libtensorflow_cc.so.2', content: 'cc' },
        { name: 'tensorflow/libtensorflow_framework.so.2', content: 'fw' },
        { name: 'tensorflow/include/tensorflow/c/c_api.h', content: '/* C API */' },
      ],
      metadata,
    );
    const cublas = (version: string) =>
      fakeWheel(`nvidia_cublas_cu12-${version}-py3-none-manylinux_2_27_x86_64.whl`, [
        { name: 'nvidia/cublas/lib/libcublas.so.12', content: `cublas ${version}` },
        { name: 'nvidia/cublas/lib/libcublasLt.so.12', content: 'cublasLt' },
        { name: 'nvidia/cublas/include/cublas_v2.h', content: '/* not needed */' },
      ]);
    const nvcc = fakeWheel('nvidia_cuda_nvcc_cu12-12.9.86-py3-none-manylinux2010_x86_64.manylinux_2_12_x86_64.whl', [
      { name: 'nvidia/cuda_nvcc/bin/ptxas', content: '#!/bin/sh\n', mode: 0o100755 },
      { name: 'nvidia/cuda_nvcc/bin/nvcc', content: 'not needed' },
      { name: 'nvidia/cuda_nvcc/nvvm/libdevice/libdevice.10.bc', content: 'bitcode' },
    ]);
    const served = await index({
      tensorflow: [tensorflow],
      'nvidia-cublas-cu12': [cublas('12.5.3.2'), cublas('12.9.1.4'), cublas('13.0.0.19')],
      'nvidia-cuda-nvcc-cu12': [nvcc],
    });
    const tools = fakeToolchain(path.join(scratch(), 'bin'));
    const log: string[] = [];
    const result = await provision({
      variant: 'cuda',
      force: false,
      root: cache,
      log: (line) => log.push(line),
      platform: linux,
      nvidia: null,
      environment: {
        PATH: tools.path,
        npm_config_node_gyp: tools.nodeGyp,
        PIP_INDEX_URL: served.url,
        HOME: process.env['HOME'],
      },
    });
    // Everything up to the verification ran; stand-in tools cannot make an addon that passes it.
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('the built addon failed its check') });
    expect(log[0]).toMatch(/^TensorFlow 2\.21\.0 \(cuda, asked for with --gpu\)/);
    expect(log).toContain('  the "and-cuda" extra adds nvidia-cublas-cu12, nvidia-cuda-nvcc-cu12');
    const layout = buildLayout('cuda', tfjsNodeVersion(), cache);
    const manifest = JSON.parse(readFileSync(layout.depsManifest, 'utf8')) as DepsManifest;
    expect(manifest.wheels.map((wheel) => wheel.filename)).toEqual([
      'tensorflow-2.21.0-cp313-cp313-manylinux_2_27_x86_64.whl',
      'nvidia_cublas_cu12-12.9.1.4-py3-none-manylinux_2_27_x86_64.whl', // newest below 13.0
      'nvidia_cuda_nvcc_cu12-12.9.86-py3-none-manylinux2010_x86_64.manylinux_2_12_x86_64.whl',
    ]);
    // deps/lib/../nvidia/<name>/lib is TensorFlow's `$ORIGIN/../nvidia/<name>/lib`.
    expect(manifest.files.map((file) => file.path).sort()).toEqual([
      'include/tensorflow/c/c_api.h',
      'lib/libtensorflow_cc.so.2',
      'lib/libtensorflow_framework.so.2',
      'nvidia/cublas/lib/libcublas.so.12',
      'nvidia/cublas/lib/libcublasLt.so.12',
      'nvidia/cuda_nvcc/bin/ptxas',
      'nvidia/cuda_nvcc/nvvm/libdevice/libdevice.10.bc',
    ]);
    expect(readFileSync(path.join(layout.deps, 'nvidia/cublas/lib/libcublas.so.12'), 'utf8')).toBe('cublas 12.9.1.4');
    expect(statSync(path.join(layout.deps, 'nvidia/cuda_nvcc/bin/ptxas')).mode & 0o111).not.toBe(0);
  });
});
