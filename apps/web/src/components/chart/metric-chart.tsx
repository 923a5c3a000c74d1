'use client';

import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatMetric } from '@/components/ui/format';
import { toChartData, type ChartTransform, type SeriesInput } from '@/lib/chart/series-data';
import { SERIES_COLORS } from './colors';
import styles from './metric-chart.module.css';

const BAND_ALPHA = '2e';

export interface StepWindow {
  from: number;
  to: number;
}

interface MetricChartProps {
  title: string;
  inputs: SeriesInput[];
  transform: ChartTransform;
  /** Called with the dragged step window, or null when the zoom is reset (double-click). */
  onZoom?: (window: StepWindow | null) => void;
  zoomed?: StepWindow | null;
  height?: number;
}

function options(
  props: MetricChartProps,
  width: number,
  layout: ReturnType<typeof toChartData>['series'],
): uPlot.Options {
  const series: uPlot.Series[] = [{ label: 'step' }];
  const bands: uPlot.Band[] = [];
  layout.forEach((entry, index) => {
    const color = SERIES_COLORS[index % SERIES_COLORS.length]!;
    series.push({ label: entry.label, stroke: color, width: 1.75, spanGaps: true, points: { show: false } });
    series.push({
      label: `${entry.label} min`,
      stroke: 'transparent',
      width: 0,
      spanGaps: true,
      points: { show: false },
    });
    series.push({
      label: `${entry.label} max`,
      stroke: 'transparent',
      width: 0,
      spanGaps: true,
      points: { show: false },
    });
    bands.push({ series: [entry.max, entry.min], fill: color + BAND_ALPHA });
  });
  const axis: uPlot.Axis = {
    stroke: '#525d70',
    grid: { stroke: '#e8ecf3', width: 1 },
    ticks: { stroke: '#d9dfe9', width: 1 },
    font: '12px system-ui, sans-serif',
  };
  return {
    width,
    height: props.height ?? 260,
    scales: { x: { time: false }, y: { distr: props.transform.log ? 3 : 1 } },
    series,
    bands,
    axes: [
      { ...axis, label: 'step', labelFont: '12px system-ui, sans-serif' },
      { ...axis, size: 64, values: (_u, ticks) => ticks.map((tick) => formatMetric(tick)) },
    ],
    legend: { show: false },
    cursor: { drag: { x: true, y: false, setScale: true } },
  };
}

/**
 * A uPlot canvas chart of downsampled metric buckets: the line is each bucket's real point, the
 * shaded band its min..max, so spikes stay visible at any zoom. Several runs overlay on one axis.
 */
export function MetricChart(props: MetricChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const readouts = useRef<(HTMLSpanElement | null)[]>([]);
  const onZoom = useRef(props.onZoom);
  onZoom.current = props.onZoom;
  const data = useMemo(() => toChartData(props.inputs, props.transform), [props.inputs, props.transform]);
  const shape = `${props.transform.log}|${data.series.map((series) => series.label).join('|')}`;

  // Recreated only when the series set or the axis type changes; new data is pushed with setData.
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const chart = new uPlot(
      options(props, element.clientWidth || 600, data.series),
      data.columns as uPlot.AlignedData,
      element,
    );
    chart.over.addEventListener('dblclick', () => onZoom.current?.(null));
    chart.hooks.setSelect = [
      (u) => {
        if (u.select.width < 2) return;
        onZoom.current?.({ from: u.posToVal(u.select.left, 'x'), to: u.posToVal(u.select.left + u.select.width, 'x') });
      },
    ];
    chart.hooks.setCursor = [
      (u) => {
        const index = u.cursor.idx;
        data.series.forEach((series, position) => {
          const target = readouts.current[position];
          if (!target) return;
          const value = index === null || index === undefined ? null : (u.data[series.value]?.[index] ?? null);
          target.textContent =
            index === null || index === undefined ? '' : `step ${u.data[0][index]}: ${formatMetric(value)}`;
        });
      },
    ];
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: props.height ?? 260 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- rebuilt on shape changes only; data flows through the effect below
  }, [shape]);

  useEffect(() => {
    const chart = plot.current;
    if (!chart) return;
    // While zoomed, new buckets must not reset the window the user chose.
    chart.setData(data.columns as uPlot.AlignedData, !props.zoomed);
    if (props.zoomed) chart.setScale('x', { min: props.zoomed.from, max: props.zoomed.to });
  }, [data, props.zoomed]);

  const summary = data.series
    .map((series, index) => {
      const values = props.inputs[index]?.buckets ?? [];
      const last = values[values.length - 1];
      return last
        ? `${series.label}: last ${formatMetric(last.value)} at step ${last.step}`
        : `${series.label}: no points yet`;
    })
    .join('; ');

  return (
    <figure className={styles.figure}>
      <figcaption className={styles.caption}>
        <span className={styles.title}>{props.title}</span>
        <span className="muted">
          {data.pointCount.toLocaleString('en-US')} buckets{props.zoomed ? ' · zoomed (double-click to reset)' : ''}
        </span>
      </figcaption>
      <div
        ref={container}
        className={styles.canvas}
        role="img"
        aria-label={`${props.title} chart. ${summary}`}
        data-testid={`chart-${props.title}`}
        data-points={data.pointCount}
      />
      <ul className={styles.legend}>
        {data.series.map((series, index) => (
          <li key={series.value}>
            <span
              className={styles.swatch}
              style={{ background: SERIES_COLORS[index % SERIES_COLORS.length] }}
              aria-hidden="true"
            />
            <span>{series.label}</span>
            <span className="muted" ref={(element) => void (readouts.current[index] = element)} />
          </li>
        ))}
      </ul>
    </figure>
  );
}
