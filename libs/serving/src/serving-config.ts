import { BACKENDS, isBackendName, type BackendName } from '@lepton/inference';
import { MAX_PREDICT_BODY_BYTES } from '@lepton/registry';

/** What an operator sets through the environment (see README, Serving). */
export interface ServingConfig {
  port: number;
  host: string;
  /** The URL other processes (and the API's forwarding) reach this one at; default http://<host>:<port>. */
  publicUrl?: string;
  /** LEPTON_TF_BACKEND: exactly this backend, no trial. */
  backend: BackendName | null;
  /** Backends considered otherwise, best first. */
  candidates: readonly BackendName[];
  /** Weights kept loaded at once (LRU beyond). */
  memoryCapBytes: number;
  /** Largest model weights one revision may have. */
  maxModelBytes: number;
  maxBodyBytes: number;
  /** Where model downloads are unpacked (private temp folders, removed after each load). */
  workDir?: string;
}

export const DEFAULT_SERVING_PORT = 4001;
const MB = 1024 * 1024;
export const DEFAULT_MEMORY_CAP_MB = 2048;
export const DEFAULT_MAX_MODEL_MB = 512;

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name}=${raw} is not a positive integer`);
  return value;
}

/** LEPTON_SERVING_PORT, HOST, LEPTON_SERVING_PUBLIC_URL, LEPTON_TF_BACKEND, LEPTON_SERVING_MEMORY_MB, LEPTON_SERVING_MAX_MODEL_MB. */
export function servingConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ServingConfig {
  const forced = env['LEPTON_TF_BACKEND']?.trim() || null;
  if (forced !== null && !isBackendName(forced)) {
    throw new Error(`LEPTON_TF_BACKEND=${forced} is not a backend; use one of ${BACKENDS.join(', ')}`);
  }
  const port = Number(env['LEPTON_SERVING_PORT'] ?? DEFAULT_SERVING_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`LEPTON_SERVING_PORT=${env['LEPTON_SERVING_PORT']} is not a port`);
  const publicUrl = env['LEPTON_SERVING_PUBLIC_URL']?.trim();
  return {
    port,
    host: env['HOST'] ?? '127.0.0.1',
    ...(publicUrl ? { publicUrl } : {}),
    backend: forced,
    candidates: BACKENDS,
    memoryCapBytes: positiveInteger(env, 'LEPTON_SERVING_MEMORY_MB', DEFAULT_MEMORY_CAP_MB) * MB,
    maxModelBytes: positiveInteger(env, 'LEPTON_SERVING_MAX_MODEL_MB', DEFAULT_MAX_MODEL_MB) * MB,
    maxBodyBytes: MAX_PREDICT_BODY_BYTES,
  };
}
