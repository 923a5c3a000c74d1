'use client';

import { useMemo } from 'react';
import { CurveChart, type CurveSeries } from '@/components/chart/curve-chart';
import { ConfusionMatrix } from '@/components/evaluation/confusion-matrix';
import { formatCount, formatMetric, formatPercent } from '@/components/ui/format';
import {
  confusionAt,
  costOptimal,
  expectedCost,
  pointAt,
  ratesOf,
  rocPoints,
  type CurveCounts,
  type MistakeCosts,
} from '@/lib/scenarios/threshold';
import type { ScenarioKeyName } from './scenario-keys';

export interface CostInputs {
  falseNegative: string;
  falsePositive: string;
}

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);

/**
 * ROC with AUC, the confusion matrix at the chosen threshold and the field's reading of it. Every
 * number comes from the evaluation's threshold curve (counts the API computed from the stored
 * per-example outcomes); the browser only divides.
 */
export function EvaluationPanel(props: {
  id: string;
  scenario: ScenarioKeyName;
  positiveLabel: string;
  negativeLabel: string;
  auc: number | null;
  split: string;
  curve: CurveCounts[];
  threshold: number;
  onThreshold: (threshold: number) => void;
  costs: CostInputs;
  onCosts: (costs: CostInputs) => void;
  parsedCosts: MistakeCosts | null;
  costError: string | null;
}) {
  const { curve, threshold } = props;
  const point = pointAt(curve, threshold);
  const rates = point ? ratesOf(point) : null;

  const roc = useMemo(() => rocPoints(curve), [curve]);
  const rocChart = useMemo(() => {
    const x = roc.map(([fpr]) => fpr);
    const at = point ? ratesOf(point) : null;
    // The chosen threshold is marked on the ROC point of the same rates.
    const markerIndex = at
      ? roc.findIndex(([fpr, tpr]) => fpr === at.falsePositiveRate && tpr === at.sensitivity)
      : -1;
    const series: CurveSeries[] = [
      { label: 'ROC', color: '#2f55c9', values: roc.map(([, tpr]) => tpr) },
      { label: 'Chance', color: '#8a94a6', values: x, dash: [5, 5] },
      {
        label: `Threshold ${threshold.toFixed(2)}`,
        color: '#d9480f',
        marker: true,
        values: roc.map(([, tpr], index) => (index === markerIndex ? tpr : null)),
      },
    ];
    return { x, series };
  }, [roc, point, threshold]);

  const costing = props.scenario === 'finance' && props.parsedCosts;
  const optimal = costing ? costOptimal(curve, props.parsedCosts!) : undefined;
  const costChart = useMemo(() => {
    if (!costing) return null;
    const sorted = [...curve].sort((a, b) => a.threshold - b.threshold);
    const perExample = sorted.map((entry) => expectedCost(entry, props.parsedCosts!).perExample);
    return {
      x: sorted.map((entry) => entry.threshold),
      series: [
        { label: 'Expected cost per customer', color: '#2b8a3e', values: perExample },
        {
          label: 'Cost-optimal threshold',
          color: '#ae3ec9',
          marker: true,
          values: sorted.map((entry, index) => (entry.threshold === optimal?.threshold ? perExample[index]! : null)),
        },
        {
          label: 'Chosen threshold',
          color: '#d9480f',
          marker: true,
          values: sorted.map((entry, index) => (entry.threshold === point?.threshold ? perExample[index]! : null)),
        },
      ] satisfies CurveSeries[],
    };
  }, [costing, curve, props.parsedCosts, optimal?.threshold, point?.threshold]);

  if (!point || !rates) return <p className="muted">This evaluation has no per-example scores to draw curves from.</p>;
  const cost = costing ? expectedCost(point, props.parsedCosts!) : null;
  const sliderId = `${props.id}-threshold`;

  return (
    <div className="stack">
      <div className="grid-2">
        <CurveChart
          title={`ROC curve, AUC ${formatMetric(props.auc)}`}
          xLabel="false-positive rate"
          yLabel="true-positive rate"
          x={rocChart.x}
          series={rocChart.series}
          xRange={[0, 1]}
          yRange={[0, 1]}
          testId={`${props.id}-roc`}
          description={`Area under the curve ${formatMetric(props.auc)} on the ${props.split} split; at threshold ${threshold.toFixed(2)} the true-positive rate is ${percent(rates.sensitivity)} and the false-positive rate ${percent(rates.falsePositiveRate)}.`}
        />
        <div className="stack">
          <div className="field">
            <label htmlFor={sliderId}>
              Decision threshold: {props.positiveLabel} when the probability is at least{' '}
              <output htmlFor={sliderId} data-testid={`${props.id}-threshold-value`}>
                {threshold.toFixed(2)}
              </output>
            </label>
            <input
              id={sliderId}
              type="range"
              min={0}
              max={1}
              step={0.01}
              value={threshold}
              onChange={(event) => props.onThreshold(Number(event.target.value))}
              aria-valuetext={threshold.toFixed(2)}
            />
          </div>
          <div className="grid-stats">
            {props.scenario === 'medical' ? (
              <>
                <Stat label="Sensitivity" value={percent(rates.sensitivity)} testId={`${props.id}-sensitivity`} />
                <Stat label="Specificity" value={percent(rates.specificity)} testId={`${props.id}-specificity`} />
                <Stat
                  label={`Missed ${props.positiveLabel}`}
                  value={formatCount(point.fn)}
                  testId={`${props.id}-missed`}
                />
                <Stat label="False alarms" value={formatCount(point.fp)} testId={`${props.id}-false-alarms`} />
              </>
            ) : props.scenario === 'security' ? (
              <>
                <Stat label="Precision" value={percent(rates.precision)} testId={`${props.id}-precision`} />
                <Stat label="Recall" value={percent(rates.recall)} testId={`${props.id}-recall`} />
                <Stat
                  label="Alert volume"
                  value={`${formatCount(rates.alerts)} of ${formatCount(rates.total)} (${formatPercent(rates.alertRate)})`}
                  testId={`${props.id}-alerts`}
                />
                <Stat label="Attacks missed" value={formatCount(point.fn)} testId={`${props.id}-missed`} />
              </>
            ) : (
              <>
                <Stat
                  label="Expected cost per customer"
                  value={cost ? formatMetric(cost.perExample) : '—'}
                  testId={`${props.id}-cost`}
                />
                <Stat label="Missed defaults" value={formatCount(point.fn)} testId={`${props.id}-missed`} />
                <Stat label="Good customers refused" value={formatCount(point.fp)} testId={`${props.id}-refused`} />
                <Stat label="Refusal rate" value={formatPercent(rates.alertRate)} testId={`${props.id}-alerts`} />
              </>
            )}
          </div>
          <p className="muted">
            Accuracy {percent(rates.accuracy)} at this threshold, on {formatCount(rates.total)} held-out examples of the{' '}
            {props.split} split ({formatCount(rates.positives)} {props.positiveLabel}).
          </p>
        </div>
      </div>

      {props.scenario === 'finance' ? (
        <fieldset className="stack">
          <legend>What a mistake costs</legend>
          <div className="form-grid">
            <div className="field">
              <label htmlFor={`${props.id}-cost-fn`}>Cost of a missed default</label>
              <input
                id={`${props.id}-cost-fn`}
                type="text"
                inputMode="decimal"
                value={props.costs.falseNegative}
                onChange={(event) => props.onCosts({ ...props.costs, falseNegative: event.target.value })}
                aria-invalid={props.costError ? true : undefined}
                aria-describedby={props.costError ? `${props.id}-cost-error` : undefined}
              />
            </div>
            <div className="field">
              <label htmlFor={`${props.id}-cost-fp`}>Cost of refusing a good customer</label>
              <input
                id={`${props.id}-cost-fp`}
                type="text"
                inputMode="decimal"
                value={props.costs.falsePositive}
                onChange={(event) => props.onCosts({ ...props.costs, falsePositive: event.target.value })}
                aria-invalid={props.costError ? true : undefined}
                aria-describedby={props.costError ? `${props.id}-cost-error` : undefined}
              />
            </div>
          </div>
          {props.costError ? (
            <span className="error" id={`${props.id}-cost-error`} role="alert">
              {props.costError}
            </span>
          ) : null}
          {optimal ? (
            <div className="row">
              <p data-testid={`${props.id}-optimal`}>
                Cost-optimal threshold: <strong>{optimal.threshold.toFixed(2)}</strong> (expected cost{' '}
                {formatMetric(optimal.perExample)} per customer)
              </p>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => props.onThreshold(optimal.threshold)}
                disabled={optimal.threshold === point.threshold}
              >
                Use the cost-optimal threshold
              </button>
            </div>
          ) : null}
          {costChart ? (
            <CurveChart
              title="Expected cost per customer by threshold"
              xLabel="threshold"
              yLabel="cost per customer"
              x={costChart.x}
              series={costChart.series}
              xRange={[0, 1]}
              testId={`${props.id}-cost-curve`}
              description={`Lowest at threshold ${optimal?.threshold.toFixed(2)}; at the chosen threshold ${threshold.toFixed(2)} it is ${cost ? formatMetric(cost.perExample) : '—'}.`}
            />
          ) : null}
        </fieldset>
      ) : null}

      <ConfusionMatrix
        matrix={confusionAt(point)}
        labels={[props.negativeLabel, props.positiveLabel]}
        caption={`Confusion matrix at threshold ${threshold.toFixed(2)} (${props.split} split)`}
      />
    </div>
  );
}
