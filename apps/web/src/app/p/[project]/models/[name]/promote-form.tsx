'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { formatMetric, formatSigned } from '@/components/ui/format';
import { graphql } from '@/graphql/generated';
import type { PromoteModelVersionMutation } from '@/graphql/generated/graphql';
import { inputHints } from '@/graphql/generated/input-hints';
import { request } from '@/lib/client/graphql';
import { ApiRequestError } from '@/lib/graphql-errors';

const PromoteMutation = graphql(`
  mutation PromoteModelVersion(
    $project: String!
    $model: String!
    $version: Int!
    $alias: String!
    $policy: PromotionPolicyInput!
  ) {
    promoteModelVersion(project: $project, model: $model, version: $version, alias: $alias, policy: $policy) {
      promoted
      alias
      version
      previousVersion
      metric
      split
      candidateValue
      holderValue
      difference
      ciLow
      ciHigh
      confidence
      minDelta
      reason
      datasetVersion {
        number
        dataset {
          name
        }
      }
    }
  }
`);

type Decision = PromoteModelVersionMutation['promoteModelVersion'];
const POLICY = inputHints.PromotionPolicyInput;

interface PromoteFormProps {
  project: string;
  model: string;
  versions: number[];
  aliases: string[];
  metrics: string[];
}

/** "Promote with gate": the API moves the alias only if a paired bootstrap says the candidate is better. */
export function PromoteForm({ project, model, versions, aliases, metrics }: PromoteFormProps) {
  const router = useRouter();
  const [version, setVersion] = useState(String(versions[0] ?? ''));
  const [alias, setAlias] = useState(aliases[0] ?? 'champion');
  const [metric, setMetric] = useState(metrics[0] ?? 'accuracy');
  const [minDelta, setMinDelta] = useState(String(POLICY.minDelta.defaultValue));
  const [confidence, setConfidence] = useState(String(POLICY.confidence.defaultValue));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [decision, setDecision] = useState<Decision | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    const delta = Number(minDelta);
    const level = Number(confidence);
    if (minDelta.trim() === '' || !Number.isFinite(delta)) problems['minDelta'] = 'A number, e.g. 0 or 0.01';
    if (!(level > 0 && level < 1)) problems['confidence'] = 'Between 0 and 1, e.g. 0.95';
    if (!alias.trim()) problems['alias'] = 'Name the alias to promote to';
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setPending(true);
    setDecision(null);
    try {
      const result = await request(PromoteMutation, {
        project,
        model,
        version: Number(version),
        alias: alias.trim(),
        policy: { metric, minDelta: delta, confidence: level },
      });
      setDecision(result.promoteModelVersion);
      router.refresh();
    } catch (caught) {
      setErrors({ form: caught instanceof ApiRequestError ? caught.message : 'The promotion could not be decided' });
    } finally {
      setPending(false);
    }
  }

  const field = (name: string) => ({
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': errors[name] ? `promote-${name}-error` : undefined,
  });
  const fieldError = (name: string) =>
    errors[name] ? (
      <span id={`promote-${name}-error`} className="error">
        {errors[name]}
      </span>
    ) : null;

  return (
    <div className="stack" style={{ gap: 16 }}>
      <form onSubmit={submit} aria-label="Promote with gate" noValidate className="stack" style={{ gap: 12 }}>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="promote-version">Candidate</label>
            <select id="promote-version" value={version} onChange={(event) => setVersion(event.target.value)}>
              {versions.map((number) => (
                <option key={number} value={number}>
                  v{number}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="promote-alias">Alias</label>
            <input
              id="promote-alias"
              type="text"
              list="promote-alias-options"
              value={alias}
              onChange={(event) => setAlias(event.target.value)}
              {...field('alias')}
            />
            <datalist id="promote-alias-options">
              {aliases.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
            {fieldError('alias')}
          </div>
          <div className="field">
            <label htmlFor="promote-metric">Metric</label>
            <select id="promote-metric" value={metric} onChange={(event) => setMetric(event.target.value)}>
              {metrics.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="promote-min-delta">Minimum improvement</label>
            <input
              id="promote-min-delta"
              type="number"
              step="any"
              value={minDelta}
              onChange={(event) => setMinDelta(event.target.value)}
              {...field('minDelta')}
            />
            <span className="hint">{POLICY.minDelta.description}</span>
            {fieldError('minDelta')}
          </div>
          <div className="field">
            <label htmlFor="promote-confidence">Confidence</label>
            <input
              id="promote-confidence"
              type="number"
              step="0.01"
              min="0"
              max="1"
              value={confidence}
              onChange={(event) => setConfidence(event.target.value)}
              {...field('confidence')}
            />
            <span className="hint">{POLICY.confidence.description}</span>
            {fieldError('confidence')}
          </div>
        </div>
        <div className="row">
          <button type="submit" className="btn btn-primary" disabled={pending || versions.length === 0}>
            {pending ? 'Running the gate…' : 'Promote with gate'}
          </button>
        </div>
        {errors['form'] ? (
          <p className="form-error" role="alert">
            {errors['form']}
          </p>
        ) : null}
      </form>
      <div aria-live="polite">{decision ? <DecisionCard decision={decision} /> : null}</div>
    </div>
  );
}

function DecisionCard({ decision }: { decision: Decision }) {
  return (
    <div className="card" data-testid="promotion-decision">
      <div className="card-header">
        <h3>
          {decision.promoted ? (
            <span className="badge badge-success">Promoted</span>
          ) : (
            <span className="badge badge-warning">Not promoted</span>
          )}{' '}
          v{decision.version} → {decision.alias}
        </h3>
      </div>
      <div className="card-body">
        <p style={{ marginTop: 0 }}>{decision.reason}</p>
        <dl className="properties">
          <dt>Metric</dt>
          <dd>
            {decision.metric}
            {decision.split ? ` on the ${decision.split} split` : ''}
            {decision.datasetVersion
              ? ` of ${decision.datasetVersion.dataset.name} v${decision.datasetVersion.number}`
              : ''}
          </dd>
          <dt>Candidate v{decision.version}</dt>
          <dd>{formatMetric(decision.candidateValue)}</dd>
          <dt>Holder{decision.previousVersion ? ` v${decision.previousVersion}` : ''}</dt>
          <dd>
            {decision.previousVersion ? formatMetric(decision.holderValue) : 'none (the alias pointed at nothing)'}
          </dd>
          <dt>Difference</dt>
          <dd>{formatSigned(decision.difference)}</dd>
          <dt>{Math.round(decision.confidence * 100)}% interval</dt>
          <dd>
            {decision.ciLow !== null && decision.ciLow !== undefined
              ? `[${formatSigned(decision.ciLow)}, ${formatSigned(decision.ciHigh)}]`
              : '—'}
          </dd>
          <dt>Required improvement</dt>
          <dd>&gt; {formatMetric(decision.minDelta)}</dd>
        </dl>
      </div>
    </div>
  );
}
