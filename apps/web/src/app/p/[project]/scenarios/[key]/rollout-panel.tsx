'use client';

import { useState, type FormEvent } from 'react';
import { formatDate, formatDuration, formatMetric, numericMetrics } from '@/components/ui/format';
import { ProgressBar } from '@/components/ui/progress-bar';
import type { DemoDeploymentFragment, ScenarioKey, ScenarioProgressFragment } from '@/graphql/generated/graphql';
import { request } from '@/lib/client/graphql';
import { ApiRequestError } from '@/lib/graphql-errors';
import { retrainDefaults, validateRetrain, type RetrainValues } from '@/lib/scenarios/retrain-form';
import { StateBadge } from './prepare-panel';
import { RetrainScenarioDemoMutation } from './scenario-queries';
import type { Answer } from './serve-panels';

type Retraining = ScenarioProgressFragment['demos'][number]['retraining'];

const FIELDS: { name: keyof RetrainValues; label: string; hint?: string }[] = [
  { name: 'epochs', label: 'Epochs' },
  { name: 'learningRate', label: 'Learning rate', hint: 'Blank: the default' },
  { name: 'batchSize', label: 'Batch size', hint: 'Blank: the default' },
  { name: 'hiddenUnits', label: 'Hidden layers', hint: 'MLP layer sizes, e.g. 64, 32; blank keeps the demo’s' },
  { name: 'canaryWeight', label: 'Canary weight (%)', hint: 'The share of requests the new version answers at first' },
];

/** Retrain with other hyperparameters, roll out as a canary with automatic analysis, see who answered. */
export function RolloutPanel(props: {
  id: string;
  project: string;
  scenarioKey: ScenarioKey;
  demoKey: string;
  hyperparameters: unknown;
  spec: unknown;
  imageTask: boolean;
  retraining: Retraining;
  deployment: DemoDeploymentFragment | null;
  answers: Answer[];
  canWrite: boolean;
}) {
  const [values, setValues] = useState<RetrainValues>(() => retrainDefaults(props.hyperparameters, props.spec));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const retraining = props.retraining;
  const running = retraining?.state === 'PREPARING';

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const { errors: problems, input } = validateRetrain(values, props);
    setErrors(problems);
    if (!input) return;
    setPending(true);
    try {
      await request(RetrainScenarioDemoMutation, {
        project: props.project,
        key: props.scenarioKey,
        demo: props.demoKey,
        hyperparameters: input.hyperparameters,
        spec: input.spec ?? null,
        canaryWeight: input.canaryWeight,
      });
    } catch (caught) {
      setFormError(caught instanceof ApiRequestError ? caught.message : 'The retraining could not start');
    } finally {
      setPending(false);
    }
  }

  const deployment = props.deployment;
  const canary = deployment?.canary;
  const events = deployment?.events.edges.map((edge) => edge.node) ?? [];
  const fields = FIELDS.filter((field) => field.name !== 'hiddenUnits' || !props.imageTask);

  return (
    <div className="stack">
      {props.canWrite ? (
        <form onSubmit={submit} noValidate className="stack" aria-label="Retrain with other hyperparameters">
          <div className="form-grid">
            {fields.map((field) => {
              const id = `${props.id}-retrain-${field.name}`;
              const described = [field.hint ? `${id}-hint` : null, errors[field.name] ? `${id}-error` : null]
                .filter(Boolean)
                .join(' ');
              return (
                <div className="field" key={field.name}>
                  <label htmlFor={id}>{field.label}</label>
                  <input
                    id={id}
                    type="text"
                    inputMode={field.name === 'hiddenUnits' ? 'text' : 'decimal'}
                    value={values[field.name]}
                    onChange={(event) => setValues((previous) => ({ ...previous, [field.name]: event.target.value }))}
                    aria-invalid={errors[field.name] ? true : undefined}
                    aria-describedby={described || undefined}
                  />
                  {field.hint ? (
                    <span className="hint" id={`${id}-hint`}>
                      {field.hint}
                    </span>
                  ) : null}
                  {errors[field.name] ? (
                    <span className="error" id={`${id}-error`} role="alert">
                      {errors[field.name]}
                    </span>
                  ) : null}
                </div>
              );
            })}
          </div>
          <div className="row">
            <button type="submit" className="btn btn-primary" disabled={pending || running}>
              Retrain and roll out as a canary
            </button>
          </div>
          {formError ? (
            <p className="form-error" role="alert">
              {formError}
            </p>
          ) : null}
        </form>
      ) : (
        <p className="muted">Your role can follow rollouts but not retrain.</p>
      )}

      {retraining ? (
        <div className="stack" style={{ gap: 6 }} data-testid={`${props.id}-retraining`}>
          <div className="row" style={{ gap: 8 }}>
            <strong>Latest retraining</strong> <StateBadge state={retraining.state} />
            <span className="muted">started {formatDate(retraining.startedAt)}</span>
          </div>
          {retraining.run && retraining.state === 'PREPARING' ? (
            <div className="row" style={{ gap: 8 }}>
              <ProgressBar value={retraining.run.progress ?? 0} label="Retraining progress" />
              {retraining.run.etaSeconds !== null && retraining.run.etaSeconds !== undefined ? (
                <span className="muted">ETA {formatDuration(retraining.run.etaSeconds)}</span>
              ) : null}
            </div>
          ) : null}
          {retraining.message ? (
            <p className={retraining.state === 'FAILED' ? 'text-danger' : 'muted'}>{retraining.message}</p>
          ) : null}
          {retraining.modelVersion ? (
            <p>
              New version v{retraining.modelVersion.number}
              {retraining.evaluation
                ? `: AUC ${formatMetric(retraining.evaluation.auc)}, accuracy ${formatMetric(numericMetrics(retraining.evaluation.metrics)['accuracy'])} on the test split`
                : ''}
            </p>
          ) : null}
        </div>
      ) : null}

      {deployment ? (
        <div className="stack" style={{ gap: 8 }}>
          <div className="table-wrap">
            <table className="table" data-testid={`${props.id}-traffic`}>
              <caption>
                Traffic of deployment <span className="mono">{deployment.name}</span> ({deployment.status.toLowerCase()}
                )
              </caption>
              <thead>
                <tr>
                  <th scope="col">Revision</th>
                  <th scope="col">Model version</th>
                  <th scope="col" className="num">
                    Weight
                  </th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {deployment.traffic.map((split) => (
                  <tr key={split.revision.number}>
                    <td>
                      {split.revision.number}
                      {canary?.revision.number === split.revision.number ? ' (canary)' : ' (stable)'}
                    </td>
                    <td>v{split.modelVersion.number}</td>
                    <td className="num">{split.weight}%</td>
                    <td>{split.revision.state.toLowerCase()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {canary?.lastAnalysis ? (
            <p data-testid={`${props.id}-analysis`}>
              Automatic analysis {formatDate(canary.lastAnalysis.at)}:{' '}
              <strong>{canary.lastAnalysis.verdict.replace('_', ' ').toLowerCase()}</strong> —{' '}
              {canary.lastAnalysis.reason} ({canary.lastAnalysis.figures.canaryRequests} canary and{' '}
              {canary.lastAnalysis.figures.stableRequests} stable requests)
            </p>
          ) : canary ? (
            <p className="muted">The canary started {formatDate(canary.startedAt)}; the first analysis is pending.</p>
          ) : null}
          {events.length > 0 ? (
            <details>
              <summary>Recent deployment events</summary>
              <ul>
                {events.map((event) => (
                  <li key={event.id}>
                    <span className="muted">{formatDate(event.createdAt)}</span>{' '}
                    {event.kind.replace(/_/g, ' ').toLowerCase()}: {event.message}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </div>
      ) : null}

      <div className="table-wrap">
        <table className="table" data-testid={`${props.id}-answers`}>
          <caption>Which version answered your requests (latest first)</caption>
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              <th scope="col">Request</th>
              <th scope="col" className="num">
                Revision
              </th>
              <th scope="col">Model version</th>
              <th scope="col" className="num">
                Probability
              </th>
            </tr>
          </thead>
          <tbody>
            {props.answers.slice(0, 10).map((answer, index) => (
              <tr key={`${answer.at}-${index}`} data-revision={answer.revision}>
                <td>{answer.at.slice(11, 19)}</td>
                <td>{answer.source}</td>
                <td className="num">{answer.revision}</td>
                <td>v{answer.modelVersion}</td>
                <td className="num">{(answer.probability * 100).toFixed(1)}%</td>
              </tr>
            ))}
            {props.answers.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  No request yet: score something above.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}
