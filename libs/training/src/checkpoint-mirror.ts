import type { ArtifactStore } from '@lepton/artifacts';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';

const ATTEMPT = /^attempt-(\d+)\//;

/**
 * Keeps a run's checkpoint folder in the artifact store too, so a worker on another machine can
 * resume a run whose worker died. Each attempt writes under its own `attempt-N/` prefix, so a stale
 * worker (one whose run another worker took over) can never replace a newer attempt's checkpoint;
 * a resume takes the highest attempt's.
 */
export class CheckpointMirror {
  constructor(
    private readonly artifacts: ArtifactStore,
    /** The run's prefix, e.g. checkpoints/<project>/<run>. */
    private readonly prefix: string,
    private readonly attempt: number,
    private readonly localDir: string,
  ) {}

  /**
   * Uploads every file under the local folder (the newest checkpoint's epoch folder) beside what is
   * stored, and only then drops the folders it replaces and older attempts' copies: a worker killed
   * mid-push leaves the previous complete checkpoint to resume from (a half-uploaded one fails its
   * manifest check and is skipped).
   */
  async push(): Promise<void> {
    const files = await listFiles(this.localDir);
    if (files.length === 0) return;
    const own = `${this.prefix}/attempt-${this.attempt}`;
    for (const file of files) {
      await this.artifacts.putFile(`${own}/${file.split(path.sep).join('/')}`, path.join(this.localDir, file));
    }
    const current = new Set(files.map((file) => file.split(path.sep)[0]));
    const stored = new Set((await this.artifacts.list(own)).map((key) => key.slice(own.length + 1).split('/')[0]!));
    for (const folder of [...stored].filter((name) => !current.has(name))) {
      await this.artifacts.deletePrefix(`${own}/${folder}`);
    }
    for (const older of (await this.storedAttempts()).filter((attempt) => attempt < this.attempt)) {
      await this.artifacts.deletePrefix(`${this.prefix}/attempt-${older}`);
    }
  }

  /** Restores the newest stored checkpoint (the highest earlier attempt's) when this attempt has none locally. */
  async pullIfMissing(): Promise<boolean> {
    if ((await listFiles(this.localDir)).length > 0) return false;
    const newest = (await this.storedAttempts()).filter((attempt) => attempt < this.attempt).at(-1);
    if (newest === undefined) return false;
    const from = `${this.prefix}/attempt-${newest}`;
    await rm(this.localDir, { recursive: true, force: true });
    for (const key of await this.artifacts.list(from)) {
      const target = path.join(this.localDir, ...key.slice(from.length + 1).split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      await this.artifacts.download(key, target);
    }
    return true;
  }

  /** Attempt numbers with a stored checkpoint, ascending. */
  private async storedAttempts(): Promise<number[]> {
    const attempts = new Set<number>();
    for (const key of await this.artifacts.list(this.prefix)) {
      const match = ATTEMPT.exec(key.slice(this.prefix.length + 1));
      if (match) attempts.add(Number(match[1]));
    }
    return [...attempts].sort((a, b) => a - b);
  }
}

async function listFiles(dir: string, relative = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(path.join(dir, relative), { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    const name = path.join(relative, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(dir, name)));
    else if (entry.isFile()) files.push(name);
  }
  return files;
}
