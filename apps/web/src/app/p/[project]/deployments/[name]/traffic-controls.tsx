'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { request } from '@/lib/client/graphql';
import type { FieldErrors } from '@/lib/forms/fields';
import { validateCanary } from '@/lib/forms/try-it-form';
import { ApiRequestError } from '@/lib/graphql-errors';
import { PromoteCanaryMutation, RollbackDeploymentMutation, SetCanaryMutation } from './deployment-queries';

interface TrafficControlsProps {
  name: string;
  stableVersion: number;
  /** READY versions of the model, newest first. */
  versions: number[];
  canary: { version: number; weight: number } | null;
  /** Earlier stable revisions a rollback can return to. */
  previousRevisions: { number: number; version: number }[];
}

/** Canary weight slider, promote and rollback (EDITOR or ADMIN; the API enforces it). */
export function TrafficControls(props: TrafficControlsProps) {
  const router = useRouter();
  const candidates = props.versions.filter((version) => version !== props.stableVersion);
  const [version, setVersion] = useState(String(props.canary?.version ?? candidates[0] ?? ''));
  const [weight, setWeight] = useState(String(props.canary?.weight ?? 10));
  const [automatic, setAutomatic] = useState(false);
  const [toRevision, setToRevision] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function run(label: string, action: () => Promise<string>) {
    setPending(label);
    setDone(null);
    try {
      setDone(await action());
      setErrors({});
      router.refresh();
    } catch (caught) {
      setErrors({ form: caught instanceof ApiRequestError ? caught.message : `${label} failed` });
    } finally {
      setPending(null);
    }
  }

  async function submitCanary(event: FormEvent) {
    event.preventDefault();
    const problems = validateCanary({ version, weight, stableVersion: props.stableVersion });
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    await run('Setting the canary', async () => {
      await request(SetCanaryMutation, {
        name: props.name,
        version: Number(version),
        weight: Number(weight),
        analysis: automatic ? {} : null,
      });
      return `v${version} now gets ${weight}% of requests${automatic ? ', judged by automatic analysis' : ''}.`;
    });
  }

  const promote = () =>
    run('Promoting', async () => {
      const result = await request(PromoteCanaryMutation, { name: props.name });
      return `Revision ${result.promoteCanary.currentRevision.number} is now stable.`;
    });

  const rollback = () =>
    run('Rolling back', async () => {
      const result = await request(RollbackDeploymentMutation, {
        name: props.name,
        toRevision: toRevision ? Number(toRevision) : null,
      });
      return props.canary && !toRevision
        ? 'The canary was dropped.'
        : `Revision ${result.rollbackDeployment.currentRevision.number} is now stable.`;
    });

  const invalid = (field: string) => ({
    'aria-invalid': errors[field] ? true : undefined,
    'aria-describedby': errors[field] ? `canary-${field}-error` : undefined,
  });
  const fieldError = (field: string) =>
    errors[field] ? (
      <span id={`canary-${field}-error`} className="error">
        {errors[field]}
      </span>
    ) : null;

  return (
    <div className="stack" style={{ gap: 16 }}>
      <form onSubmit={submitCanary} aria-label="Canary" noValidate className="stack" style={{ gap: 12 }}>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="canary-version">Canary version</label>
            <select
              id="canary-version"
              value={version}
              onChange={(event) => setVersion(event.target.value)}
              {...invalid('version')}
            >
              {candidates.length === 0 ? <option value="">No other READY version</option> : null}
              {candidates.map((number) => (
                <option key={number} value={number}>
                  v{number}
                </option>
              ))}
            </select>
            {fieldError('version')}
          </div>
          <div className="field">
            <label htmlFor="canary-weight">Canary weight: {weight || 0}%</label>
            <input
              id="canary-weight"
              type="range"
              min={0}
              max={100}
              step={1}
              value={weight}
              onChange={(event) => setWeight(event.target.value)}
              aria-valuetext={`${weight}% of requests`}
              {...invalid('weight')}
            />
            <input
              aria-label="Canary weight in percent"
              type="number"
              min={0}
              max={100}
              step={1}
              value={weight}
              onChange={(event) => setWeight(event.target.value)}
              style={{ width: 90 }}
              {...invalid('weight')}
            />
            {fieldError('weight')}
          </div>
          <div className="field">
            <span className="label">Analysis</span>
            <label>
              <input type="checkbox" checked={automatic} onChange={(event) => setAutomatic(event.target.checked)} />{' '}
              Promote or roll back automatically (API defaults)
            </label>
          </div>
        </div>
        <div className="row">
          <button type="submit" className="btn btn-primary" disabled={pending !== null || candidates.length === 0}>
            {props.canary ? 'Update canary' : 'Start canary'}
          </button>
          {props.canary ? (
            <button type="button" className="btn" onClick={promote} disabled={pending !== null}>
              Promote canary
            </button>
          ) : null}
        </div>
      </form>
      <div className="row" role="group" aria-label="Rollback">
        <label htmlFor="rollback-to">Roll back to</label>
        <select id="rollback-to" value={toRevision} onChange={(event) => setToRevision(event.target.value)}>
          <option value="">{props.canary ? 'drop the canary' : 'the previous stable revision'}</option>
          {props.previousRevisions.map((revision) => (
            <option key={revision.number} value={revision.number}>
              revision {revision.number} (v{revision.version})
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn btn-danger"
          onClick={rollback}
          disabled={pending !== null || (!props.canary && props.previousRevisions.length === 0)}
        >
          Roll back
        </button>
      </div>
      <div aria-live="polite">
        {pending ? <p className="muted">{pending}…</p> : null}
        {done ? <p className="text-success">{done}</p> : null}
        {errors['form'] ? (
          <p className="form-error" role="alert">
            {errors['form']}
          </p>
        ) : null}
      </div>
    </div>
  );
}
