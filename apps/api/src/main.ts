/**
 * Lepton API: `npm start` runs this file. The primary process (primary.ts) starts the database
 * (embedded PostgreSQL under .data/postgres unless DATABASE_URL is set; see README), the training
 * workers and LEPTON_API_PROCESSES API processes (api-process.ts, Node cluster), which serve
 * GraphQL over HTTP and WebSocket on one shared port.
 */
import cluster from 'node:cluster';

if (cluster.isPrimary) {
  void import('./primary').then(({ runPrimary }) => runPrimary());
} else {
  void import('./api-process').then(({ runApiProcess }) =>
    runApiProcess().catch((error: unknown) => {
      console.error(`[lepton] API process failed to start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }),
  );
}
