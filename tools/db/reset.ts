/**
 * npm run db:reset [-- --seed]
 * Drops and recreates the local database (or DATABASE_URL's), applies every migration, removes the
 * artifacts the old database referred to and, with --seed, loads demo data. The next `npm start`
 * creates a new admin token. Refused while the server runs on the same data folder.
 */
import { createArtifactStoreFromEnv, PLATFORM_ARTIFACT_PREFIXES } from '@lepton/artifacts';
import { applyMigrations, createDatabase, databaseName, dropDatabase, withDatabase } from '@lepton/db';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { seed } from './seed';
import { dataDir, localDatabase, run } from './local';

run(async () => {
  const database = await localDatabase('npm run db:reset');
  try {
    const name = databaseName(database.url);
    const adminUrl = withDatabase(database.url, 'postgres');
    await dropDatabase(adminUrl, name);
    await createDatabase(adminUrl, name);
    const { applied } = await applyMigrations(database.url);
    await rm(path.join(dataDir, 'admin-token'), { force: true });
    console.log(`Recreated database "${name}" with ${applied.length} migration(s).`);
    console.log(await removeArtifacts());
    if (process.argv.includes('--seed')) await seed(database.url, dataDir);
  } finally {
    await database.stop();
  }
});

/**
 * Nothing refers to the old database's artifacts any more. The data folder's own store is
 * emptied; a configured store (a bucket may hold other data) loses only Lepton's folders.
 */
async function removeArtifacts(): Promise<string> {
  // Checkpoints the local workers kept for runs that no longer exist.
  await rm(path.join(dataDir, 'worker'), { recursive: true, force: true });
  const configured = process.env['LEPTON_ARTIFACT_STORE']?.trim();
  if (!configured) {
    const folder = path.join(dataDir, 'artifacts');
    const entries = await readdir(folder).catch(() => []);
    for (const entry of entries) await rm(path.join(folder, entry), { recursive: true, force: true });
    return `Emptied the artifact folder ${folder}.`;
  }
  const store = createArtifactStoreFromEnv();
  for (const prefix of PLATFORM_ARTIFACT_PREFIXES) await store.deletePrefix(prefix);
  return `Deleted ${PLATFORM_ARTIFACT_PREFIXES.map((prefix) => `${prefix}/`).join(', ')} from ${configured}.`;
}
