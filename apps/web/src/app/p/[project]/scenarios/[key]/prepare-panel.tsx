'use client';

import { useState, useSyncExternalStore } from 'react';
import { formatDate, formatDuration } from '@/components/ui/format';
import { ProgressBar } from '@/components/ui/progress-bar';
import type { ScenarioKey, ScenarioProgressFragment } from '@/graphql/generated/graphql';
import { request } from '@/lib/client/graphql';
import { ApiRequestError } from '@/lib/graphql-errors';
import { PrepareScenarioMutation } from './scenario-queries';

const STEP_LABELS: Record<string, string> = {
  IMPORT: 'Import the data set',
  TRAIN: 'Train',
  EVALUATE: 'Evaluate on the test split',
  DEPLOY: 'Deploy',
};

const STATE_BADGE: Record<string, string> = {
  READY: 'badge-success',
  PREPARING: 'badge-info',
  FAILED: 'badge-danger',
  NOT_PREPARED: '',
  DONE: 'badge-success',
  RUNNING: 'badge-info',
  PENDING: '',
};

export function StateBadge({ state, testId }: { state: string; testId?: string }) {
  return (
    <span className={`badge ${STATE_BADGE[state] ?? ''}`} data-testid={testId}>
      {state.replace('_', ' ').toLowerCase()}
    </span>
  );
}

const noSubscription = () => () => undefined;

/** One button for the whole chain; each demo's steps with live progress and, while training, the run's ETA. */
export function PreparePanel(props: {
  project: string;
  scenarioKey: ScenarioKey;
  progress: ScenarioProgressFragment;
  titles: Record<string, string>;
  canWrite: boolean;
  onProgress: (progress: ScenarioProgressFragment) => void;
  liveError: string | null;
}) {
  const { progress } = props;
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const busy = progress.state === 'PREPARING';
  // The server-rendered button does nothing until React has hydrated it: it stays disabled until then.
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

  async function prepare() {
    setPending(true);
    setError(null);
    try {
      const result = await request(PrepareScenarioMutation, { project: props.project, key: props.scenarioKey });
      props.onProgress(result.prepareScenario);
    } catch (caught) {
      setError(caught instanceof ApiRequestError ? caught.message : 'Prepare could not start');
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="card" aria-labelledby="prepare-title">
      <div className="card-header">
        <h2 id="prepare-title">1. Prepare</h2>
        <StateBadge state={progress.state} testId="scenario-state" />
      </div>
      <div className="card-body stack">
        <p>
          Imports the data set (a dataset version like any other), trains with the default spec, evaluates on the test
          split and deploys the model. A second click reuses whatever exists and restarts a failed step.
        </p>
        <div className="row">
          <button
            type="button"
            className="btn btn-primary"
            onClick={prepare}
            disabled={!hydrated || !props.canWrite || pending || busy}
          >
            {progress.state === 'READY' ? 'Prepare again (reuses what exists)' : busy ? 'Preparing…' : 'Prepare'}
          </button>
          {progress.state === 'READY' && progress.preparedAt ? (
            <span className="muted">Ready since {formatDate(progress.preparedAt)}.</span>
          ) : null}
          {!props.canWrite ? <span className="muted">Your role can follow Prepare but not start it.</span> : null}
        </div>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        {props.liveError ? (
          <p className="muted" role="status">
            Live updates stopped: {props.liveError}. Reload the page to see the latest state.
          </p>
        ) : null}
        {progress.demos.map((demo) => (
          <div key={demo.key} className="stack" style={{ gap: 8 }}>
            <h3 className="row" style={{ gap: 8 }}>
              {props.titles[demo.key] ?? demo.key}{' '}
              <StateBadge state={demo.state} testId={`prepare-${demo.key}-state`} />
            </h3>
            <ol className="stack" style={{ gap: 6, listStyle: 'none', padding: 0, margin: 0 }}>
              {demo.steps.map((step) => {
                const training = step.kind === 'TRAIN' && step.status === 'RUNNING' && demo.run;
                return (
                  <li
                    key={step.kind}
                    className="grid-2"
                    style={{ alignItems: 'center' }}
                    data-testid={`step-${demo.key}-${step.kind}`}
                  >
                    <div className="row" style={{ gap: 8 }}>
                      <StateBadge state={step.status} />
                      <span>{STEP_LABELS[step.kind] ?? step.kind}</span>
                      {training && demo.run!.etaSeconds !== null && demo.run!.etaSeconds !== undefined ? (
                        <span className="muted">ETA {formatDuration(demo.run!.etaSeconds)}</span>
                      ) : null}
                    </div>
                    <div className="stack" style={{ gap: 2 }}>
                      <ProgressBar
                        value={step.progress}
                        label={`${props.titles[demo.key] ?? demo.key}: ${STEP_LABELS[step.kind] ?? step.kind}`}
                      />
                      {step.message ? (
                        <span className={step.status === 'FAILED' ? 'text-danger' : 'muted'} style={{ fontSize: 13 }}>
                          {step.message}
                        </span>
                      ) : null}
                    </div>
                  </li>
                );
              })}
            </ol>
          </div>
        ))}
      </div>
    </section>
  );
}
