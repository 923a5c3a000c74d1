/** One threshold of a binary evaluation (Evaluation.thresholdCurve), as far as a ROC curve needs it. */
export interface RocPoint {
  threshold: number;
  fpr: number;
  tpr: number;
}

/**
 * The ROC curve as (fpr, tpr) pairs from (0, 0) to (1, 1): thresholds from high to low, so both
 * rates only grow; the ends are added when the sampled thresholds miss them.
 */
export function rocPoints(curve: readonly RocPoint[]): [number, number][] {
  const points = [...curve].sort((a, b) => b.threshold - a.threshold).map((p): [number, number] => [p.fpr, p.tpr]);
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || first[0] !== 0 || first[1] !== 0) points.unshift([0, 0]);
  if (!last || last[0] !== 1 || last[1] !== 1) points.push([1, 1]);
  return points;
}

/** An SVG path of the curve in a `size` × `size` box (y grows downwards in SVG). */
export function rocPath(curve: readonly RocPoint[], size: number): string {
  return rocPoints(curve)
    .map(([fpr, tpr], index) => `${index === 0 ? 'M' : 'L'}${round(fpr * size)},${round((1 - tpr) * size)}`)
    .join(' ');
}

const round = (value: number) => Math.round(value * 100) / 100;
