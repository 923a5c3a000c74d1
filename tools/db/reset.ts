/**
 * npm run db:reset [-- --seed]
 * Drops and recreates the local database (or DATABASE_URL's), applies every migration and, with
 * --seed, loads demo data. The next `npm start` creates a new admin token.
 */
import { applyMigrations, createDatabase, databaseName, dropDatabase, withDatabase } from '@lepton/db';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { seed } from './seed';
import { dataDir, localDatabase, run } from './local';

run(async () => {
  const database = await localDatabase();
  try {
    const name = databaseName(database.url);
    const adminUrl = withDatabase(database.url, 'postgres');
    await dropDatabase(adminUrl, name);
    await createDatabase(adminUrl, name);
    const { applied } = await applyMigrations(database.url);
    rmSync(path.join(dataDir, 'admin-token'), { force: true });
    console.log(`Recreated database "${name}" with ${applied.length} migration(s).`);
    if (process.argv.includes('--seed')) await seed(database.url, dataDir);
  } finally {
    await database.stop();
  }
});
