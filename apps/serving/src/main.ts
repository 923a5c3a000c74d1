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
const PARENT_GONE_DEADLINE_MS = 3_000;
/** Set once serving runs. */
let stop: ((reason: string) => Promise<void>) | undefined;

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
  const stopServing = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    log(`${reason}: answering requests in flight, then stopping`);
    await serving.close();
    process.exit(0);
  };
  stop = stopServing;
  process.on('SIGINT', () => void stopServing('SIGINT'));
  process.on('SIGTERM', () => void stopServing('SIGTERM'));
}

// Started by `npm start`: its IPC channel closes when that process ends, however it ends, and serving ends with it.
if (process.send) {
  const parentGone = () => {
    setTimeout(() => process.exit(1), PARENT_GONE_DEADLINE_MS).unref();
    if (stop) void stop('npm start exited');
    else process.exit(1);
  };
  if (process.connected) process.on('disconnect', parentGone);
  else parentGone();
}

main().catch((error) => {
  console.error(`[serving] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
