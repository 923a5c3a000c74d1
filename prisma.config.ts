import { defineConfig } from 'prisma/config';

// DATABASE_URL is only needed by Prisma's own migrate commands; Lepton applies
// prisma/migrations itself at start (libs/db/src/migrations/migrator.ts).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/lepton' },
});
