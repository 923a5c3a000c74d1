/**
 * Process entry for the dashboard: `tsx apps/web/start-cli.ts` (or spawned by `npm start` with an IPC
 * channel, so it exits when its parent does). Reads LEPTON_API_URL, LEPTON_WEB_PORT (3000), HOST.
 * `--build-only` builds it if needed and exits (`npm run build:web`).
 */
import { ensureDashboardBuilt, startDashboard } from './start';

const log = (line: string) => console.log(`[lepton] ${line}`);

async function main() {
  if (process.argv.includes('--build-only')) return ensureDashboardBuilt(log);
  const dashboard = await startDashboard({
    apiUrl: process.env['LEPTON_API_URL'] || 'http://127.0.0.1:4000/graphql',
    port: Number(process.env['LEPTON_WEB_PORT'] ?? 3000),
    host: process.env['HOST'] ?? '127.0.0.1',
    log,
  });
  const stop = async () => {
    await dashboard.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // Spawned with an IPC channel: a parent that dies (even by SIGKILL) takes the dashboard with it.
  process.on('disconnect', () => void stop());
}

main().catch((error) => {
  console.error(`[lepton] the dashboard did not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
