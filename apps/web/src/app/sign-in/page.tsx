import type { Metadata } from 'next';
import { SignInForm } from './sign-in-form';
import styles from './sign-in.module.css';

export const metadata: Metadata = { title: 'Sign in' };

/** Only same-site paths are followed after sign-in (never an absolute URL someone put in ?next=). */
function safeNext(value: string | string[] | undefined): string {
  const next = typeof value === 'string' ? value : '/';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  return (
    <main className={styles.page}>
      <div className={`card ${styles.panel}`}>
        <div className={styles.brand}>
          <span className={styles.logo} aria-hidden="true">
            λ
          </span>
          <h1>Sign in to Lepton</h1>
        </div>
        <p className="muted">
          Paste an API token. <code>npm start</code> prints the first admin token and saves it to{' '}
          <code>.data/admin-token</code>; admins create more with <code>createApiToken</code>.
        </p>
        {params['expired'] ? (
          <p className="form-error" role="alert">
            Your token is no longer accepted (revoked or unknown). Sign in again.
          </p>
        ) : null}
        <SignInForm next={safeNext(params['next'])} />
      </div>
    </main>
  );
}
