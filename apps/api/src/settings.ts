import { availableParallelism } from 'node:os';

/** A whole number of processes from the environment, or a one-line error naming the variable. */
function processCount(name: string, fallback: number, min: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > 256) {
    throw new Error(`${name} must be a whole number from ${min} to 256 (got ${JSON.stringify(raw)})`);
  }
  return value;
}

/** API processes sharing the port (default: one per core). */
export const apiProcessCount = () => processCount('LEPTON_API_PROCESSES', availableParallelism(), 1);
/** Training worker processes `npm start` runs beside the API. */
export const localWorkerCount = () => processCount('LEPTON_WORKERS', 1, 0);

/** Pool of each API process: 20 connections for one or two processes, fewer for many, at least 5. */
export function poolSizePerApiProcess(apiProcesses: number): number {
  return Math.max(5, Math.min(20, Math.ceil(40 / apiProcesses)));
}

/**
 * Connections the embedded server allows: per API process its pool, LISTEN connection and queue;
 * per worker about as many; and room for tools and psql.
 */
export function databaseConnections(apiProcesses: number, workers: number): number {
  return Math.max(200, 50 + (poolSizePerApiProcess(apiProcesses) + 10) * apiProcesses + 30 * workers);
}

/** `LEPTON_DASHBOARD=0` runs the platform without the dashboard (API-only replicas, headless hosts). */
export const dashboardEnabled = () => process.env['LEPTON_DASHBOARD']?.trim() !== '0';

/** `LEPTON_SERVING=0` runs the platform without its serving process (serving runs elsewhere: `npm run start:serving`). */
export const servingEnabled = () => process.env['LEPTON_SERVING']?.trim() !== '0';
