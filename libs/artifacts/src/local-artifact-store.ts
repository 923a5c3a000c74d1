import { type Dirent } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, readdir, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ArtifactKeyError, ArtifactNotFoundError } from './artifact-errors';
import { isValidArtifactKey, keyUnderBase, validateArtifactKey, validateArtifactPrefix } from './artifact-key';
import type { ArtifactBody, ArtifactStore, StoredArtifact } from './artifact-store';
import { bodyStream } from './digest-stream';
import { putFile, saveStream, writeFileAtomically } from './file-transfer';

/** Common file-name limit (ext4, XFS, APFS, NTFS); checked up front for a clear error. */
const MAX_SEGMENT_LENGTH = 255;

/** Artifacts as files under `root`, one folder level per key segment. */
export function createLocalArtifactStore(root: string): ArtifactStore {
  return new LocalArtifactStore(root);
}

class LocalArtifactStore implements ArtifactStore {
  readonly kind = 'local';
  readonly #root: string;
  readonly #uriBase: string;

  constructor(root: string) {
    this.#root = path.resolve(root);
    const href = pathToFileURL(this.#root).href;
    this.#uriBase = href.endsWith('/') ? href : `${href}/`;
  }

  async put(key: string, body: ArtifactBody): Promise<StoredArtifact> {
    const target = await this.#writablePath(key);
    const digest = await writeFileAtomically(target, bodyStream(body));
    return { key, uri: this.uri(key), ...digest };
  }

  putFile(key: string, file: string): Promise<StoredArtifact> {
    return putFile(this, key, file);
  }

  async get(key: string): Promise<Buffer> {
    const handle = await this.#openFile(key);
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  async getStream(key: string): Promise<NodeJS.ReadableStream> {
    return (await this.#openFile(key)).createReadStream();
  }

  async download(key: string, file: string): Promise<void> {
    await saveStream((await this.#openFile(key)).createReadStream(), file);
  }

  async exists(key: string): Promise<boolean> {
    try {
      await (await this.#openFile(key)).close();
      return true;
    } catch (error) {
      if (error instanceof ArtifactNotFoundError) return false;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const folder = validateArtifactPrefix(prefix, { allowRoot: true });
    const real = await this.#existingRealPath(folder === '' ? this.#root : this.#pathOf(folder), folder);
    const keys: string[] = [];
    if (real) await collectKeys(real, folder, keys);
    return keys.sort();
  }

  async deletePrefix(prefix: string): Promise<void> {
    const folder = validateArtifactPrefix(prefix, { allowRoot: false });
    const real = await this.#existingRealPath(this.#pathOf(folder), folder);
    if (real === undefined) return;
    // Only a folder: an artifact named like the prefix is not under it (the same as on S3).
    if ((await lstat(real).catch(ignoreMissing))?.isDirectory()) await rm(real, { recursive: true, force: true });
  }

  uri(key: string): string {
    return this.#uriBase + validateArtifactKey(key);
  }

  keyFromUri(uri: string): string {
    return keyUnderBase(uri, this.#uriBase, `the local artifact store at ${this.#root}`);
  }

  /** Lexical path of a key. The whitelist already rules out traversal; this is the second wall. */
  #pathOf(key: string): string {
    const segments = validateArtifactKey(key).split('/');
    if (segments.some((segment) => segment.length > MAX_SEGMENT_LENGTH)) {
      throw new ArtifactKeyError(
        `Artifact key segments must be at most ${MAX_SEGMENT_LENGTH} characters in a local store`,
      );
    }
    const target = path.join(this.#root, ...segments);
    if (!isInside(this.#root, target)) throw escapes(key);
    return target;
  }

  /**
   * Where to write `key`, with its folder created. Symlinks are followed before creating folders
   * (mkdir would follow a link out of the root) and checked again afterwards.
   */
  async #writablePath(key: string): Promise<string> {
    const target = this.#pathOf(key);
    await mkdir(this.#root, { recursive: true });
    const realRoot = await realpath(this.#root);
    const folder = path.dirname(target);
    if (!isInsideOrAt(realRoot, await realPathOfNearestExisting(folder, key))) throw escapes(key);
    try {
      await mkdir(folder, { recursive: true });
    } catch (error) {
      if (isErrno(error, 'EEXIST', 'ENOTDIR')) throw conflicts(key);
      throw error;
    }
    const realFolder = await realpath(folder);
    if (!isInsideOrAt(realRoot, realFolder)) throw escapes(key);
    const realTarget = path.join(realFolder, path.basename(target));
    if ((await lstat(realTarget).catch(ignoreMissing))?.isDirectory()) throw conflicts(key);
    return realTarget;
  }

  /** Real path of an existing key or folder, refused unless it stays inside the real root. */
  async #existingRealPath(target: string, key: string): Promise<string | undefined> {
    let realRoot: string;
    let real: string;
    try {
      realRoot = await realpath(this.#root);
      real = await realpath(target);
    } catch (error) {
      return ignoreMissing(error);
    }
    // Only the root itself may resolve to the root (a link to it must not make deletePrefix wipe it).
    const inside = target === this.#root ? real === realRoot : isInside(realRoot, real);
    if (!inside) throw escapes(key);
    return real;
  }

  async #openFile(key: string): Promise<FileHandle> {
    const real = await this.#existingRealPath(this.#pathOf(key), key);
    const handle = real === undefined ? undefined : await open(real, 'r').catch(ignoreMissing);
    if (handle && (await handle.stat()).isFile()) return handle;
    await handle?.close();
    throw new ArtifactNotFoundError(key);
  }
}

/** Regular files only: symlinks are not followed, temp files and foreign names are not keys. */
async function collectKeys(folder: string, prefix: string, keys: string[]): Promise<void> {
  const entries: Dirent[] = (await readdir(folder, { withFileTypes: true }).catch(ignoreMissing)) ?? [];
  for (const entry of entries) {
    const key = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (!isValidArtifactKey(key)) continue;
    if (entry.isDirectory()) await collectKeys(path.join(folder, entry.name), key, keys);
    else if (entry.isFile()) keys.push(key);
  }
}

/** realpath of `target`, or of its nearest existing ancestor. */
async function realPathOfNearestExisting(target: string, key: string): Promise<string> {
  for (let current = target; ; current = path.dirname(current)) {
    try {
      return await realpath(current);
    } catch (error) {
      if (!isErrno(error, 'ENOENT', 'ENOTDIR') || current === path.dirname(current)) throw error;
      // A dangling symlink: where mkdir would end up cannot be checked, so it is refused.
      if ((await lstat(current).catch(ignoreMissing))?.isSymbolicLink()) throw escapes(key);
    }
  }
}

function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

function isInsideOrAt(parent: string, child: string): boolean {
  return child === parent || isInside(parent, child);
}

function isErrno(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && codes.includes((error as NodeJS.ErrnoException).code ?? '');
}

/** For `.catch()`: a missing file or folder becomes undefined, anything else still throws. */
function ignoreMissing(error: unknown): undefined {
  if (isErrno(error, 'ENOENT', 'ENOTDIR')) return undefined;
  throw error;
}

function escapes(key: string): ArtifactKeyError {
  return new ArtifactKeyError(`Artifact key "${key}" resolves outside the store root`);
}

function conflicts(key: string): ArtifactKeyError {
  return new ArtifactKeyError(
    `Artifact key "${key}" conflicts with an existing artifact: in a local store a key cannot also be a folder`,
  );
}
