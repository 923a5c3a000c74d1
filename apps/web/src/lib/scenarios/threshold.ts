/**
 * Reading a binary evaluation at a threshold. The API computes the counts per threshold from the
 * stored per-example outcomes (Evaluation.thresholdCurve); these functions only derive rates and
 * costs from those counts, so the browser never re-scores anything.
 */
import { rocPoints as rocCurve } from '@/lib/chart/roc-curve';

/** The counts of one point of Evaluation.thresholdCurve (positive when score >= threshold). */
export interface CurveCounts {
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface ThresholdRates {
  threshold: number;
  total: number;
  positives: number;
  negatives: number;
  /** Sensitivity = recall = true-positive rate; 0 without positives. */
  sensitivity: number;
  /** True-negative rate; 1 without negatives. */
  specificity: number;
  /** null when nothing is predicted positive. */
  precision: number | null;
  recall: number;
  falsePositiveRate: number;
  accuracy: number;
  /** tp + fp: how many examples raise an alert (are predicted positive). */
  alerts: number;
  /** alerts / total. */
  alertRate: number;
}

export function ratesOf(point: CurveCounts): ThresholdRates {
  const positives = point.tp + point.fn;
  const negatives = point.tn + point.fp;
  const total = positives + negatives;
  const alerts = point.tp + point.fp;
  const recall = positives > 0 ? point.tp / positives : 0;
  return {
    threshold: point.threshold,
    total,
    positives,
    negatives,
    sensitivity: recall,
    specificity: negatives > 0 ? point.tn / negatives : 1,
    precision: alerts > 0 ? point.tp / alerts : null,
    recall,
    falsePositiveRate: negatives > 0 ? point.fp / negatives : 0,
    accuracy: total > 0 ? (point.tp + point.tn) / total : 0,
    alerts,
    alertRate: total > 0 ? alerts / total : 0,
  };
}

/** The curve point whose threshold is closest to `threshold` (ties: the lower threshold). */
export function pointAt<P extends CurveCounts>(curve: readonly P[], threshold: number): P | undefined {
  let best: P | undefined;
  for (const point of curve) {
    if (
      !best ||
      Math.abs(point.threshold - threshold) < Math.abs(best.threshold - threshold) ||
      (Math.abs(point.threshold - threshold) === Math.abs(best.threshold - threshold) &&
        point.threshold < best.threshold)
    )
      best = point;
  }
  return best;
}

/**
 * The 2×2 confusion matrix at a point, rows true and columns predicted, in the order
 * [negative, positive] (as the evaluation's labels are ordered).
 */
export function confusionAt(point: CurveCounts): number[][] {
  return [
    [point.tn, point.fp],
    [point.fn, point.tp],
  ];
}

/** The ROC curve of the counted thresholds, as the compare page draws it: (fpr, tpr) from (0,0) to (1,1). */
export function rocPoints(curve: readonly CurveCounts[]): [fpr: number, tpr: number][] {
  return rocCurve(
    curve.map((point) => {
      const rates = ratesOf(point);
      return { threshold: point.threshold, fpr: rates.falsePositiveRate, tpr: rates.sensitivity };
    }),
  );
}

/** What each kind of mistake costs, in any one currency. */
export interface MistakeCosts {
  /** A positive predicted negative: a missed default. */
  falseNegative: number;
  /** A negative predicted positive: a good customer refused. */
  falsePositive: number;
}

export interface CostAt {
  threshold: number;
  /** fn × cost of a miss + fp × cost of a false alarm, over the whole evaluated split. */
  total: number;
  /** total / examples: the expected cost of one decision. */
  perExample: number;
}

export function expectedCost(point: CurveCounts, costs: MistakeCosts): CostAt {
  const total = point.fn * costs.falseNegative + point.fp * costs.falsePositive;
  const examples = point.tp + point.fp + point.tn + point.fn;
  return { threshold: point.threshold, total, perExample: examples > 0 ? total / examples : 0 };
}

/**
 * The threshold of the curve with the lowest expected cost. Among equal costs the one closest to
 * 0.5 wins, so flat stretches do not push the decision to an extreme without a reason.
 */
export function costOptimal(curve: readonly CurveCounts[], costs: MistakeCosts): CostAt | undefined {
  let best: CostAt | undefined;
  for (const point of curve) {
    const cost = expectedCost(point, costs);
    if (
      !best ||
      cost.total < best.total ||
      (cost.total === best.total && Math.abs(cost.threshold - 0.5) < Math.abs(best.threshold - 0.5))
    )
      best = cost;
  }
  return best;
}

/** Costs typed into a form: non-negative finite numbers, not both zero. */
export function parseCosts(falseNegative: string, falsePositive: string): { costs?: MistakeCosts; error?: string } {
  const miss = Number(falseNegative);
  const alarm = Number(falsePositive);
  if (falseNegative.trim() === '' || falsePositive.trim() === '') return { error: 'Enter both costs' };
  if (!Number.isFinite(miss) || !Number.isFinite(alarm)) return { error: 'Costs are numbers' };
  if (miss < 0 || alarm < 0) return { error: 'Costs cannot be negative' };
  if (miss === 0 && alarm === 0) return { error: 'At least one cost must be above zero' };
  return { costs: { falseNegative: miss, falsePositive: alarm } };
}

/** The decision the deployment's probability leads to at the chosen threshold (as the curve counts it). */
export function decide(probability: number, threshold: number): boolean {
  return probability >= threshold;
}
