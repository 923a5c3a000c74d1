import type { Metadata } from 'next';
import Link from 'next/link';
import { projectPath } from '@/components/shell/nav-items';
import { formatBytes, formatCount, formatDate } from '@/components/ui/format';
import { Pager } from '@/components/ui/pager';
import { EmptyState } from '@/components/ui/states';
import { graphql } from '@/graphql/generated';
import { projectParam, single, type SearchParams } from '@/lib/page-params';
import { canWrite, serverQuery } from '@/lib/server/api';

export const metadata: Metadata = { title: 'Datasets' };

const DatasetListQuery = graphql(`
  query DatasetList($project: String!, $after: String, $filter: DatasetFilter) {
    datasets(project: $project, first: 25, after: $after, filter: $filter) {
      edges {
        node {
          id
          name
          description
          tags
          versionCount
          updatedAt
          latestVersion {
            number
            exampleCount
            sizeBytes
            createdAt
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export default async function DatasetsPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string }>;
  searchParams: SearchParams;
}) {
  const project = await projectParam(params);
  const search = await searchParams;
  const q = single(search['q'])?.trim() || undefined;
  const after = single(search['after']) || undefined;
  const [data, writer] = await Promise.all([
    serverQuery(DatasetListQuery, { project, after, filter: q ? { nameContains: q } : null }),
    canWrite(project),
  ]);
  const datasets = data.datasets.edges.map(({ node }) => node);
  const base = projectPath(project, 'datasets');

  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>Datasets</h1>
          <p>Imported, content-hashed dataset versions with their splits and fitted preprocessing.</p>
        </div>
        {writer ? (
          <Link className="btn btn-primary" href={projectPath(project, 'datasets', 'import')}>
            Upload &amp; import
          </Link>
        ) : null}
      </div>
      <form method="get" action={base} className="row" role="search">
        <label htmlFor="dataset-search" className="visually-hidden">
          Search datasets by name
        </label>
        <input
          id="dataset-search"
          type="search"
          name="q"
          defaultValue={q}
          placeholder="Search by name"
          style={{ minWidth: 280 }}
        />
        <button type="submit" className="btn">
          Search
        </button>
      </form>
      <section className="card" aria-label="Datasets">
        {datasets.length === 0 ? (
          <EmptyState
            title={q ? `No dataset matches “${q}”` : 'No dataset yet'}
            action={
              !q && writer ? { href: projectPath(project, 'datasets', 'import'), label: 'Upload & import' } : undefined
            }
          >
            {q
              ? 'Try another part of the name.'
              : 'Upload a CSV, MNIST IDX, CIFAR-10 or image-folder archive to create one.'}
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Latest version</th>
                  <th scope="col" className="num">
                    Examples
                  </th>
                  <th scope="col" className="num">
                    Size
                  </th>
                  <th scope="col" className="num">
                    Versions
                  </th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {datasets.map((dataset) => (
                  <tr key={dataset.id}>
                    <td>
                      <Link href={projectPath(project, 'datasets', dataset.name)}>{dataset.name}</Link>
                      {dataset.description ? <div className="muted prewrap">{dataset.description}</div> : null}
                      {dataset.tags.length > 0 ? (
                        <div className="row" style={{ gap: 4 }}>
                          {dataset.tags.map((tag) => (
                            <span key={tag} className="tag">
                              {tag}
                            </span>
                          ))}
                        </div>
                      ) : null}
                    </td>
                    <td>
                      {dataset.latestVersion ? (
                        <Link
                          href={projectPath(
                            project,
                            'datasets',
                            dataset.name,
                            'versions',
                            dataset.latestVersion.number,
                          )}
                        >
                          v{dataset.latestVersion.number}
                        </Link>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td className="num">
                      {dataset.latestVersion ? formatCount(dataset.latestVersion.exampleCount) : '—'}
                    </td>
                    <td className="num">
                      {dataset.latestVersion ? formatBytes(dataset.latestVersion.sizeBytes) : '—'}
                    </td>
                    <td className="num">{dataset.versionCount}</td>
                    <td>{formatDate(dataset.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager basePath={base} query={{ q, after }} pageInfo={data.datasets.pageInfo} />
      </section>
    </div>
  );
}
