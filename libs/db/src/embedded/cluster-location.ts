import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, readlink, realpath, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { prepareSystemDir } from './postgres-binaries';
import { canEnter, type PostgresUser } from './postgres-user';

/**
 * Where the cluster of the embedded server at `serverDir` lives. `<serverDir>/cluster` is either
 * the cluster itself or, when the postgres user cannot reach `serverDir` (root in a private
 * folder), a symlink to the cluster under `<systemDir>/clusters/`, so every start finds it again.
 * A cluster stays where it was created.
 */
export async function clusterLocation(
  serverDir: string,
  user: PostgresUser | undefined,
  systemDir: string,
): Promise<string> {
  const pointer = path.join(serverDir, 'cluster');
  const existing = await lstat(pointer).catch(() => undefined);
  if (existing?.isSymbolicLink()) return path.resolve(serverDir, await readlink(pointer));
  if (existing || !user) return pointer;

  // The server folder is Lepton's own; opening it to others exposes nothing (its files are 0600).
  await chmod(serverDir, 0o755);
  if (canEnter(user, serverDir)) return pointer;
  await prepareSystemDir(user, systemDir);
  const clusters = path.join(systemDir, 'clusters');
  if (await mkdir(clusters, { recursive: true })) await chmod(clusters, 0o755);
  const id = createHash('sha256')
    .update(await realpath(serverDir))
    .digest('hex')
    .slice(0, 16);
  const location = path.join(clusters, id);
  // Left by an earlier data folder at this path that was deleted: nothing can reach it any more.
  await rm(location, { recursive: true, force: true });
  await symlink(location, pointer);
  return location;
}

/** Removes the cluster and, when it lives under the system folder, the pointer to it. */
export async function removeCluster(serverDir: string, location: string): Promise<void> {
  await rm(location, { recursive: true, force: true });
  await rm(path.join(serverDir, 'cluster'), { recursive: true, force: true });
}
