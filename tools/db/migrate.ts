/** npm run db:migrate — applies pending prisma/migrations to the local (or DATABASE_URL) database. */
import { applyMigrations } from '@lepton/db';
import { localDatabase, run } from './local';

run(async () => {
  const database = await localDatabase('npm run db:migrate');
  try {
    const result = await applyMigrations(database.url);
    console.log(
      result.applied.length > 0
        ? `Applied: ${result.applied.join(', ')}`
        : `Up to date (${result.alreadyApplied.length} migrations applied earlier).`,
    );
  } finally {
    await database.stop();
  }
});
