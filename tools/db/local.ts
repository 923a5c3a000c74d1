import { DEFAULT_DATA_DIR, resolveDatabase, type ResolvedDatabase } from '@lepton/db';
import path from 'node:path';

export const dataDir = path.resolve(process.env['LEPTON_DATA_DIR'] ?? DEFAULT_DATA_DIR);

/** The database `npm start` would use: DATABASE_URL, or the embedded one under .data/. */
export function localDatabase(): Promise<ResolvedDatabase> {
  return resolveDatabase({ dataDir, log: (line) => console.log(`[db] ${line}`) });
}

export function run(main: () => Promise<void>): void {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
