import type { Metadata } from 'next';
import Link from 'next/link';
import { projectPath } from '@/components/shell/nav-items';
import { AutoRefresh } from '@/components/ui/auto-refresh';
import { formatDate, formatDuration, formatMetric, numericMetrics } from '@/components/ui/format';
import { ProgressBar } from '@/components/ui/progress-bar';
import { EmptyState } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status-badge';
import { graphql } from '@/graphql/generated';
import { canWrite, serverQuery } from '@/lib/server/api';
import { projectParam } from '@/lib/page-params';

export const metadata: Metadata = { title: 'Overview' };

const OverviewQuery = graphql(`
  query Overview($project: String!) {
    models(project: $project, first: 100) {
      edges {
        node {
          name
          versions(first: 5) {
            edges {
              node {
                number
                status
                createdAt
                aliases
                sourceRun {
                  id
                }
                evaluations {
                  split
                  metrics
                }
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
      }
    }
    datasets(project: $project, first: 100) {
      edges {
        node {
          name
          versionCount
        }
      }
      pageInfo {
        hasNextPage
      }
    }
    running: runs(project: $project, first: 20, filter: { status: RUNNING }) {
      edges {
        node {
          id
          name
          progress
          etaSeconds
          startedAt
          model {
            name
          }
        }
      }
    }
    queued: runs(project: $project, first: 100, filter: { status: QUEUED }) {
      edges {
        node {
          id
        }
      }
      pageInfo {
        hasNextPage
      }
    }
    deployments(project: $project, first: 10) {
      edges {
        node {
          name
          status
          model {
            name
          }
          traffic {
            weight
            modelVersion {
              number
            }
          }
        }
      }
    }
    recent: runs(project: $project, first: 100) {
      edges {
        node {
          id
          status
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

const countOf = (connection: { edges: unknown[]; pageInfo: { hasNextPage: boolean } }) =>
  `${connection.edges.length}${connection.pageInfo.hasNextPage ? '+' : ''}`;

export default async function OverviewPage({ params }: { params: Promise<{ project: string }> }) {
  const project = await projectParam(params);
  const [data, writer] = await Promise.all([serverQuery(OverviewQuery, { project }), canWrite(project)]);
  const versions = data.models.edges
    .flatMap(({ node: model }) => model.versions.edges.map(({ node }) => ({ ...node, model: model.name })))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, 8);
  const datasetVersions = data.datasets.edges.reduce((sum, { node }) => sum + node.versionCount, 0);
  const failed = data.recent.edges.filter(({ node }) => node.status === 'FAILED').length;
  const running = data.running.edges.map(({ node }) => node);
  const empty = data.models.edges.length === 0 && data.datasets.edges.length === 0 && data.recent.edges.length === 0;

  return (
    <div className="stack">
      <AutoRefresh active={running.length > 0 || data.queued.edges.length > 0} />
      <div className="page-header">
        <div>
          <h1>Overview</h1>
          <p>
            Project <strong>{project}</strong>
          </p>
        </div>
        {writer ? (
          <div className="row">
            <Link className="btn" href={projectPath(project, 'datasets', 'import')}>
              Import dataset
            </Link>
            <Link className="btn btn-primary" href={projectPath(project, 'train')}>
              Train a model
            </Link>
          </div>
        ) : null}
      </div>

      <section className="grid-stats" aria-label="Counts">
        <Stat label="Models" value={countOf(data.models)} href={projectPath(project, 'models')} />
        <Stat
          label="Datasets"
          value={countOf(data.datasets)}
          detail={`${datasetVersions} version${datasetVersions === 1 ? '' : 's'}`}
          href={projectPath(project, 'datasets')}
        />
        <Stat
          label="Running runs"
          value={String(running.length)}
          detail={`${countOf(data.queued)} queued`}
          href={`${projectPath(project, 'runs')}?status=RUNNING`}
        />
        <Stat
          label="Failed runs"
          value={String(failed)}
          detail={`of the last ${countOf(data.recent)}`}
          href={`${projectPath(project, 'runs')}?status=FAILED`}
        />
      </section>

      {empty ? (
        <div className="card">
          <EmptyState
            title="Nothing here yet"
            action={
              writer ? { href: projectPath(project, 'datasets', 'import'), label: 'Import a dataset' } : undefined
            }
          >
            Import a dataset, then train a model on it; runs, versions and evaluations appear here.
          </EmptyState>
        </div>
      ) : (
        <div className="grid-2">
          <section className="card" aria-labelledby="running-title">
            <div className="card-header">
              <h2 id="running-title">Running now</h2>
              <Link href={projectPath(project, 'runs')}>All runs</Link>
            </div>
            {running.length === 0 ? (
              <EmptyState title="No run in progress" />
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Run</th>
                      <th scope="col">Progress</th>
                      <th scope="col" className="num">
                        ETA
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {running.map((run) => (
                      <tr key={run.id}>
                        <td>
                          <Link href={projectPath(project, 'runs', run.id)}>{run.name}</Link>
                          {run.model ? <div className="muted">{run.model.name}</div> : null}
                        </td>
                        <td style={{ minWidth: 140 }}>
                          <ProgressBar value={run.progress} label={`Progress of ${run.name}`} />
                        </td>
                        <td className="num">{formatDuration(run.etaSeconds)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>

          <section className="card" aria-labelledby="versions-title">
            <div className="card-header">
              <h2 id="versions-title">Recent model versions</h2>
              <Link href={projectPath(project, 'models')}>All models</Link>
            </div>
            {versions.length === 0 ? (
              <EmptyState title="No model version yet">Train a model to register its first version.</EmptyState>
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Version</th>
                      <th scope="col">Status</th>
                      <th scope="col" className="num">
                        Accuracy
                      </th>
                      <th scope="col">Created</th>
                    </tr>
                  </thead>
                  <tbody>
                    {versions.map((version) => {
                      const test =
                        version.evaluations.find((evaluation) => evaluation.split === 'test') ?? version.evaluations[0];
                      return (
                        <tr key={`${version.model}-${version.number}`}>
                          <td>
                            <Link href={projectPath(project, 'models', version.model)}>
                              {version.model} v{version.number}
                            </Link>{' '}
                            {version.aliases.map((alias) => (
                              <span key={alias} className="chip">
                                {alias}
                              </span>
                            ))}
                          </td>
                          <td>
                            <StatusBadge status={version.status} />
                          </td>
                          <td className="num">
                            {formatMetric(test ? numericMetrics(test.metrics)['accuracy'] : null)}
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
      )}

      {data.deployments.edges.length > 0 ? (
        <section className="card" aria-labelledby="deployments-title">
          <div className="card-header">
            <h2 id="deployments-title">Active deployments</h2>
            <Link href={projectPath(project, 'deployments')}>All deployments</Link>
          </div>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Deployment</th>
                  <th scope="col">Status</th>
                  <th scope="col">Model</th>
                  <th scope="col">Traffic</th>
                </tr>
              </thead>
              <tbody>
                {data.deployments.edges.map(({ node: deployment }) => (
                  <tr key={deployment.name}>
                    <td>
                      <Link href={projectPath(project, 'deployments', deployment.name)}>{deployment.name}</Link>
                    </td>
                    <td>
                      <StatusBadge status={deployment.status} />
                    </td>
                    <td>{deployment.model.name}</td>
                    <td>
                      {deployment.traffic.map((split) => `v${split.modelVersion.number} ${split.weight}%`).join(' · ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </div>
  );
}

function Stat(props: { label: string; value: string; detail?: string; href: string }) {
  return (
    <Link href={props.href} className="card stat" style={{ color: 'inherit', textDecoration: 'none' }}>
      <div className="stat-label">{props.label}</div>
      <div className="stat-value">{props.value}</div>
      {props.detail ? <div className="muted">{props.detail}</div> : <div className="muted">&nbsp;</div>}
    </Link>
  );
}
