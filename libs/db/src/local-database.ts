import path from 'node:path';
import { createDatabase, databaseExists } from './embedded/admin';
import { startEmbeddedPostgres } from './embedded/embedded-postgres';

export const DEFAULT_DATA_DIR = path.resolve(__dirname, '../../../.data');
const LOCAL_DATABASE = 'lepton';
/** The role `npm start` holds the embedded server's folder under (see DataFolderInUseError). */
export const SERVER_ROLE = 'npm start';

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
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

  const dataDir = path.resolve(options.dataDir ?? process.env['LEPTON_DATA_DIR'] ?? DEFAULT_DATA_DIR, 'postgres');
  options.log?.(`Starting embedded PostgreSQL in ${dataDir} (set DATABASE_URL to use your own server)`);
  const server = await startEmbeddedPostgres({
    dataDir,
    role: options.role,
    maxConnections: options.maxConnections,
    onNotice: options.log,
  });
  try {
    if (!(await databaseExists(server.adminUrl, LOCAL_DATABASE))) await createDatabase(server.adminUrl, LOCAL_DATABASE);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: server.databaseUrl(LOCAL_DATABASE), embedded: true, stop: () => server.stop() };
}
