/**
 * Lepton serving process: answers predictions for every deployment (OIP v2 and the friendly endpoint) on
 * LEPTON_SERVING_PORT (4001). Run any number, on any machine that reaches the database (DATABASE_URL) and the
 * artifact store (LEPTON_ARTIFACT_STORE). Without DATABASE_URL it joins the local `npm start`.
 */
import { DEFAULT_DATA_DIR } from '@lepton/db';
import { servingConfigFromEnv, startServing } from '@lepton/serving';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const log = (message: string) => console.log(`[serving] ${message}`);

async function main(): Promise<void> {
  const config = servingConfigFromEnv();
  const dataDir = path.resolve(process.env['LEPTON_DATA_DIR'] ?? DEFAULT_DATA_DIR);
  const databaseUrl =
    process.env['DATABASE_URL'] ??
    (await readFile(path.join(dataDir, 'database-url'), 'utf8').then(
      (url) => url.trim(),
      () => {
        throw new Error('Set DATABASE_URL, or start the platform first (npm start) so serving can find its database');
      },
    ));
  const serving = await startServing({ ...config, databaseUrl, log });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: answering requests in flight, then stopping`);
    await serving.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // Spawned with an IPC channel (by `npm start`): exit with the parent.
  process.on('disconnect', () => void stop('parent exited'));
}

main().catch((error) => {
  console.error(`[serving] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
