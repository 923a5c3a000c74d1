import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDatabase, dropDatabase } from '../embedded/admin';
import { startEmbeddedPostgres } from '../embedded/embedded-postgres';
import { applyMigrations } from '../migrations/migrator';

/** Set by the test run's global setup; every test file clones its own database from it. */
export const TEST_ADMIN_URL_ENV = 'LEPTON_TEST_ADMIN_URL';
export const TEMPLATE_DATABASE = 'lepton_template';

/**
 * Global setup for the test run: one throw-away embedded PostgreSQL and a migrated template
 * database. Returns the teardown.
 */
export async function startTestPostgres(): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lepton-test-pg-'));
  const server = await startEmbeddedPostgres({ dataDir, role: 'the test run' });
  const teardown = async () => {
    await server.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await createDatabase(server.adminUrl, TEMPLATE_DATABASE);
    await applyMigrations(server.databaseUrl(TEMPLATE_DATABASE));
  } catch (error) {
    await teardown();
    throw error;
  }
  process.env[TEST_ADMIN_URL_ENV] = server.adminUrl;
  return teardown;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file (a copy of the template). */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = process.env[TEST_ADMIN_URL_ENV];
  if (!adminUrl) throw new Error(`${TEST_ADMIN_URL_ENV} is not set: run tests through vitest (global setup).`);
  const name = `lepton_test_${randomBytes(6).toString('hex')}`;
  await createDatabase(adminUrl, name, options.migrated === false ? undefined : TEMPLATE_DATABASE);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => dropDatabase(adminUrl, name) };
}
