/**
 * npm run db:migration -- <name>
 *
 * Writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that brings a database
 * holding every existing migration up to prisma/schema.prisma, computed by Prisma's schema engine.
 */
import { applyMigrations, createDatabase, dropDatabase, startEmbeddedPostgres, MIGRATIONS_DIR } from '@lepton/db';
import { diffDatabaseAgainstSchema } from '@lepton/db/testing';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

async function main() {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error('usage: npm run db:migration -- <snake_case_name>');
    process.exit(2);
  }
  const scratch = mkdtempSync(path.join(tmpdir(), 'lepton-migration-'));
  const server = await startEmbeddedPostgres({ dataDir: scratch, role: 'npm run db:migration' });
  try {
    await createDatabase(server.adminUrl, 'scratch');
    const url = server.databaseUrl('scratch');
    await applyMigrations(url);
    const diff = await diffDatabaseAgainstSchema(url, { script: true });
    if (!diff.changed) {
      console.log('prisma/schema.prisma matches the existing migrations; nothing to write.');
      return;
    }
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const folder = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'migration.sql'), diff.output);
    writeFileSync(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), 'provider = "postgresql"\n');
    console.log(`Wrote ${path.relative(process.cwd(), folder)}/migration.sql`);
    await dropDatabase(server.adminUrl, 'scratch');
  } finally {
    await server.destroy();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
