import type { Metadata } from 'next';
import Link from 'next/link';
import { projectPath } from '@/components/shell/nav-items';
import { formatBytes, formatCount, formatDate } from '@/components/ui/format';
import { EmptyState } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status-badge';
import { graphql } from '@/graphql/generated';
import { summarizeDataset } from '@/lib/dataset-schema';
import { canWrite, serverQuery } from '@/lib/server/api';

type Params = Promise<{ project: string; name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: decodeURIComponent((await params).name) };
}

const DatasetDetailQuery = graphql(`
  query DatasetDetail($project: String!, $name: String!) {
    dataset(project: $project, name: $name) {
      id
      name
      description
      tags
      versionCount
      createdAt
      updatedAt
      versions(first: 100) {
        edges {
          node {
            id
            number
            status
            contentSha256
            exampleCount
            sizeBytes
            splits
            schema
            source
            createdAt
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`);

export default async function DatasetPage({ params }: { params: Params }) {
  const { project: rawProject, name: rawName } = await params;
  const project = decodeURIComponent(rawProject);
  const name = decodeURIComponent(rawName);
  const [{ dataset }, writer] = await Promise.all([
    serverQuery(DatasetDetailQuery, { project, name }),
    canWrite(project),
  ]);
  if (!dataset) {
    return (
      <div className="card">
        <EmptyState
          title={`No dataset named “${name}”`}
          action={{ href: projectPath(project, 'datasets'), label: 'All datasets' }}
        />
      </div>
    );
  }
  const versions = dataset.versions.edges.map(({ node }) => node);
  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <div className="breadcrumbs">
            <Link href={projectPath(project, 'datasets')}>Datasets</Link> /
          </div>
          <h1>{dataset.name}</h1>
          <p>
            {dataset.versionCount} version{dataset.versionCount === 1 ? '' : 's'} · created{' '}
            {formatDate(dataset.createdAt)}
          </p>
        </div>
        {writer ? (
          <Link
            className="btn btn-primary"
            href={`${projectPath(project, 'datasets', 'import')}?name=${encodeURIComponent(dataset.name)}`}
          >
            Import a new version
          </Link>
        ) : null}
      </div>
      {dataset.description ? (
        <p className="prewrap" style={{ margin: 0 }}>
          {dataset.description}
        </p>
      ) : null}
      <section className="card" aria-labelledby="dataset-versions-title">
        <div className="card-header">
          <h2 id="dataset-versions-title">Versions</h2>
        </div>
        {versions.length === 0 ? (
          <EmptyState title="No version yet" />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Format</th>
                  <th scope="col" className="num">
                    Examples
                  </th>
                  <th scope="col">Train / validation / test</th>
                  <th scope="col" className="num">
                    Size
                  </th>
                  <th scope="col">Content hash</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {versions.map((version) => {
                  const summary = summarizeDataset(version.schema, version.splits);
                  return (
                    <tr key={version.id}>
                      <td>
                        <Link href={projectPath(project, 'datasets', dataset.name, 'versions', version.number)}>
                          v{version.number}
                        </Link>
                      </td>
                      <td>{summary.format ?? '—'}</td>
                      <td className="num">{formatCount(version.exampleCount)}</td>
                      <td>
                        {summary.splits.length > 0
                          ? summary.splits.map((split) => formatCount(split.count)).join(' / ')
                          : '—'}
                      </td>
                      <td className="num">{formatBytes(version.sizeBytes)}</td>
                      <td>
                        {version.status === 'READY' ? (
                          <code title={version.contentSha256}>{version.contentSha256.slice(0, 12)}…</code>
                        ) : (
                          <StatusBadge status={version.status} />
                        )}
                      </td>
                      <td>{formatDate(version.createdAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
