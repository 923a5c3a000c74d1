'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { projectPath } from '@/components/shell/nav-items';
import { graphql } from '@/graphql/generated';
import { request } from '@/lib/client/graphql';
import type { FieldErrors } from '@/lib/forms/fields';
import { checkDeploymentName } from '@/lib/forms/try-it-form';
import { ApiRequestError } from '@/lib/graphql-errors';

const CreateDeploymentMutation = graphql(`
  mutation CreateDeployment($input: CreateDeploymentInput!) {
    createDeployment(input: $input) {
      id
      name
    }
  }
`);

/** A name the API accepts, from the model's name: lowercase, other characters as '-'. */
export function suggestedDeploymentName(model: string): string {
  return (
    model
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63)
      .replace(/-+$/, '') || 'deployment'
  );
}

/** "Deploy": serves a READY version under a new deployment name, then opens its page. */
export function DeployForm({ project, model, versions }: { project: string; model: string; versions: number[] }) {
  const router = useRouter();
  const [version, setVersion] = useState(String(versions[0] ?? ''));
  const [name, setName] = useState(suggestedDeploymentName(model));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const nameError = checkDeploymentName(name);
    setErrors(nameError ? { name: nameError } : {});
    if (nameError) return;
    setPending(true);
    try {
      const result = await request(CreateDeploymentMutation, {
        input: { project, name, model, version: Number(version) },
      });
      router.push(projectPath(project, 'deployments', result.createDeployment.name));
    } catch (caught) {
      const message = caught instanceof ApiRequestError ? caught.message : 'The deployment could not be created';
      setErrors(caught instanceof ApiRequestError && caught.field === 'name' ? { name: message } : { form: message });
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label="Deploy a version" noValidate className="stack" style={{ gap: 12 }}>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="deploy-version">Version</label>
          <select id="deploy-version" value={version} onChange={(event) => setVersion(event.target.value)}>
            {versions.map((number) => (
              <option key={number} value={number}>
                v{number}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="deploy-name">Deployment name</label>
          <input
            id="deploy-name"
            type="text"
            value={name}
            onChange={(event) => setName(event.target.value)}
            aria-invalid={errors['name'] ? true : undefined}
            aria-describedby={errors['name'] ? 'deploy-name-error' : 'deploy-name-hint'}
          />
          <span id="deploy-name-hint" className="hint">
            Unique across projects; the serving URL carries it.
          </span>
          {errors['name'] ? (
            <span id="deploy-name-error" className="error">
              {errors['name']}
            </span>
          ) : null}
        </div>
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={pending || versions.length === 0}>
          {pending ? 'Deploying…' : 'Deploy'}
        </button>
      </div>
      {errors['form'] ? (
        <p className="form-error" role="alert">
          {errors['form']}
        </p>
      ) : null}
    </form>
  );
}
