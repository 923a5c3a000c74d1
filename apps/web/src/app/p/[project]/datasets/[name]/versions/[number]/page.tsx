import type { Metadata } from 'next';
import Link from 'next/link';
import { projectPath } from '@/components/shell/nav-items';
import { formatBytes, formatCount, formatDate, formatMetric, formatPercent } from '@/components/ui/format';
import { AutoRefresh } from '@/components/ui/auto-refresh';
import { ProgressBar } from '@/components/ui/progress-bar';
import { EmptyState } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status-badge';
import { graphql } from '@/graphql/generated';
import { summarizeDataset } from '@/lib/dataset-schema';
import { canWrite, serverQuery } from '@/lib/server/api';

type Params = Promise<{ project: string; name: string; number: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { name, number } = await params;
  return { title: `${decodeURIComponent(name)} v${number}` };
}

const DatasetVersionQuery = graphql(`
  query DatasetVersionDetail($project: String!, $name: String!, $number: Int!) {
    dataset(project: $project, name: $name) {
      name
      version(number: $number) {
        id
        number
        status
        importProgress
        importError {
          message
          file
          line
          column
        }
        contentSha256
        sizeBytes
        exampleCount
        schema
        splits
        storageUri
        source
        description
        createdAt
        runs(first: 50) {
          edges {
            node {
              id
              name
              status
              createdAt
            }
          }
          pageInfo {
            hasNextPage
          }
        }
        modelVersions(first: 50) {
          edges {
            node {
              id
              number
              status
              model {
                name
              }
            }
          }
          pageInfo {
            hasNextPage
          }
        }
      }
    }
  }
`);

export default async function DatasetVersionPage({ params }: { params: Params }) {
  const { project: rawProject, name: rawName, number: rawNumber } = await params;
  const project = decodeURIComponent(rawProject);
  const name = decodeURIComponent(rawName);
  const number = /^\d{1,9}$/.test(rawNumber) ? Number(rawNumber) : 0;
  const [{ dataset }, writer] = await Promise.all([
    serverQuery(DatasetVersionQuery, { project, name, number }),
    canWrite(project),
  ]);
  const version = dataset?.version;
  if (!dataset || !version) {
    return (
      <div className="card">
        <EmptyState
          title={`No version ${rawNumber} of “${name}”`}
          action={{ href: projectPath(project, 'datasets', name), label: `Versions of ${name}` }}
        />
      </div>
    );
  }
  if (version.status !== 'READY') {
    const failure = version.importError;
    return (
      <div className="stack">
        <AutoRefresh active={version.status === 'IMPORTING'} seconds={1} />
        <div className="page-header">
          <div>
            <div className="breadcrumbs">
              <Link href={projectPath(project, 'datasets')}>Datasets</Link> /{' '}
              <Link href={projectPath(project, 'datasets', name)}>{name}</Link> /
            </div>
            <h1>
              {name} v{version.number} <StatusBadge status={version.status} />
            </h1>
            <p>Imported from {version.source} · {formatDate(version.createdAt)}</p>
          </div>
        </div>
        <section className="card" data-testid="import-status">
          {version.status === 'IMPORTING' ? (
            <div className="stack">
              <ProgressBar value={version.importProgress} label="Import progress" />
              <p className="muted">A worker is reading the upload; this page follows it.</p>
            </div>
          ) : (
            <div className="form-error" role="alert">
              <strong>The import failed:</strong> {failure?.message ?? 'no reason was recorded'}
              {failure?.line != null ? (
                <div className="mono">
                  at {[failure.file && `file ${failure.file}`, `line ${failure.line}`, failure.column && `column ${failure.column}`]
                    .filter(Boolean)
                    .join(', ')}
                </div>
              ) : null}
            </div>
          )}
        </section>
      </div>
    );
  }
  const summary = summarizeDataset(version.schema, version.splits);
  const largestClass = Math.max(1, ...summary.classCounts.map((entry) => entry.count));
  const totalLabelled = summary.classCounts.reduce((sum, entry) => sum + entry.count, 0);

  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <div className="breadcrumbs">
            <Link href={projectPath(project, 'datasets')}>Datasets</Link> /{' '}
            <Link href={projectPath(project, 'datasets', name)}>{name}</Link> /
          </div>
          <h1>
            {name} v{version.number}
          </h1>
          <p>
            {formatCount(version.exampleCount)} examples · {formatBytes(version.sizeBytes)} · imported{' '}
            {formatDate(version.createdAt)}
          </p>
        </div>
        {writer ? (
          <Link className="btn btn-primary" href={`${projectPath(project, 'train')}?datasetVersion=${version.id}`}>
            Train on this version
          </Link>
        ) : null}
      </div>

      <div className="grid-stats">
        {summary.splits.map((split) => (
          <div key={split.name} className="card stat">
            <div className="stat-label">{split.name} rows</div>
            <div className="stat-value">{formatCount(split.count)}</div>
            <div className="muted">
              {version.exampleCount > 0 ? formatPercent(split.count / version.exampleCount) : '—'} of the examples
            </div>
          </div>
        ))}
      </div>

      <div className="grid-2">
        <section className="card" aria-labelledby="lineage-title">
          <div className="card-header">
            <h2 id="lineage-title">Provenance</h2>
          </div>
          <div className="card-body">
            <dl className="properties">
              <dt>Content hash</dt>
              <dd>
                <code>{version.contentSha256}</code>
              </dd>
              <dt>Source</dt>
              <dd className="prewrap">{version.source || '—'}</dd>
              <dt>Format</dt>
              <dd>{summary.format ?? '—'}</dd>
              <dt>Kind</dt>
              <dd>
                {summary.kind ?? '—'}
                {summary.featureShape.length > 0 ? ` · feature shape [${summary.featureShape.join(', ')}]` : ''}
              </dd>
              <dt>Split seed</dt>
              <dd>{summary.seed ?? '—'} (stratified)</dd>
              <dt>Stored at</dt>
              <dd>
                <code>{version.storageUri}</code>
              </dd>
              <dt>Version id</dt>
              <dd>
                <code>{version.id}</code>
              </dd>
            </dl>
            {version.description ? <p className="prewrap">{version.description}</p> : null}
          </div>
        </section>

        <section className="card" aria-labelledby="balance-title">
          <div className="card-header">
            <h2 id="balance-title">Class balance</h2>
            {summary.label ? <span className="muted">label column: {summary.label}</span> : null}
          </div>
          {summary.classCounts.length === 0 ? (
            <EmptyState title="No class counts recorded" />
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Class</th>
                    <th scope="col" style={{ width: '55%' }}>
                      Share
                    </th>
                    <th scope="col" className="num">
                      Examples
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {summary.classCounts.map((entry) => (
                    <tr key={entry.name}>
                      <td className="prewrap">{entry.name}</td>
                      <td>
                        <div className="progress" aria-hidden="true" style={{ height: 12 }}>
                          <span style={{ width: `${(entry.count / largestClass) * 100}%` }} />
                        </div>
                      </td>
                      <td className="num">
                        {formatCount(entry.count)}{' '}
                        <span className="muted">({formatPercent(entry.count / Math.max(1, totalLabelled))})</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>

      <section className="card" aria-labelledby="used-by-title">
        <div className="card-header">
          <h2 id="used-by-title">Lineage</h2>
          <span className="muted">Runs that trained on this version and the model versions they produced</span>
        </div>
        <div className="card-body grid-2" data-testid="dataset-lineage">
          <div>
            <h3 style={{ marginTop: 0 }}>Runs</h3>
            {version.runs.edges.length === 0 ? (
              <p className="muted">No run has trained on this version yet.</p>
            ) : (
              <ul className="stack" style={{ gap: 6, margin: 0, paddingLeft: 18 }}>
                {version.runs.edges.map(({ node: run }) => (
                  <li key={run.id}>
                    <Link href={projectPath(project, 'runs', run.id)}>{run.name}</Link>{' '}
                    <StatusBadge status={run.status} /> <span className="muted">{formatDate(run.createdAt)}</span>
                  </li>
                ))}
                {version.runs.pageInfo.hasNextPage ? <li className="muted">… and more</li> : null}
              </ul>
            )}
          </div>
          <div>
            <h3 style={{ marginTop: 0 }}>Model versions</h3>
            {version.modelVersions.edges.length === 0 ? (
              <p className="muted">No model version was trained on this version yet.</p>
            ) : (
              <ul className="stack" style={{ gap: 6, margin: 0, paddingLeft: 18 }}>
                {version.modelVersions.edges.map(({ node: modelVersion }) => (
                  <li key={modelVersion.id}>
                    <Link href={projectPath(project, 'models', modelVersion.model.name)}>
                      {modelVersion.model.name} v{modelVersion.number}
                    </Link>{' '}
                    <StatusBadge status={modelVersion.status} />
                  </li>
                ))}
                {version.modelVersions.pageInfo.hasNextPage ? <li className="muted">… and more</li> : null}
              </ul>
            )}
          </div>
        </div>
      </section>

      <section className="card" aria-labelledby="features-title">
        <div className="card-header">
          <h2 id="features-title">Features</h2>
          <span className="muted">Mean and standard deviation fitted on the train split</span>
        </div>
        {summary.features.length === 0 ? (
          <EmptyState title="No feature schema recorded" />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Feature</th>
                  <th scope="col">Type</th>
                  <th scope="col" className="num">
                    Mean
                  </th>
                  <th scope="col" className="num">
                    Std
                  </th>
                  <th scope="col">Categories</th>
                </tr>
              </thead>
              <tbody>
                {summary.features.map((feature) => (
                  <tr key={feature.name}>
                    <td className="prewrap">{feature.name}</td>
                    <td>
                      <span className="tag">{feature.type}</span>
                    </td>
                    <td className="num">{formatMetric(feature.mean)}</td>
                    <td className="num">{formatMetric(feature.std)}</td>
                    <td>
                      {feature.categories ? (
                        <span className="row" style={{ gap: 4 }}>
                          {feature.categories.slice(0, 12).map((category) => (
                            <span key={category} className="tag">
                              {category}
                            </span>
                          ))}
                          {feature.categories.length > 12 ? (
                            <span className="muted">+{feature.categories.length - 12} more</span>
                          ) : null}
                        </span>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
