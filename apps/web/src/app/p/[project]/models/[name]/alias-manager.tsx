'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { graphql } from '@/graphql/generated';
import { request } from '@/lib/client/graphql';
import { ApiRequestError } from '@/lib/graphql-errors';

const SetModelAliasMutation = graphql(`
  mutation SetModelAlias($project: String!, $model: String!, $alias: String!, $version: Int!) {
    setModelAlias(project: $project, model: $model, alias: $alias, version: $version) {
      alias
      version {
        number
      }
    }
  }
`);

/** Same rule as the API (which enforces it); checked here to answer before a round trip. */
const ALIAS = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

interface AliasManagerProps {
  project: string;
  model: string;
  aliases: { alias: string; version: number }[];
  versions: number[];
}

/** Alias chips with "move alias": points an alias (existing or new) at a version in one atomic call. */
export function AliasManager({ project, model, aliases, versions }: AliasManagerProps) {
  const router = useRouter();
  const [alias, setAlias] = useState(aliases[0]?.alias ?? '');
  const [version, setVersion] = useState(String(versions[0] ?? ''));
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    if (!ALIAS.test(alias)) {
      setError('An alias starts with a letter, then letters, digits, _ or - (at most 64)');
      return;
    }
    if (alias === 'latest') {
      setError('“latest” is reserved: it always means the newest ready version');
      return;
    }
    setError(null);
    setPending(true);
    try {
      const result = await request(SetModelAliasMutation, { project, model, alias, version: Number(version) });
      setDone(`${result.setModelAlias.alias} now points at v${result.setModelAlias.version.number}`);
      router.refresh();
    } catch (caught) {
      setError(caught instanceof ApiRequestError ? caught.message : 'The alias could not be moved');
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="stack" style={{ gap: 12 }} aria-label="Move alias" noValidate>
      <div className="row">
        <div className="field">
          <label htmlFor="alias-name">Alias</label>
          <input
            id="alias-name"
            type="text"
            list="alias-options"
            value={alias}
            onChange={(event) => setAlias(event.target.value)}
            placeholder="champion"
            aria-invalid={error ? true : undefined}
            aria-describedby="alias-feedback"
          />
          <datalist id="alias-options">
            {aliases.map((entry) => (
              <option key={entry.alias} value={entry.alias} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="alias-version">Version</label>
          <select id="alias-version" value={version} onChange={(event) => setVersion(event.target.value)}>
            {versions.map((number) => (
              <option key={number} value={number}>
                v{number}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <span className="label" aria-hidden="true">
            &nbsp;
          </span>
          <button type="submit" className="btn btn-primary" disabled={pending || versions.length === 0}>
            {pending ? 'Moving…' : 'Move alias'}
          </button>
        </div>
      </div>
      <div id="alias-feedback" aria-live="polite">
        {error ? <p className="form-error">{error}</p> : null}
        {done ? <p className="text-success">{done}</p> : null}
      </div>
    </form>
  );
}
