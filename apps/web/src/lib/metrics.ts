import { numericMetrics } from '@/components/ui/format';

interface EvaluationLike {
  split: string;
  metrics: unknown;
}

/** The evaluation a version is judged by: its test split when it has one (as the promotion gate does). */
export function primaryEvaluation<T extends EvaluationLike>(evaluations: readonly T[]): T | undefined {
  return evaluations.find((evaluation) => evaluation.split === 'test') ?? evaluations[0];
}

/** Metrics where lower is better; every other metric (accuracy, f1, auc, …) is better higher. */
const LOWER_IS_BETTER = /loss|error|mse|mae/i;

export function isBetter(metric: string, candidate: number, incumbent: number): boolean {
  return LOWER_IS_BETTER.test(metric) ? candidate < incumbent : candidate > incumbent;
}

/** The best value of `metric` across versions' primary evaluations, with the version that has it. */
export function bestMetric(
  versions: readonly { number: number; evaluations: readonly EvaluationLike[] }[],
  metric: string,
): { value: number; version: number } | null {
  let best: { value: number; version: number } | null = null;
  for (const version of versions) {
    const evaluation = primaryEvaluation(version.evaluations);
    const value = evaluation ? numericMetrics(evaluation.metrics)[metric] : undefined;
    if (value === undefined) continue;
    if (!best || isBetter(metric, value, best.value)) best = { value, version: version.number };
  }
  return best;
}

/** Metric names across evaluations, the usual classification metrics first. */
export function metricNames(evaluations: readonly EvaluationLike[]): string[] {
  const order = ['accuracy', 'f1', 'precision', 'recall', 'auc'];
  const names = new Set(evaluations.flatMap((evaluation) => Object.keys(numericMetrics(evaluation.metrics))));
  return [...names].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
}
