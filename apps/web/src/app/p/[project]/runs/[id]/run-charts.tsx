'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { MetricChart, type StepWindow } from '@/components/chart/metric-chart';
import { request } from '@/lib/client/graphql';
import { MAX_SMOOTHING, stepWindowFor, type Bucket, type SeriesInput } from '@/lib/chart/series-data';
import { BASE_POINTS, RunSeriesQuery } from './run-queries';
import styles from './run.module.css';

export interface OverlayCandidate {
  id: string;
  name: string;
}

interface Loaded {
  name: string;
  totalPoints: number;
  buckets: Bucket[];
}

/** Live refetches are coalesced: at most one per key every this many ms. */
const REFETCH_INTERVAL_MS = 700;

const parseList = (value: string | null) => (value ? value.split(',').filter(Boolean) : []);

/** The newest point per key of the latest live metrics event; `tick` grows with every event. */
export interface LiveMetricsTick {
  tick: number;
  latest: readonly { key: string; step: number; value: number }[];
}

/**
 * Charts of a run's metrics with overlays, log scale and smoothing kept in the URL (shareable).
 * On every live metrics event each chart draws the event's newest point at once, then re-queries
 * its buckets (coalesced), which also brings the points of the batch the event did not carry.
 */
export function RunCharts(props: {
  runId: string;
  runName: string;
  metricKeys: string[];
  candidates: OverlayCandidate[];
  live: LiveMetricsTick;
  initial: Record<string, Loaded>;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const defaultKeys = ['loss', 'accuracy'].filter((key) => props.metricKeys.includes(key));
  const keys = searchParams.has('keys')
    ? parseList(searchParams.get('keys'))
    : defaultKeys.length > 0
      ? defaultKeys
      : props.metricKeys.slice(0, 2);
  const overlay = parseList(searchParams.get('overlay')).filter((id) => id !== props.runId);
  const log = searchParams.get('log') === '1';
  const smoothing = Math.min(MAX_SMOOTHING, Math.max(0, Number(searchParams.get('smooth') ?? 0) || 0));

  const setParam = useCallback(
    (name: string, value: string | null) => {
      const next = new URLSearchParams(searchParams.toString());
      if (value === null || value === '') next.delete(name);
      else next.set(name, value);
      router.replace(`${pathname}?${next.toString()}`, { scroll: false });
    },
    [pathname, router, searchParams],
  );

  const transform = useMemo(() => ({ log, smoothing }), [log, smoothing]);
  const allKeys = [...new Set([...props.metricKeys, ...keys])];

  return (
    <div className="stack" style={{ gap: 16 }}>
      <div className={styles.controls}>
        <fieldset className={styles.controlGroup}>
          <legend>Metrics</legend>
          <div className="row" style={{ gap: 10 }}>
            {allKeys.length === 0 ? <span className="muted">No metric logged yet</span> : null}
            {allKeys.map((key) => (
              <label key={key} className="row" style={{ gap: 4 }}>
                <input
                  type="checkbox"
                  checked={keys.includes(key)}
                  onChange={(event) =>
                    setParam(
                      'keys',
                      (event.target.checked ? [...keys, key] : keys.filter((k) => k !== key)).join(',') || ',',
                    )
                  }
                />
                {key}
              </label>
            ))}
          </div>
        </fieldset>
        <div className={styles.controlGroup}>
          <label className="row" style={{ gap: 6 }}>
            <input
              type="checkbox"
              checked={log}
              onChange={(event) => setParam('log', event.target.checked ? '1' : null)}
            />
            Log scale
          </label>
        </div>
        <div className={styles.controlGroup}>
          <label htmlFor="smoothing">Smoothing</label>
          <input
            id="smoothing"
            type="range"
            min={0}
            max={MAX_SMOOTHING}
            step={0.01}
            value={smoothing}
            onChange={(event) => setParam('smooth', event.target.value === '0' ? null : event.target.value)}
            aria-valuetext={smoothing.toFixed(2)}
          />
          <output htmlFor="smoothing" className="mono">
            {smoothing.toFixed(2)}
          </output>
        </div>
        {props.candidates.length > 0 ? (
          <details className={styles.controlGroup}>
            <summary>Overlay runs{overlay.length > 0 ? ` (${overlay.length})` : ''}</summary>
            <div className={styles.overlayList}>
              {props.candidates.map((candidate) => (
                <label key={candidate.id} className="row" style={{ gap: 6 }}>
                  <input
                    type="checkbox"
                    checked={overlay.includes(candidate.id)}
                    onChange={(event) =>
                      setParam(
                        'overlay',
                        (event.target.checked
                          ? [...overlay, candidate.id]
                          : overlay.filter((id) => id !== candidate.id)
                        ).join(','),
                      )
                    }
                  />
                  {candidate.name}
                </label>
              ))}
            </div>
          </details>
        ) : null}
      </div>
      <div className={styles.charts}>
        {keys.map((key) => (
          <MetricPanel
            key={key}
            metricKey={key}
            runIds={[props.runId, ...overlay]}
            transform={transform}
            live={props.live}
            initial={props.initial[key]}
            runId={props.runId}
          />
        ))}
      </div>
    </div>
  );
}

function MetricPanel(props: {
  metricKey: string;
  runId: string;
  runIds: string[];
  transform: { log: boolean; smoothing: number };
  live: LiveMetricsTick;
  initial: Loaded | undefined;
}) {
  const [loaded, setLoaded] = useState<Record<string, Loaded>>(() =>
    props.initial ? { [props.runId]: props.initial } : {},
  );
  const [zoom, setZoom] = useState<StepWindow | null>(null);
  const [error, setError] = useState<string | null>(null);
  const lastFetch = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const runKey = props.runIds.join(',');

  const fetchAll = useCallback(async () => {
    lastFetch.current = Date.now();
    // Zoomed: the API buckets only the visible steps, so the window keeps BASE_POINTS of resolution.
    const window = stepWindowFor(zoom);
    try {
      const results = await Promise.all(
        props.runIds.map((id) =>
          request(RunSeriesQuery, {
            id,
            key: props.metricKey,
            maxPoints: BASE_POINTS,
            fromStep: window?.fromStep ?? null,
            toStep: window?.toStep ?? null,
          }),
        ),
      );
      const next: Record<string, Loaded> = {};
      for (const result of results) {
        if (result.run)
          next[result.run.id] = {
            name: result.run.name,
            totalPoints: result.run.metrics.totalPoints,
            buckets: result.run.metrics.points,
          };
      }
      setLoaded(next);
      setError(null);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The series could not be loaded');
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runKey stands for runIds
  }, [runKey, props.metricKey, zoom]);

  // Overlays or zoom changed: load now.
  useEffect(() => {
    if (props.runIds.length === 1 && zoom === null && props.live.tick === 0 && props.initial) return;
    void fetchAll();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- initial data covers the first render
  }, [runKey, zoom]);

  // Live: the event's newest point is drawn at once, as a bucket of one point after the last.
  useEffect(() => {
    const point = props.live.latest.find((candidate) => candidate.key === props.metricKey);
    if (!point || zoom !== null) return;
    setLoaded((current) => {
      const own = current[props.runId];
      const last = own?.buckets[own.buckets.length - 1];
      if (!own || (last && point.step <= last.step)) return current;
      const bucket = { step: point.step, value: point.value, min: point.value, max: point.value };
      return {
        ...current,
        [props.runId]: { ...own, totalPoints: own.totalPoints + 1, buckets: [...own.buckets, bucket] },
      };
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per event
  }, [props.live]);

  // Live: coalesce bursts of metric events into one refetch per interval.
  useEffect(() => {
    if (props.live.tick === 0) return;
    const wait = Math.max(0, lastFetch.current + REFETCH_INTERVAL_MS - Date.now());
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void fetchAll(), wait);
    return () => clearTimeout(timer.current);
  }, [props.live.tick, fetchAll]);

  const inputs: SeriesInput[] = props.runIds
    .filter((id) => loaded[id])
    .map((id) => ({
      label: props.runIds.length > 1 ? `${loaded[id]!.name} · ${id.slice(0, 8)}` : props.metricKey,
      buckets: loaded[id]!.buckets,
    }));
  const total = loaded[props.runId]?.totalPoints ?? 0;

  return (
    <section className="card" aria-label={`${props.metricKey} chart`}>
      <div className="card-body">
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <MetricChart
          title={props.metricKey}
          inputs={inputs}
          transform={props.transform}
          zoomed={zoom}
          onZoom={setZoom}
        />
        <p className="muted" style={{ margin: '8px 0 0', fontSize: 12.5 }}>
          {total.toLocaleString('en-US')} points logged · line: a real point per bucket · band: min–max of the bucket ·
          drag to zoom
        </p>
      </div>
    </section>
  );
}
