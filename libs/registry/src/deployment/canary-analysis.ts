import type { CanaryAnalysisConfig } from './deployment-config';
import { histogramQuantile } from './request-stats';

/** What one revision did in the analysis window. */
export interface WindowStats {
  requests: number;
  errors: number;
  clientErrors: number;
  latencyBuckets: readonly number[];
}

export type AnalysisVerdict = 'WAIT' | 'PROMOTE' | 'ROLL_BACK';

/** The numbers a decision was made on; stored with it (deployment event and audit trail). */
export interface AnalysisFigures {
  canaryRequests: number;
  stableRequests: number;
  canaryErrorRate: number | null;
  stableErrorRate: number | null;
  errorRateDelta: number | null;
  canaryP99Ms: number | null;
  stableP99Ms: number | null;
  p99Ratio: number | null;
}

export interface AnalysisDecision {
  verdict: AnalysisVerdict;
  reason: string;
  figures: AnalysisFigures;
}

/**
 * Latencies below this count as this much in the p99 ratio: on a busy machine sub-5 ms differences
 * are scheduling noise, and a 0.4 ms vs 1.2 ms "3× slower" must not roll a canary back.
 */
export const LATENCY_RATIO_FLOOR_MS = 5;

/** Requests that reached a model: client errors (4xx) say nothing about a revision's health. */
function served(stats: WindowStats): number {
  return Math.max(0, stats.requests - stats.clientErrors);
}

const percent = (value: number) => `${(value * 100).toFixed(2)}%`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

/**
 * Compares the canary with the stable revision over one window. A canary that live serving
 * processes could not load (`canaryFailure`) is rolled back at once: it would never get traffic
 * to be judged by. Below `minRequests` served canary
 * requests it waits; otherwise it rolls back when the canary's error rate exceeds the stable's by
 * more than `maxErrorRateDelta` or its p99 latency exceeds the stable's times `maxLatencyP99Ratio`,
 * and promotes when neither happens. Without stable traffic in the window (a 100 % canary) the
 * error rate is compared with zero and latency is not judged.
 */
export function decideCanary(
  config: CanaryAnalysisConfig,
  canary: WindowStats,
  stable: WindowStats,
  canaryFailure: string | null = null,
): AnalysisDecision {
  const canaryServed = served(canary);
  const stableServed = served(stable);
  const canaryErrorRate = canaryServed > 0 ? canary.errors / canaryServed : null;
  const stableErrorRate = stableServed > 0 ? stable.errors / stableServed : null;
  const canaryP99Ms = histogramQuantile(canary.latencyBuckets, 0.99);
  const stableP99Ms = histogramQuantile(stable.latencyBuckets, 0.99);
  const errorRateDelta = canaryErrorRate === null ? null : canaryErrorRate - (stableErrorRate ?? 0);
  const p99Ratio =
    canaryP99Ms === null || stableP99Ms === null
      ? null
      : Math.max(canaryP99Ms, LATENCY_RATIO_FLOOR_MS) / Math.max(stableP99Ms, LATENCY_RATIO_FLOOR_MS);
  const figures: AnalysisFigures = {
    canaryRequests: canaryServed,
    stableRequests: stableServed,
    canaryErrorRate,
    stableErrorRate,
    errorRateDelta,
    canaryP99Ms,
    stableP99Ms,
    p99Ratio,
  };

  if (canaryFailure !== null) {
    return {
      verdict: 'ROLL_BACK',
      reason: `Rolled back: serving processes could not load the canary (${canaryFailure}).`,
      figures,
    };
  }
  if (canaryServed < config.minRequests) {
    return {
      verdict: 'WAIT',
      reason: `The canary served ${canaryServed} of the ${config.minRequests} requests needed to judge it.`,
      figures,
    };
  }
  const errors = `error rate ${percent(canaryErrorRate!)} (canary) vs ${stableErrorRate === null ? 'none (no stable traffic)' : percent(stableErrorRate)} (stable)`;
  if (errorRateDelta! > config.maxErrorRateDelta) {
    return {
      verdict: 'ROLL_BACK',
      reason: `Rolled back: ${errors}, a difference of ${percent(errorRateDelta!)} above the allowed ${percent(config.maxErrorRateDelta)}.`,
      figures,
    };
  }
  const latency =
    p99Ratio === null
      ? 'p99 latency not compared (no stable traffic)'
      : `p99 ${ms(canaryP99Ms!)} (canary) vs ${ms(stableP99Ms!)} (stable), ratio ${p99Ratio.toFixed(2)}`;
  if (p99Ratio !== null && p99Ratio > config.maxLatencyP99Ratio) {
    return {
      verdict: 'ROLL_BACK',
      reason: `Rolled back: ${latency}, above the allowed ${config.maxLatencyP99Ratio}; ${errors}.`,
      figures,
    };
  }
  return {
    verdict: 'PROMOTE',
    reason: `Promoted after ${canaryServed} canary requests: ${errors}; ${latency}.`,
    figures,
  };
}
