import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client';

export type { PrismaClient } from './generated/prisma/client';
export { Prisma } from './generated/prisma/client';
export * from './generated/prisma/enums';

/**
 * One connection pool shared by Prisma (through its pg driver adapter) and by the repositories
 * that need SQL Prisma cannot express (bulk metric ingest, downsampling, window functions).
 */
export interface Database {
  readonly url: string;
  readonly prisma: PrismaClient;
  readonly pool: pg.Pool;
  /** SQL statements sent since the database was opened; tests use it to prove there is no N+1. */
  statementCount(): number;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  maxConnections?: number;
}

export function openDatabase(url: string, options: OpenDatabaseOptions = {}): Database {
  let statements = 0;
  class CountingClient extends pg.Client {
    override query(...args: unknown[]): never {
      statements += 1;
      return (super.query as (...a: unknown[]) => never)(...args);
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 20,
    Client: CountingClient,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', (error) => console.error(`[db] idle connection error: ${error.message}`));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    url,
    prisma,
    pool,
    statementCount: () => statements,
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}
