import { badInput } from '../shared/domain-error';

/** DNS-label style (like KServe InferenceService names): it appears in URLs without a project. */
const DEPLOYMENT_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export interface Batching {
  maxBatchSize: number;
  maxQueueDelayMs: number;
  maxQueueSize: number;
}

/** Settings as clients send them: any field may be left out (or null) and takes a default. */
export type Settings<T> = { [K in keyof T]?: T[K] | null };

/** The dynamic batcher's settings when a deployment names none (the SDL shows the same values; a test checks). */
export const DEFAULT_BATCHING: Batching = { maxBatchSize: 32, maxQueueDelayMs: 5, maxQueueSize: 1024 };

const BATCHING_LIMITS: Record<keyof Batching, { min: number; max: number }> = {
  maxBatchSize: { min: 1, max: 1024 },
  maxQueueDelayMs: { min: 0, max: 1000 },
  maxQueueSize: { min: 1, max: 100_000 },
};

export interface CanaryAnalysisConfig {
  /** The canary must have served at least this many requests in the window before anything is decided. */
  minRequests: number;
  /** Roll back when the canary's error rate exceeds the stable's by more than this (0..1). */
  maxErrorRateDelta: number;
  /** Roll back when the canary's p99 latency exceeds the stable's times this. */
  maxLatencyP99Ratio: number;
  /** How often the analysis looks at the canary. */
  intervalSeconds: number;
  /** How far back it looks (never before the canary started). */
  windowSeconds: number;
}

export const DEFAULT_CANARY_ANALYSIS: CanaryAnalysisConfig = {
  minRequests: 100,
  maxErrorRateDelta: 0.01,
  maxLatencyP99Ratio: 1.5,
  intervalSeconds: 30,
  windowSeconds: 300,
};

export const DEFAULT_REQUEST_LOG_RETENTION_HOURS = 168;
const MAX_REQUEST_LOG_RETENTION_HOURS = 24 * 90;

export function validDeploymentName(value: string, field = 'name'): string {
  if (!DEPLOYMENT_NAME.test(value)) {
    throw badInput(
      `${field} "${value.slice(0, 80)}" must be 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit`,
      { field },
    );
  }
  return value;
}

function integerIn(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw badInput(`${field} must be an integer between ${min} and ${max}`, { field });
  return value;
}

function numberIn(value: number, field: string, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max)
    throw badInput(`${field} must be between ${min} and ${max}`, { field });
  return value;
}

/** Fields left out take `base`'s values (the defaults, or the revision a new one derives from). */
export function validBatching(
  input: Settings<Batching> | null | undefined,
  base: Batching = DEFAULT_BATCHING,
  field = 'batching',
): Batching {
  const merged = { ...base };
  for (const key of Object.keys(BATCHING_LIMITS) as (keyof Batching)[]) {
    const value = input?.[key];
    if (value !== null && value !== undefined)
      merged[key] = integerIn(value, `${field}.${key}`, BATCHING_LIMITS[key].min, BATCHING_LIMITS[key].max);
  }
  return merged;
}

export function validCanaryWeight(value: number, field = 'weight'): number {
  return integerIn(value, field, 0, 100);
}

export function validCanaryAnalysis(
  input: Settings<CanaryAnalysisConfig> | null | undefined,
  field = 'analysis',
): CanaryAnalysisConfig | null {
  if (input === null || input === undefined) return null;
  const pick = <K extends keyof CanaryAnalysisConfig>(key: K) => (input[key] ?? DEFAULT_CANARY_ANALYSIS[key]) as number;
  return {
    minRequests: integerIn(pick('minRequests'), `${field}.minRequests`, 1, 10_000_000),
    maxErrorRateDelta: numberIn(pick('maxErrorRateDelta'), `${field}.maxErrorRateDelta`, 0, 1),
    maxLatencyP99Ratio: numberIn(pick('maxLatencyP99Ratio'), `${field}.maxLatencyP99Ratio`, 1, 1000),
    intervalSeconds: integerIn(pick('intervalSeconds'), `${field}.intervalSeconds`, 1, 3600),
    windowSeconds: integerIn(pick('windowSeconds'), `${field}.windowSeconds`, 10, 7 * 24 * 3600),
  };
}

/** Analysis configs as stored (JSON) → typed; anything unreadable counts as no analysis. */
export function storedCanaryAnalysis(value: unknown): CanaryAnalysisConfig | null {
  if (typeof value !== 'object' || value === null) return null;
  try {
    return validCanaryAnalysis(value as Settings<CanaryAnalysisConfig>);
  } catch {
    return null;
  }
}

export function validRetentionHours(value: number | null | undefined): number {
  if (value === null || value === undefined) return DEFAULT_REQUEST_LOG_RETENTION_HOURS;
  return integerIn(value, 'requestLogRetentionHours', 1, MAX_REQUEST_LOG_RETENTION_HOURS);
}
