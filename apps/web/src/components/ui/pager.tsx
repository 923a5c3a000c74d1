import Link from 'next/link';

/** Relay paging by URL: `after` is the cursor, so any page can be shared. */
export function Pager({
  basePath,
  query,
  pageInfo,
}: {
  basePath: string;
  query: Record<string, string | undefined>;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}) {
  const first = Object.entries(query).filter(
    (entry): entry is [string, string] => Boolean(entry[1]) && entry[0] !== 'after',
  );
  const isFirstPage = !query['after'];
  if (isFirstPage && !pageInfo.hasNextPage) return null;
  const next = new URLSearchParams([...first, ['after', pageInfo.endCursor ?? '']]);
  return (
    <nav className="row" aria-label="Pages" style={{ justifyContent: 'flex-end', padding: '12px 16px' }}>
      {!isFirstPage ? (
        <Link className="btn btn-small" href={`${basePath}?${new URLSearchParams(first).toString()}`}>
          First page
        </Link>
      ) : null}
      {pageInfo.hasNextPage && pageInfo.endCursor ? (
        <Link className="btn btn-small" href={`${basePath}?${next.toString()}`}>
          Next page
        </Link>
      ) : null}
    </nav>
  );
}
