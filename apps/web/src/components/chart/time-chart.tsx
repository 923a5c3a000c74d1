'use client';

import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatMetric } from '@/components/ui/format';
import { SERIES_COLORS } from './colors';
import styles from './metric-chart.module.css';

export interface TimeSeries {
  label: string;
  /** One per time; null where nothing was measured (drawn as a gap). */
  values: (number | null)[];
}

interface TimeChartProps {
  title: string;
  unit: string;
  /** Unix seconds, ascending, shared by every series. */
  times: number[];
  series: TimeSeries[];
  height?: number;
}

/** A uPlot canvas chart over wall-clock time (deployment traffic), one line per series. */
export function TimeChart(props: TimeChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const height = props.height ?? 200;
  const shape = props.series.map((series) => series.label).join('|');
  const data = [props.times, ...props.series.map((series) => series.values)] as uPlot.AlignedData;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const axis: uPlot.Axis = {
      stroke: '#525d70',
      grid: { stroke: '#e8ecf3', width: 1 },
      ticks: { stroke: '#d9dfe9', width: 1 },
      font: '12px system-ui, sans-serif',
    };
    const chart = new uPlot(
      {
        width: element.clientWidth || 500,
        height,
        series: [
          {},
          ...props.series.map((series, index) => ({
            label: series.label,
            stroke: SERIES_COLORS[index % SERIES_COLORS.length]!,
            width: 1.75,
            points: { show: false },
          })),
        ],
        axes: [axis, { ...axis, size: 64, values: (_u, ticks) => ticks.map((tick) => formatMetric(tick)) }],
        legend: { show: false },
      },
      data,
      element,
    );
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- rebuilt when the series set changes; data flows through setData below
  }, [shape, height]);

  useEffect(() => {
    plot.current?.setData(data);
  });

  const summary = props.series
    .map((series) => {
      const last = [...series.values].reverse().find((value) => value !== null);
      return `${series.label}: ${last === undefined ? 'no data' : `latest ${formatMetric(last)} ${props.unit}`}`;
    })
    .join('; ');

  return (
    <figure className={styles.figure}>
      <figcaption className={styles.caption}>
        <span className={styles.title}>{props.title}</span>
        <span className="muted">{props.unit}</span>
      </figcaption>
      <div
        ref={container}
        className={styles.canvas}
        style={{ minHeight: height }}
        role="img"
        aria-label={`${props.title} chart. ${summary || 'No traffic in the window'}`}
        data-testid={`chart-${props.title}`}
        data-points={props.times.length}
      />
      <ul className={styles.legend}>
        {props.series.map((series, index) => (
          <li key={series.label}>
            <span
              className={styles.swatch}
              style={{ background: SERIES_COLORS[index % SERIES_COLORS.length] }}
              aria-hidden="true"
            />
            <span>{series.label}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
