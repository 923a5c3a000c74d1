import { createTestDatabase, diffDatabaseAgainstSchema, type TestDatabase } from '../testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, readMigrations } from './migrator';

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('prisma/migrations', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
    await applyMigrations(database.url);
  });
  afterAll(() => database.drop());

  it('produce exactly the schema in prisma/schema.prisma (no drift)', async () => {
    const diff = await diffDatabaseAgainstSchema(database.url);
    expect(diff.output.trim()).toBe('No difference detected.');
    expect(diff.changed).toBe(false);
  });

  it('count as drift when the database differs from the schema', async () => {
    await withClient(database.url, async (client) => {
      await client.query('ALTER TABLE metric_point ALTER COLUMN value DROP NOT NULL');
      await client.query('CREATE INDEX drift_probe ON run (name)');
      try {
        const diff = await diffDatabaseAgainstSchema(database.url);
        expect(diff.changed).toBe(true);
        expect(diff.output).toContain('Altered column `value` (changed from Nullable to Required)');
        expect(diff.output).toContain('Changed the `run` table');
        expect(diff.output).toContain('Removed index on columns (name)');
      } finally {
        await client.query('DROP INDEX drift_probe');
        await client.query('ALTER TABLE metric_point ALTER COLUMN value SET NOT NULL');
      }
    });
  });

  it('are recorded in _prisma_migrations with the checksums Prisma Migrate computes', async () => {
    const { rows } = await withClient(database.url, (client) =>
      client.query(
        'SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
      ),
    );
    const expected = readMigrations().map((migration) => ({ migration_name: migration.name, checksum: migration.checksum }));
    expect(rows.map(({ migration_name, checksum }) => ({ migration_name, checksum }))).toEqual(expected);
    expect(rows.every((row) => row.finished_at instanceof Date && row.applied_steps_count === 1)).toBe(true);
  });

  it('apply idempotently and seed the default project', async () => {
    const again = await applyMigrations(database.url);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toHaveLength(readMigrations().length);
    const { rows } = await withClient(database.url, (client) => client.query(`SELECT name FROM project WHERE name = 'default'`));
    expect(rows).toHaveLength(1);
  });

  it('refuse to start when an applied migration was edited afterwards', async () => {
    await withClient(database.url, (client) => client.query(`UPDATE _prisma_migrations SET checksum = repeat('0', 64)`));
    try {
      await expect(applyMigrations(database.url)).rejects.toThrow(/edited after it was applied/);
    } finally {
      await withClient(database.url, async (client) => {
        for (const migration of readMigrations()) {
          await client.query('UPDATE _prisma_migrations SET checksum = $1 WHERE migration_name = $2', [migration.checksum, migration.name]);
        }
      });
    }
  });
});
