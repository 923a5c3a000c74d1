import type { ArtifactStore } from '@lepton/artifacts';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Keeps a run's checkpoint folder in the artifact store too, so a worker on another machine can
 * resume a run whose worker died.
 */
export class CheckpointMirror {
  constructor(
    private readonly artifacts: ArtifactStore,
    private readonly prefix: string,
    private readonly localDir: string,
  ) {}

  /** Uploads every file under the local folder (the newest checkpoint), replacing the stored copy. */
  async push(): Promise<void> {
    const files = await listFiles(this.localDir);
    if (files.length === 0) return;
    await this.artifacts.deletePrefix(this.prefix);
    for (const file of files) {
      await this.artifacts.putFile(`${this.prefix}/${file.split(path.sep).join('/')}`, path.join(this.localDir, file));
    }
  }

  /** Restores the stored checkpoint when this machine has none. */
  async pullIfMissing(): Promise<boolean> {
    if ((await listFiles(this.localDir)).length > 0) return false;
    const keys = await this.artifacts.list(this.prefix);
    if (keys.length === 0) return false;
    await rm(this.localDir, { recursive: true, force: true });
    for (const key of keys) {
      const target = path.join(this.localDir, ...key.slice(this.prefix.length + 1).split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      await this.artifacts.download(key, target);
    }
    return true;
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
