'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const token = String(new FormData(event.currentTarget).get('token') ?? '').trim();
    if (!token) {
      setError('Paste an API token');
      return;
    }
    setPending(true);
    setError(null);
    try {
      // The route handler checks the token and keeps it in an httpOnly cookie; this page never stores it.
      const response = await fetch('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { error?: string };
        setError(body.error ?? `Sign-in failed (${response.status})`);
        return;
      }
      router.replace(next);
      router.refresh();
    } catch {
      setError('The dashboard did not answer');
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="stack" style={{ gap: 16 }} noValidate>
      <div className="field">
        <label htmlFor="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="lep_…"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'token-error' : undefined}
          autoFocus
        />
        {error ? (
          <span id="token-error" className="error" role="alert">
            {error}
          </span>
        ) : null}
      </div>
      <button type="submit" className="btn btn-primary" disabled={pending}>
        {pending ? 'Checking…' : 'Sign in'}
      </button>
    </form>
  );
}
