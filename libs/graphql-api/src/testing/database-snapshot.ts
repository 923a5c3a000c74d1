import type { TestApi } from './test-api';

/**
 * A digest of every row of every Lepton table, so "nothing was written" can be asserted exactly.
 * api_token.last_used_at is left out: authentication touches it in the background.
 */
export async function databaseSnapshot(api: TestApi): Promise<Record<string, string>> {
  const { rows: tables } = await api.db.pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'
     ORDER BY table_name`,
  );
  const entries = await Promise.all(
    tables.map(async ({ table_name: table }) => {
      const { rows } = await api.db.pool.query<{ count: number; digest: string }>(
        `SELECT count(*)::int AS count, md5(coalesce(string_agg(r.row, '|' ORDER BY r.row), '')) AS digest
         FROM (SELECT (to_jsonb(t) - 'last_used_at')::text AS row FROM "${table}" t) r`,
      );
      return [table, `${rows[0]!.count} rows, ${rows[0]!.digest}`] as const;
    }),
  );
  return Object.fromEntries(entries);
}
