'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { projectPath } from '@/components/shell/nav-items';
import { formatDate, formatDuration, formatPercent } from '@/components/ui/format';
import { ProgressBar } from '@/components/ui/progress-bar';
import { StatusBadge } from '@/components/ui/status-badge';
import { request } from '@/lib/client/graphql';
import { ApiRequestError } from '@/lib/graphql-errors';
import { RunCharts, type LiveMetricsTick, type OverlayCandidate } from './run-charts';
import { CancelRunMutation, RetryRunMutation } from './run-queries';
import { useLiveRun, type LiveRun } from './use-live-run';
import styles from './run.module.css';

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

export interface RunViewProps {
  project: string;
  canWrite: boolean;
  run: LiveRun & { name: string; kind: string; metricKeys: string[] };
  candidates: OverlayCandidate[];
  initialSeries: Parameters<typeof RunCharts>[0]['initial'];
}

/** Seconds left until `eta`, ticking locally between the server's updates. */
function useCountdown(eta: string | null | undefined, fallback: number | null | undefined): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (!eta) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [eta]);
  if (eta && now !== null) return Math.max(0, (Date.parse(eta) - now) / 1000);
  return fallback ?? null;
}

function etaText(run: LiveRun, remaining: number | null): string {
  if (run.status === 'QUEUED') return 'queued';
  if (run.status !== 'RUNNING') return '—';
  // While its worker is lost or it was handed back, the run waits for another worker: no ETA.
  if (run.lease && run.lease.state !== 'ACTIVE') return 'waiting for a worker';
  return formatDuration(remaining);
}

export function RunView(props: RunViewProps) {
  const router = useRouter();
  const [run, setRun] = useState(props.run);
  const [liveMetrics, setLiveMetrics] = useState<LiveMetricsTick>({ tick: 0, latest: [] });
  const [metricKeys, setMetricKeys] = useState(props.run.metricKeys);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const live = !TERMINAL.has(run.status);

  useLiveRun(props.run.id, live, {
    onRun: (update) => {
      setRun((previous) => ({ ...previous, ...update }));
      // The evaluation and version sections are server-rendered: refresh them when the run ends.
      if (TERMINAL.has(update.status)) {
        setLiveMetrics((previous) => ({ tick: previous.tick + 1, latest: [] }));
        router.refresh();
      }
    },
    onMetrics: (event) => {
      setMetricKeys((keys) => {
        const added = event.latest.map((point) => point.key).filter((key) => !keys.includes(key));
        return added.length ? [...keys, ...added].sort() : keys;
      });
      setLiveMetrics((previous) => ({ tick: previous.tick + 1, latest: event.latest }));
    },
    onFailure: (message) => setNotice(`Live updates stopped: ${message}`),
  });

  const remaining = useCountdown(run.status === 'RUNNING' ? run.eta : null, run.etaSeconds);

  async function act(action: 'cancel' | 'retry') {
    setPending(true);
    setNotice(null);
    try {
      if (action === 'cancel') {
        const result = await request(CancelRunMutation, { id: run.id });
        setRun((previous) => ({ ...previous, ...result.cancelRun }));
      } else {
        const result = await request(RetryRunMutation, { id: run.id });
        setRun((previous) => ({ ...previous, ...result.retryRun }));
      }
      router.refresh();
    } catch (caught) {
      setNotice(caught instanceof ApiRequestError ? caught.message : `Could not ${action} the run`);
    } finally {
      setPending(false);
    }
  }

  const training = props.run.kind === 'TRAINING';
  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <div className="breadcrumbs">
            <Link href={projectPath(props.project, 'runs')}>Runs</Link> /
          </div>
          <h1>{props.run.name}</h1>
          <p className="row" style={{ gap: 8 }}>
            <span data-testid="run-status">
              <StatusBadge status={run.status} />
            </span>
            {run.cancelRequested && !TERMINAL.has(run.status) ? (
              <span className="badge badge-warning">Cancelling…</span>
            ) : null}
            {run.status === 'RUNNING' && run.lease?.state === 'LOST' ? (
              <span
                className="badge badge-warning"
                data-testid="run-lease"
                title="Another worker resumes it from its last checkpoint"
              >
                Worker lost, waiting to resume
              </span>
            ) : null}
            {run.status === 'RUNNING' && run.lease?.state === 'RELEASED' ? (
              <span
                className="badge badge-warning"
                data-testid="run-lease"
                title="Another worker resumes it from its last checkpoint"
              >
                Handed back, waiting to resume
              </span>
            ) : null}
            {live ? <span className="muted">live</span> : null}
            {run.modelVersion ? (
              <Link href={projectPath(props.project, 'models', run.modelVersion.model.name)}>
                Registered {run.modelVersion.model.name} v{run.modelVersion.number}
              </Link>
            ) : null}
          </p>
        </div>
        {props.canWrite && training ? (
          <div className="row">
            {(run.status === 'QUEUED' || run.status === 'RUNNING') && !run.cancelRequested ? (
              <button type="button" className="btn btn-danger" onClick={() => void act('cancel')} disabled={pending}>
                Cancel run
              </button>
            ) : null}
            {run.status === 'FAILED' || run.status === 'CANCELLED' ? (
              <button type="button" className="btn btn-primary" onClick={() => void act('retry')} disabled={pending}>
                Retry from checkpoint
              </button>
            ) : null}
          </div>
        ) : null}
      </div>

      {notice ? (
        <p className="form-error" role="alert">
          {notice}
        </p>
      ) : null}
      {run.error ? (
        <div className="form-error" role="alert">
          <strong>Error:</strong> <span className="prewrap">{run.error}</span>
        </div>
      ) : null}

      {training ? (
        <section className={`card ${styles.progressCard}`} aria-label="Progress">
          <div className={styles.progressRow}>
            <div style={{ flex: 1 }}>
              <ProgressBar value={run.progress} label="Training progress" />
            </div>
            <strong className="mono">{formatPercent(run.progress)}</strong>
          </div>
          <dl className={styles.facts}>
            <div>
              <dt>ETA</dt>
              <dd>{etaText(run, remaining)}</dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>{formatDate(run.startedAt)}</dd>
            </div>
            <div>
              <dt>Ended</dt>
              <dd>{formatDate(run.endedAt)}</dd>
            </div>
            <div>
              <dt>Backend</dt>
              <dd>{run.backend ?? '—'}</dd>
            </div>
            <div>
              <dt>Attempt</dt>
              <dd>{run.attempt}</dd>
            </div>
            <div>
              <dt>Worker</dt>
              <dd className="mono" style={{ overflowWrap: 'anywhere' }}>
                {run.workerId ?? '—'}
              </dd>
            </div>
          </dl>
        </section>
      ) : null}

      <RunCharts
        runId={props.run.id}
        runName={props.run.name}
        metricKeys={metricKeys}
        candidates={props.candidates}
        live={liveMetrics}
        initial={props.initialSeries}
      />
    </div>
  );
}
