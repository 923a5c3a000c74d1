/** One bucket of a downsampled series as the API returns it (see MetricSeriesPoint in the SDL). */
export interface Bucket {
  step: number;
  value: number;
  min: number;
  max: number;
}

export interface SeriesInput {
  label: string;
  buckets: readonly Bucket[];
}

export interface ChartTransform {
  /** Exponential-moving-average weight for the line, 0 (raw) … 0.99. Bands always show raw min/max. */
  smoothing: number;
  /** Log y axis: values ≤ 0 cannot be drawn and become gaps. */
  log: boolean;
}

/** uPlot's column layout: x first, then per series its line, band minimum and band maximum. */
export interface ChartData {
  columns: [number[], ...(number | null)[][]];
  series: { label: string; value: number; min: number; max: number }[];
  /** Points (buckets) drawn, over every series. */
  pointCount: number;
}

export const MAX_SMOOTHING = 0.99;

/**
 * TensorBoard's debiased EMA: early points are not dragged towards zero, gaps stay gaps and do not
 * reset the average.
 */
export function smooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  const w = Math.min(Math.max(weight, 0), MAX_SMOOTHING);
  if (w === 0) return [...values];
  let last = 0;
  let count = 0;
  return values.map((value) => {
    if (value === null || !Number.isFinite(value)) return null;
    last = last * w + (1 - w) * value;
    count += 1;
    return last / (1 - w ** count);
  });
}

const positiveOrNull = (value: number | null): number | null => (value !== null && value > 0 ? value : null);

/**
 * Aligns several runs' buckets on the union of their steps (uPlot needs one x column) and applies
 * smoothing and the log transform. Missing steps are nulls, drawn as gaps bridged by spanGaps.
 */
export function toChartData(inputs: readonly SeriesInput[], transform: ChartTransform): ChartData {
  const steps = [...new Set(inputs.flatMap((input) => input.buckets.map((bucket) => bucket.step)))].sort(
    (a, b) => a - b,
  );
  const indexOfStep = new Map(steps.map((step, index) => [step, index]));
  const columns: ChartData['columns'] = [steps];
  const series: ChartData['series'] = [];
  let pointCount = 0;
  for (const input of inputs) {
    const value = new Array<number | null>(steps.length).fill(null);
    const min = new Array<number | null>(steps.length).fill(null);
    const max = new Array<number | null>(steps.length).fill(null);
    for (const bucket of input.buckets) {
      const index = indexOfStep.get(bucket.step)!;
      value[index] = bucket.value;
      min[index] = bucket.min;
      max[index] = bucket.max;
    }
    pointCount += input.buckets.length;
    // Smooth on the series' own points only, so another run's steps do not change its average.
    const smoothed = smooth(value, transform.smoothing);
    const base = columns.length;
    columns.push(transform.log ? smoothed.map(positiveOrNull) : smoothed);
    columns.push(transform.log ? min.map(positiveOrNull) : min);
    columns.push(transform.log ? max.map(positiveOrNull) : max);
    series.push({ label: input.label, value: base, min: base + 1, max: base + 2 });
  }
  return { columns, series, pointCount };
}

/**
 * The steps a zoomed chart re-queries (Run.metrics fromStep/toStep): the dragged window widened to
 * whole steps, never below 0; null (the whole series) when not zoomed.
 */
export function stepWindowFor(
  window: { from: number; to: number } | null,
): { fromStep: number; toStep: number } | null {
  if (!window) return null;
  const fromStep = Math.max(0, Math.floor(Math.min(window.from, window.to)));
  return { fromStep, toStep: Math.max(fromStep, Math.ceil(Math.max(window.from, window.to))) };
}
