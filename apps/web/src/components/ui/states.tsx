import Link from 'next/link';
import type { ReactNode } from 'react';

export function EmptyState(props: {
  title: string;
  children?: ReactNode;
  action?: { href: string; label: string } | undefined;
}) {
  return (
    <div className="state" role="status">
      <h2>{props.title}</h2>
      {props.children ? <p>{props.children}</p> : null}
      {props.action ? (
        <Link className="btn btn-primary" href={props.action.href}>
          {props.action.label}
        </Link>
      ) : null}
    </div>
  );
}

/** Placeholder rows while a segment loads (used by the loading.tsx files). */
export function LoadingState({ title, rows = 6 }: { title: string; rows?: number }) {
  return (
    <div aria-busy="true" aria-live="polite">
      <div className="page-header">
        <div>
          <h1>{title}</h1>
          <p>Loading…</p>
        </div>
      </div>
      <div className="card">
        <div className="card-body stack" style={{ gap: 14 }}>
          {Array.from({ length: rows }, (_, index) => (
            <div key={index} className="skeleton" style={{ width: `${90 - ((index * 13) % 35)}%` }} />
          ))}
        </div>
      </div>
    </div>
  );
}
