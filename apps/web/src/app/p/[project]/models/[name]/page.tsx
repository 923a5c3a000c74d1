import type { Metadata } from 'next';
import Link from 'next/link';
import { projectPath } from '@/components/shell/nav-items';
import { formatDate, formatMetric, numericMetrics } from '@/components/ui/format';
import { EmptyState } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status-badge';
import { graphql } from '@/graphql/generated';
import { metricNames, primaryEvaluation } from '@/lib/metrics';
import { canWrite, serverQuery } from '@/lib/server/api';
import { AliasManager } from './alias-manager';
import { DeployForm } from './deploy-form';
import { PromoteForm } from './promote-form';

type Params = Promise<{ project: string; name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: decodeURIComponent((await params).name) };
}

const ModelDetailQuery = graphql(`
  query ModelDetail($project: String!, $name: String!) {
    model(project: $project, name: $name) {
      id
      name
      task
      description
      tags
      versionCount
      createdAt
      updatedAt
      aliases {
        alias
        updatedAt
        version {
          number
        }
      }
      versions(first: 100) {
        edges {
          node {
            id
            number
            status
            createdAt
            description
            tags
            aliases
            framework
            sourceRun {
              id
              name
              status
            }
            trainingDatasetVersion {
              id
              number
              dataset {
                name
              }
            }
            evaluations {
              split
              metrics
            }
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`);

export default async function ModelPage({ params }: { params: Params }) {
  const { project: rawProject, name: rawName } = await params;
  const project = decodeURIComponent(rawProject);
  const name = decodeURIComponent(rawName);
  const [data, writer] = await Promise.all([serverQuery(ModelDetailQuery, { project, name }), canWrite(project)]);
  const model = data.model;
  if (!model) {
    return (
      <div className="card">
        <EmptyState
          title={`No model named “${name}”`}
          action={{ href: projectPath(project, 'models'), label: 'All models' }}
        />
      </div>
    );
  }
  const versions = model.versions.edges.map(({ node }) => node);
  const columns = metricNames(versions.flatMap((version) => version.evaluations));
  const numbers = versions.map((version) => version.number);
  const deployable = versions.filter((version) => version.status === 'READY').map((version) => version.number);
  const evaluated = versions.filter((version) => version.evaluations.length > 0).map((version) => version.number);

  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <div className="breadcrumbs">
            <Link href={projectPath(project, 'models')}>Models</Link> /
          </div>
          <h1>{model.name}</h1>
          <p>
            {model.task || 'model'} · {model.versionCount} version{model.versionCount === 1 ? '' : 's'} · updated{' '}
            {formatDate(model.updatedAt)} ·{' '}
            <Link href={`${projectPath(project, 'runs')}?model=${encodeURIComponent(model.name)}`}>its runs</Link>
          </p>
        </div>
        {writer ? (
          <Link
            className="btn btn-primary"
            href={`${projectPath(project, 'train')}?model=${encodeURIComponent(model.name)}`}
          >
            Train a new version
          </Link>
        ) : null}
      </div>

      {model.description ? (
        <p className="prewrap" style={{ margin: 0 }}>
          {model.description}
        </p>
      ) : null}
      {model.tags.length > 0 ? (
        <div className="row" style={{ gap: 6 }}>
          {model.tags.map((tag) => (
            <span key={tag} className="tag">
              {tag}
            </span>
          ))}
        </div>
      ) : null}

      <section className="card" aria-labelledby="aliases-title">
        <div className="card-header">
          <h2 id="aliases-title">Aliases</h2>
        </div>
        <div className="card-body stack" style={{ gap: 16 }}>
          <div className="row" aria-label="Current aliases">
            {model.aliases.length === 0 ? <span className="muted">No alias yet.</span> : null}
            {model.aliases.map((alias) => (
              <span key={alias.alias} className="chip" title={`moved ${formatDate(alias.updatedAt)}`}>
                {alias.alias} → v{alias.version.number}
              </span>
            ))}
          </div>
          {writer && numbers.length > 0 ? (
            <AliasManager
              project={project}
              model={model.name}
              aliases={model.aliases.map((alias) => ({ alias: alias.alias, version: alias.version.number }))}
              versions={numbers}
            />
          ) : null}
        </div>
      </section>

      <section className="card" aria-labelledby="versions-title">
        <div className="card-header">
          <div>
            <h2 id="versions-title">Versions</h2>
            <span className="muted">Metrics from each version’s test-split evaluation</span>
          </div>
          {numbers.length >= 2 ? (
            <form
              method="get"
              action={projectPath(project, 'models', model.name, 'compare')}
              className="row"
              aria-label="Compare two versions"
            >
              <label htmlFor="compare-a" className="visually-hidden">
                First version
              </label>
              <select id="compare-a" name="a" defaultValue={numbers[1]}>
                {numbers.map((number) => (
                  <option key={number} value={number}>
                    v{number}
                  </option>
                ))}
              </select>
              <span aria-hidden="true">vs</span>
              <label htmlFor="compare-b" className="visually-hidden">
                Second version
              </label>
              <select id="compare-b" name="b" defaultValue={numbers[0]}>
                {numbers.map((number) => (
                  <option key={number} value={number}>
                    v{number}
                  </option>
                ))}
              </select>
              <button type="submit" className="btn btn-small">
                Compare
              </button>
            </form>
          ) : null}
        </div>
        {versions.length === 0 ? (
          <EmptyState title="No version yet">A successful training run registers the first version.</EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Status</th>
                  <th scope="col">Created</th>
                  <th scope="col">Run</th>
                  <th scope="col">Dataset</th>
                  {columns.map((metric) => (
                    <th key={metric} scope="col" className="num">
                      {metric}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {versions.map((version) => {
                  const evaluation = primaryEvaluation(version.evaluations);
                  const metrics = evaluation ? numericMetrics(evaluation.metrics) : {};
                  return (
                    <tr key={version.id}>
                      <td>
                        <strong>v{version.number}</strong>{' '}
                        {version.aliases.map((alias) => (
                          <span key={alias} className="chip">
                            {alias}
                          </span>
                        ))}
                        {version.description ? <div className="muted prewrap">{version.description}</div> : null}
                      </td>
                      <td>
                        <StatusBadge status={version.status} />
                      </td>
                      <td>{formatDate(version.createdAt)}</td>
                      <td>
                        {version.sourceRun ? (
                          <Link href={projectPath(project, 'runs', version.sourceRun.id)}>
                            {version.sourceRun.name}
                          </Link>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td>
                        {version.trainingDatasetVersion ? (
                          <Link
                            href={projectPath(
                              project,
                              'datasets',
                              version.trainingDatasetVersion.dataset.name,
                              'versions',
                              version.trainingDatasetVersion.number,
                            )}
                          >
                            {version.trainingDatasetVersion.dataset.name} v{version.trainingDatasetVersion.number}
                          </Link>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      {columns.map((metric) => (
                        <td key={metric} className="num">
                          {formatMetric(metrics[metric])}
                        </td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {writer && deployable.length > 0 ? (
        <section className="card" aria-labelledby="deploy-title">
          <div className="card-header">
            <h2 id="deploy-title">Deploy</h2>
            <span className="muted">Serve a READY version over HTTP</span>
          </div>
          <div className="card-body">
            <DeployForm project={project} model={model.name} versions={deployable} />
          </div>
        </section>
      ) : null}

      {writer && evaluated.length > 0 ? (
        <section className="card" aria-labelledby="promote-title">
          <div className="card-header">
            <h2 id="promote-title">Promote with gate</h2>
            <span className="muted">
              Paired bootstrap against the alias’s current version, same dataset version and split
            </span>
          </div>
          <div className="card-body">
            <PromoteForm
              project={project}
              model={model.name}
              versions={evaluated}
              aliases={model.aliases.map((alias) => alias.alias)}
              metrics={columns.length > 0 ? columns : ['accuracy']}
            />
          </div>
        </section>
      ) : null}
    </div>
  );
}
