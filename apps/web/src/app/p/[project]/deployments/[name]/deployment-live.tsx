'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import { TimeChart, type TimeSeries } from '@/components/chart/time-chart';
import type { DeploymentMetricsQuery as DeploymentMetricsResult } from '@/graphql/generated/graphql';
import { request } from '@/lib/client/graphql';
import { DeploymentMetricsQuery, METRICS_STEP_SECONDS, METRICS_WINDOW_SECONDS } from './deployment-queries';

type Metrics = NonNullable<DeploymentMetricsResult['deployment']>['metrics'];

const POLL_MS = 10_000;

/** Per revision, one series of `pick` over the window's steps (the API aligns every revision on the same steps). */
export function metricSeries(
  metrics: Metrics,
  pick: (point: Metrics['revisions'][number]['points'][number]) => number | null | undefined,
): { times: number[]; series: TimeSeries[] } {
  const times = (metrics.revisions[0]?.points ?? []).map((point) => Date.parse(point.time) / 1000);
  const series = metrics.revisions.map((entry) => ({
    label: `revision ${entry.revision.number} (v${entry.revision.modelVersion.number})`,
    values: entry.points.map((point) => pick(point) ?? null),
  }));
  return { times, series };
}

/**
 * The deployment's live part: follows deploymentUpdated through /api/live (server-sent events)
 * and re-renders the page's server components on every change, and keeps the traffic charts
 * current (re-queried on changes and every 10 s, since request counts change without events).
 */
export function DeploymentLive({ name, initialMetrics }: { name: string; initialMetrics: Metrics }) {
  const router = useRouter();
  const [metrics, setMetrics] = useState(initialMetrics);
  const [problem, setProblem] = useState<string | null>(null);
  const [gone, setGone] = useState(false);
  const inFlight = useRef(false);

  const reload = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const result = await request(DeploymentMetricsQuery, {
        name,
        window: METRICS_WINDOW_SECONDS,
        step: METRICS_STEP_SECONDS,
      });
      if (result.deployment) setMetrics(result.deployment.metrics);
      setProblem(null);
    } catch (caught) {
      setProblem(caught instanceof Error ? caught.message : 'The charts could not be updated');
    } finally {
      inFlight.current = false;
    }
  }, [name]);

  useEffect(() => {
    const source = new EventSource(`/api/live?deployment=${encodeURIComponent(name)}`);
    source.addEventListener('deployment', (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as { deploymentUpdated: unknown };
      if (data.deploymentUpdated === null) {
        setGone(true);
        source.close();
        return;
      }
      router.refresh();
      void reload();
    });
    source.addEventListener('failure', (event) => {
      source.close();
      setProblem((JSON.parse((event as MessageEvent<string>).data) as { message: string }).message);
    });
    const timer = setInterval(() => void reload(), POLL_MS);
    return () => {
      source.close();
      clearInterval(timer);
    };
  }, [name, reload, router]);

  const rps = metricSeries(metrics, (point) => point.rps);
  const latency = metricSeries(metrics, (point) => point.p95Ms);
  const errors = metricSeries(metrics, (point) => (typeof point.errorRate === 'number' ? point.errorRate * 100 : null));
  const requests = metrics.revisions.reduce(
    (sum, entry) => sum + entry.points.reduce((inner, point) => inner + point.requests, 0),
    0,
  );

  return (
    <section className="card" aria-labelledby="traffic-title">
      <div className="card-header">
        <h2 id="traffic-title">Live traffic</h2>
        <span className="muted" data-testid="traffic-requests">
          {requests.toLocaleString('en-US')} request{requests === 1 ? '' : 's'} in the last{' '}
          {METRICS_WINDOW_SECONDS / 60} minutes, in {metrics.step} s steps
        </span>
      </div>
      <div className="card-body stack" style={{ gap: 16 }}>
        {gone ? (
          <p className="form-error" role="alert">
            This deployment was deleted.
          </p>
        ) : null}
        {problem ? (
          <p className="form-error" role="alert">
            {problem}
          </p>
        ) : null}
        {metrics.revisions.length === 0 ? (
          <p className="muted" role="status">
            No request in the last {METRICS_WINDOW_SECONDS / 60} minutes. Try the model below to see traffic here.
          </p>
        ) : (
          <div className="grid-2">
            <TimeChart title="Requests per second" unit="req/s" {...rps} />
            <TimeChart title="Latency p95" unit="ms" {...latency} />
            <TimeChart title="Error rate" unit="%" {...errors} />
          </div>
        )}
      </div>
    </section>
  );
}
