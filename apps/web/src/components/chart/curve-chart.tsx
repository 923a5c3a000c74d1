'use client';

import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatMetric } from '@/components/ui/format';
import styles from './metric-chart.module.css';

export interface CurveSeries {
  label: string;
  color: string;
  /** One value per x (null: no point there). */
  values: (number | null)[];
  /** Drawn as dots only: a marked point such as the chosen threshold. */
  marker?: boolean;
  dash?: number[];
}

interface CurveChartProps {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Ascending. */
  x: number[];
  series: CurveSeries[];
  /** What the chart shows, in words (the canvas is an image to assistive technology). */
  description: string;
  xRange?: [number, number];
  yRange?: [number, number];
  height?: number;
  testId?: string;
}

function options(props: CurveChartProps, width: number): uPlot.Options {
  const axis: uPlot.Axis = {
    stroke: '#525d70',
    grid: { stroke: '#e8ecf3', width: 1 },
    ticks: { stroke: '#d9dfe9', width: 1 },
    font: '12px system-ui, sans-serif',
    labelFont: '12px system-ui, sans-serif',
  };
  return {
    width,
    height: props.height ?? 280,
    scales: {
      x: { time: false, ...(props.xRange ? { range: props.xRange } : {}) },
      y: props.yRange ? { range: props.yRange } : {},
    },
    series: [
      { label: props.xLabel },
      ...props.series.map((entry): uPlot.Series =>
        entry.marker
          ? { label: entry.label, stroke: entry.color, width: 0, points: { show: true, size: 11, fill: entry.color } }
          : {
              label: entry.label,
              stroke: entry.color,
              width: 2,
              spanGaps: true,
              points: { show: false },
              ...(entry.dash ? { dash: entry.dash } : {}),
            },
      ),
    ],
    axes: [
      { ...axis, label: props.xLabel },
      { ...axis, label: props.yLabel, size: 56, values: (_u, ticks) => ticks.map((tick) => formatMetric(tick)) },
    ],
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
  };
}

/**
 * A small uPlot line chart over one shared x axis (ROC, cost against threshold), with marker
 * series for chosen points. The numbers it shows are also given as text next to it.
 */
export function CurveChart(props: CurveChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = props.series.map((entry) => `${entry.label}:${entry.marker ? 1 : 0}`).join('|');
  // Callers memoise x and series, so new data reaches the chart only when the numbers change.
  const data = useMemo(
    () => [props.x, ...props.series.map((entry) => entry.values)] as uPlot.AlignedData,
    [props.x, props.series],
  );

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const chart = new uPlot(options(props, element.clientWidth || 480), data, element);
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: props.height ?? 280 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- rebuilt when the series set changes; data flows through the effect below
  }, [shape]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <figure className={styles.figure}>
      <figcaption className={styles.caption}>
        <span className={styles.title}>{props.title}</span>
      </figcaption>
      <div
        ref={container}
        className={styles.canvas}
        role="img"
        aria-label={`${props.title}. ${props.description}`}
        data-testid={props.testId}
      />
      <ul className={styles.legend}>
        {props.series.map((entry) => (
          <li key={entry.label}>
            <span className={styles.swatch} style={{ background: entry.color }} aria-hidden="true" />
            <span>{entry.label}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
