import { SERIES_COLORS } from '@/components/chart/colors';
import { formatMetric } from '@/components/ui/format';
import { rocPath, type RocPoint } from '@/lib/chart/roc-curve';

const SIZE = 240;
const MARGIN = { left: 44, bottom: 36, top: 8, right: 8 };
const TICKS = [0, 0.25, 0.5, 0.75, 1];

export interface RocCurve {
  label: string;
  auc: number | null | undefined;
  points: readonly RocPoint[];
}

/**
 * ROC curves of binary evaluations on one plot (a path per curve, ~100 thresholds each: SVG is
 * the right tool here), with the chance diagonal. The label carries the AUCs for screen readers.
 */
export function RocChart({ curves, positiveLabel }: { curves: RocCurve[]; positiveLabel: string | null }) {
  const summary = curves.map((curve) => `${curve.label}: AUC ${formatMetric(curve.auc)}`).join('; ');
  return (
    <figure style={{ margin: 0 }}>
      <svg
        role="img"
        aria-label={`ROC curves${positiveLabel ? ` (positive class ${positiveLabel})` : ''}. ${summary}`}
        viewBox={`0 0 ${SIZE + MARGIN.left + MARGIN.right} ${SIZE + MARGIN.top + MARGIN.bottom}`}
        style={{ width: '100%', maxWidth: 420, height: 'auto' }}
        data-testid="roc-chart"
      >
        <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
          <rect width={SIZE} height={SIZE} fill="none" stroke="#d9dfe9" />
          {TICKS.map((tick) => (
            <g key={tick}>
              <line x1={tick * SIZE} x2={tick * SIZE} y1={0} y2={SIZE} stroke="#e8ecf3" />
              <line x1={0} x2={SIZE} y1={(1 - tick) * SIZE} y2={(1 - tick) * SIZE} stroke="#e8ecf3" />
              <text x={tick * SIZE} y={SIZE + 14} fontSize={10} textAnchor="middle" fill="#525d70">
                {tick}
              </text>
              <text x={-6} y={(1 - tick) * SIZE + 3} fontSize={10} textAnchor="end" fill="#525d70">
                {tick}
              </text>
            </g>
          ))}
          <line x1={0} y1={SIZE} x2={SIZE} y2={0} stroke="#b9c2d1" strokeDasharray="4 4" />
          {curves.map((curve, index) => (
            <path
              key={curve.label}
              d={rocPath(curve.points, SIZE)}
              fill="none"
              stroke={SERIES_COLORS[index % SERIES_COLORS.length]}
              strokeWidth={2}
            />
          ))}
          <text x={SIZE / 2} y={SIZE + 30} fontSize={11} textAnchor="middle" fill="#525d70">
            false positive rate
          </text>
          <text
            transform={`translate(${-34},${SIZE / 2}) rotate(-90)`}
            fontSize={11}
            textAnchor="middle"
            fill="#525d70"
          >
            true positive rate
          </text>
        </g>
      </svg>
      <figcaption className="row" style={{ gap: 16, fontSize: 13 }}>
        {curves.map((curve, index) => (
          <span key={curve.label} className="row" style={{ gap: 6 }}>
            <span
              aria-hidden="true"
              style={{
                width: 12,
                height: 3,
                borderRadius: 2,
                display: 'inline-block',
                background: SERIES_COLORS[index % SERIES_COLORS.length],
              }}
            />
            {curve.label} · AUC {formatMetric(curve.auc)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
