'use client';

/** Any page of a project that failed to load: say so, offer a retry; details stay in the server log. */
export default function ProjectError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="card" role="alert">
      <div className="state">
        <h2>This page could not be loaded</h2>
        <p>The Lepton API did not answer as expected. Check that it is running, then try again.</p>
        {error.digest ? <p className="muted mono">Reference: {error.digest}</p> : null}
        <button type="button" className="btn btn-primary" onClick={reset}>
          Try again
        </button>
      </div>
    </div>
  );
}
