import type { Metadata } from 'next';
import Link from 'next/link';
import { projectPath } from '@/components/shell/nav-items';
import { formatDate, formatMetric } from '@/components/ui/format';
import { Pager } from '@/components/ui/pager';
import { EmptyState } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status-badge';
import { graphql } from '@/graphql/generated';
import { bestMetric } from '@/lib/metrics';
import { projectParam, single, type SearchParams } from '@/lib/page-params';
import { canWrite, serverQuery } from '@/lib/server/api';

export const metadata: Metadata = { title: 'Models' };

const ModelListQuery = graphql(`
  query ModelList($project: String!, $after: String, $filter: ModelFilter) {
    models(project: $project, first: 25, after: $after, filter: $filter) {
      edges {
        node {
          id
          name
          task
          tags
          versionCount
          updatedAt
          aliases {
            alias
            version {
              number
            }
          }
          latestVersion {
            number
            status
            createdAt
          }
          versions(first: 50) {
            edges {
              node {
                number
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
        endCursor
      }
    }
  }
`);

export default async function ModelsPage({
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
    serverQuery(ModelListQuery, { project, after, filter: q ? { nameContains: q } : null }),
    canWrite(project),
  ]);
  const models = data.models.edges.map(({ node }) => node);
  const base = projectPath(project, 'models');

  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>Models</h1>
          <p>Registered models, their newest ready version, aliases and best test accuracy.</p>
        </div>
        {writer ? (
          <Link className="btn btn-primary" href={projectPath(project, 'train')}>
            Train a model
          </Link>
        ) : null}
      </div>
      <form method="get" action={base} className="row" role="search">
        <label htmlFor="model-search" className="visually-hidden">
          Search models by name
        </label>
        <input
          id="model-search"
          type="search"
          name="q"
          defaultValue={q}
          placeholder="Search by name"
          style={{ minWidth: 280 }}
        />
        <button type="submit" className="btn">
          Search
        </button>
        {q ? (
          <Link href={base} className="btn btn-small">
            Clear
          </Link>
        ) : null}
      </form>
      <section className="card" aria-label="Models">
        {models.length === 0 ? (
          <EmptyState
            title={q ? `No model matches “${q}”` : 'No model yet'}
            action={!q && writer ? { href: projectPath(project, 'train'), label: 'Train a model' } : undefined}
          >
            {q ? 'Try another part of the name.' : 'Models are registered by their first training run.'}
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Latest version</th>
                  <th scope="col">Aliases</th>
                  <th scope="col" className="num">
                    Best accuracy
                  </th>
                  <th scope="col" className="num">
                    Versions
                  </th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {models.map((model) => {
                  const best = bestMetric(
                    model.versions.edges.map(({ node }) => node),
                    'accuracy',
                  );
                  return (
                    <tr key={model.id}>
                      <td>
                        <Link href={projectPath(project, 'models', model.name)}>{model.name}</Link>
                        <div className="row" style={{ gap: 4 }}>
                          {model.task ? <span className="muted">{model.task}</span> : null}
                          {model.tags.map((tag) => (
                            <span key={tag} className="tag">
                              {tag}
                            </span>
                          ))}
                        </div>
                      </td>
                      <td>
                        {model.latestVersion ? (
                          <span className="row" style={{ gap: 6 }}>
                            v{model.latestVersion.number} <StatusBadge status={model.latestVersion.status} />
                          </span>
                        ) : (
                          <span className="muted">none ready</span>
                        )}
                      </td>
                      <td>
                        <span className="row" style={{ gap: 4 }}>
                          {model.aliases.length === 0 ? <span className="muted">—</span> : null}
                          {model.aliases.map((alias) => (
                            <span key={alias.alias} className="chip">
                              {alias.alias} → v{alias.version.number}
                            </span>
                          ))}
                        </span>
                      </td>
                      <td className="num">{best ? `${formatMetric(best.value)} (v${best.version})` : '—'}</td>
                      <td className="num">{model.versionCount}</td>
                      <td>{formatDate(model.updatedAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <Pager basePath={base} query={{ q, after }} pageInfo={data.models.pageInfo} />
      </section>
    </div>
  );
}
