export { diffDatabaseAgainstSchema, SCHEMA_FILE } from './prisma-schema-engine';
export type { SchemaDiff } from './prisma-schema-engine';
export { startTestPostgres, createTestDatabase, TEST_ADMIN_URL_ENV } from './test-postgres';
export type { TestDatabase } from './test-postgres';
export { processCommand, processStatus } from '../embedded/process-identity';
export { canEnter } from '../embedded/postgres-user';
