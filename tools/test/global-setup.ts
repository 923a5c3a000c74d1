import { startTestPostgres } from '@lepton/db/testing';

// One embedded PostgreSQL for the whole run; each test file clones its own database from the
// migrated template (see createTestDatabase).
export default async function setup(): Promise<() => Promise<void>> {
  return startTestPostgres();
}
