import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildLayout } from '@lepton/backends';
import { stagingName } from './cache-lock';
import type { VariantPlan } from './platform';

export interface Toolchain {
  nodeGyp: string;
  /** Node's install prefix: `<nodedir>/include/node/node_api.h` exists, so node-gyp downloads nothing. */
  nodedir: string;
  python: string;
  make: string;
  compiler: string;
}

export class ToolchainError extends Error {
  constructor(
    readonly missing: string,
    readonly fix: string,
  ) {
    super(`${missing}: ${fix}`);
    this.name = 'ToolchainError';
  }
}

function runs(command: string, args: string[], environment: NodeJS.ProcessEnv): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', env: environment, timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/** node-gyp ships inside npm; npm names it in `npm_config_node_gyp` when it runs a script. */
function findNodeGyp(environment: NodeJS.ProcessEnv): string | null {
  const candidates = [
    environment['npm_config_node_gyp'],
    path.join(path.dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
    path.join(path.dirname(process.execPath), 'node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  ];
  return candidates.find((file): file is string => !!file && existsSync(file)) ?? null;
}

/** Everything the build needs, checked before anything is downloaded; throws ToolchainError naming what is missing. */
export function findToolchain(environment: NodeJS.ProcessEnv = process.env): Toolchain {
  const compiler = [environment['CXX'], 'c++', 'g++', 'clang++'].find(
    (candidate) => !!candidate && runs(candidate, ['--version'], environment),
  );
  if (!compiler) {
    const fix =
      process.platform === 'darwin'
        ? 'run xcode-select --install'
        : 'install g++ and make (Debian/Ubuntu: apt-get install g++ make)';
    throw new ToolchainError(
      'no C++ compiler (tried $CXX, c++, g++, clang++)',
      `${fix}, then ${'npm run tensorflow:install'}`,
    );
  }
  if (!runs('make', ['--version'], environment))
    throw new ToolchainError('no make', 'install make, then npm run tensorflow:install');
  const python = [environment['PYTHON'], 'python3', 'python'].find(
    (candidate) => !!candidate && runs(candidate, ['-c', 'import sys; assert sys.version_info >= (3, 6)'], environment),
  );
  if (!python)
    throw new ToolchainError(
      'no Python 3 (node-gyp needs it to generate the build)',
      'install python3, then npm run tensorflow:install',
    );
  const nodedir = path.resolve(path.dirname(process.execPath), '..');
  if (!existsSync(path.join(nodedir, 'include/node/node_api.h'))) {
    throw new ToolchainError(
      `Node's headers are not in ${path.join(nodedir, 'include/node')}`,
      "install Node.js with its headers (the official binaries have them; Debian's nodejs needs libnode-dev), then npm run tensorflow:install",
    );
  }
  const nodeGyp = findNodeGyp(environment);
  if (!nodeGyp)
    throw new ToolchainError(
      'node-gyp not found (it ships with npm)',
      'run it through npm: npm run tensorflow:install',
    );
  return { nodeGyp, nodedir, python, make: 'make', compiler };
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { ...options, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stdout}\n${stderr}`;
      if (error) reject(Object.assign(new Error(firstCompilerError(output) ?? error.message), { output }));
      else resolve(output);
    });
  });
}

/** The line a person needs from a failed build: the first compiler or linker error. */
export function firstCompilerError(output: string): string | null {
  const lines = output.split('\n');
  return (
    lines.find((line) => /\b(fatal )?error\b[: ]/i.test(line) && !/^gyp (ERR|info)/.test(line))?.trim() ??
    lines.find((line) => /^gyp ERR!/.test(line))?.trim() ??
    null
  );
}

/**
 * Builds tfjs-node's own binding sources against `deps/` with node-gyp in a staging folder, then renames the
 * addon folder into place. binding.gyp gives the addon the RUNPATH `$ORIGIN/../../deps/lib`, which the cache
 * layout satisfies. Returns the build log.
 */
export async function buildAddon(
  layout: BuildLayout,
  plan: VariantPlan,
  tfjsNodeDir: string,
  toolchain: Toolchain,
  environment: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const addons = path.dirname(layout.addonDir);
  await mkdir(addons, { recursive: true });
  const staging = path.join(addons, stagingName('addon'));
  try {
    await mkdir(path.join(staging, 'deps', 'lib'), { recursive: true });
    await cp(path.join(tfjsNodeDir, 'binding'), path.join(staging, 'binding'), { recursive: true });
    await copyFile(path.join(tfjsNodeDir, 'binding.gyp'), path.join(staging, 'binding.gyp'));
    await symlink(layout.includeDir, path.join(staging, 'deps', 'include'));
    // The names binding.gyp links against, pointing at the real libraries (link time only).
    for (const [linkName, library] of Object.entries(plan.linkNames)) {
      await symlink(path.join(layout.libDir, library), path.join(staging, 'deps', 'lib', linkName));
    }
    const env = {
      ...environment,
      npm_config_nodedir: toolchain.nodedir,
      PYTHON: toolchain.python,
      CXX: toolchain.compiler,
    };
    const args = [
      toolchain.nodeGyp,
      'rebuild',
      `--nodedir=${toolchain.nodedir}`,
      `--python=${toolchain.python}`,
      '--module_name=tfjs_binding',
      '--module_path=lib/napi-v8',
      '--napi_build_version=8',
    ];
    const log = await run(process.execPath, args, { cwd: staging, env });
    const built = path.join(staging, 'build', 'Release', 'tfjs_binding.node');
    if (process.platform === 'darwin') {
      // The macOS wheel's libraries are named @rpath/libtensorflow_cc.2.dylib, which binding.gyp does not rewrite.
      await run('install_name_tool', ['-add_rpath', '@loader_path/../../deps/lib', built], { cwd: staging, env });
    }
    const out = path.join(staging, 'out');
    await mkdir(out);
    await copyFile(built, path.join(out, path.basename(layout.addon)));
    await writeFile(path.join(staging, 'build.log'), log);
    await rm(layout.addonDir, { recursive: true, force: true });
    await rename(out, layout.addonDir);
    return log;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
