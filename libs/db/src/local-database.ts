import path from 'node:path';
import { createDatabase, databaseExists } from './embedded/admin';
import { startEmbeddedPostgres } from './embedded/embedded-postgres';

export const DEFAULT_DATA_DIR = path.resolve(__dirname, '../../../.data');
const LOCAL_DATABASE = 'lepton';

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/** The embedded server's folder for a Lepton data folder. */
export function embeddedServerDir(dataDir?: string): string {
  return path.resolve(dataDir ?? process.env['LEPTON_DATA_DIR'] ?? DEFAULT_DATA_DIR, 'postgres');
}

/**
 * `DATABASE_URL` when set; otherwise the embedded PostgreSQL under `<dataDir>/postgres`, created
 * on first use and kept across restarts.
 */
export async function resolveDatabase(
  options: { dataDir?: string; log?: (line: string) => void; role?: string; maxConnections?: number } = {},
): Promise<ResolvedDatabase> {
  const configured = process.env['DATABASE_URL'];
  if (configured) return { url: configured, embedded: false, stop: async () => undefined };

  const dataDir = embeddedServerDir(options.dataDir);
  options.log?.(`Starting embedded PostgreSQL in ${dataDir} (set DATABASE_URL to use your own server)`);
  const server = await startEmbeddedPostgres({
    dataDir,
    role: options.role,
    maxConnections: options.maxConnections,
    onNotice: options.log,
  });
  if (!(await databaseExists(server.adminUrl, LOCAL_DATABASE))) {
    await createDatabase(server.adminUrl, LOCAL_DATABASE);
  }
  return { url: server.databaseUrl(LOCAL_DATABASE), embedded: true, stop: () => server.stop() };
}
