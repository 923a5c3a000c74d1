import {
  DataFolderInUseError,
  DEFAULT_DATA_DIR,
  resolveDatabase,
  SERVER_ROLE,
  type ResolvedDatabase,
} from '@lepton/db';
import path from 'node:path';

export const dataDir = path.resolve(process.env['LEPTON_DATA_DIR'] ?? DEFAULT_DATA_DIR);

/**
 * The database `npm start` would use: DATABASE_URL, or the embedded one under .data/, which only
 * one process at a time may run (`role` names this one to the others).
 */
export async function localDatabase(role: string): Promise<ResolvedDatabase> {
  try {
    return await resolveDatabase({ dataDir, role, log: (line) => console.log(`[db] ${line}`) });
  } catch (error) {
    if (!(error instanceof DataFolderInUseError)) throw error;
    const { pid, role: holder } = error.owner;
    throw new Error(
      holder === SERVER_ROLE
        ? `The Lepton server (npm start, pid ${pid}) is running on ${dataDir}: stop the server first (Ctrl-C where it runs, or kill ${pid}).`
        : `${holder} (pid ${pid}) is using ${dataDir}: let it finish or stop it first.`,
    );
  }
}

export function run(main: () => Promise<void>): void {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
