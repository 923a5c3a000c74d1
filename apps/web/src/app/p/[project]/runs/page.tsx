import type { Metadata } from 'next';
import Link from 'next/link';
import { projectPath } from '@/components/shell/nav-items';
import { AutoRefresh } from '@/components/ui/auto-refresh';
import { formatDate, formatDuration } from '@/components/ui/format';
import { Pager } from '@/components/ui/pager';
import { ProgressBar } from '@/components/ui/progress-bar';
import { EmptyState } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status-badge';
import { graphql } from '@/graphql/generated';
import type { RunStatus } from '@/graphql/generated/graphql';
import { enumValues } from '@/graphql/generated/input-hints';
import { projectParam, single, type SearchParams } from '@/lib/page-params';
import { canWrite, serverQuery } from '@/lib/server/api';

export const metadata: Metadata = { title: 'Runs' };

const RunListQuery = graphql(`
  query RunList($project: String!, $after: String, $filter: RunFilter) {
    models(project: $project, first: 100) {
      edges {
        node {
          name
        }
      }
    }
    runs(project: $project, first: 25, after: $after, filter: $filter) {
      edges {
        node {
          id
          name
          kind
          status
          progress
          etaSeconds
          createdAt
          startedAt
          endedAt
          model {
            name
          }
          datasetVersion {
            number
            dataset {
              name
            }
          }
          modelVersion {
            number
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

const seconds = (from: string | null | undefined, to: string | null | undefined) =>
  from ? ((to ? Date.parse(to) : Date.now()) - Date.parse(from)) / 1000 : null;

export default async function RunsPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string }>;
  searchParams: SearchParams;
}) {
  const project = await projectParam(params);
  const search = await searchParams;
  const statusParam = single(search['status']);
  const status = enumValues.RunStatus.find((value) => value === statusParam) as RunStatus | undefined;
  const q = single(search['q'])?.trim() || undefined;
  const after = single(search['after']) || undefined;
  const model = single(search['model'])?.trim() || undefined;
  const filter =
    status || q || model
      ? { ...(status ? { status } : {}), ...(q ? { nameContains: q } : {}), ...(model ? { model } : {}) }
      : null;
  const [data, writer] = await Promise.all([serverQuery(RunListQuery, { project, after, filter }), canWrite(project)]);
  const runs = data.runs.edges.map(({ node }) => node);
  const base = projectPath(project, 'runs');
  const live = runs.some((run) => run.status === 'RUNNING' || run.status === 'QUEUED');

  return (
    <div className="stack">
      <AutoRefresh active={live} />
      <div className="page-header">
        <div>
          <h1>Runs</h1>
          <p>Training and experiment runs, newest first.</p>
        </div>
        {writer ? (
          <Link className="btn btn-primary" href={projectPath(project, 'train')}>
            Train a model
          </Link>
        ) : null}
      </div>
      <form method="get" action={base} className="row" role="search" aria-label="Filter runs">
        <label htmlFor="run-status">Status</label>
        <select id="run-status" name="status" defaultValue={status ?? ''}>
          <option value="">Any</option>
          {enumValues.RunStatus.map((value) => (
            <option key={value} value={value}>
              {value.charAt(0) + value.slice(1).toLowerCase()}
            </option>
          ))}
        </select>
        <label htmlFor="run-model">Model</label>
        <select id="run-model" name="model" defaultValue={model ?? ''}>
          <option value="">Any</option>
          {data.models.edges.map(({ node }) => (
            <option key={node.name} value={node.name}>
              {node.name}
            </option>
          ))}
        </select>
        <label htmlFor="run-search">Name</label>
        <input id="run-search" type="search" name="q" defaultValue={q} placeholder="e.g. the model's name" />
        <button type="submit" className="btn">
          Filter
        </button>
        {filter ? (
          <Link href={base} className="btn btn-small">
            Clear
          </Link>
        ) : null}
      </form>
      <section className="card" aria-label="Runs">
        {runs.length === 0 ? (
          <EmptyState
            title={filter ? 'No run matches these filters' : 'No run yet'}
            action={!filter && writer ? { href: projectPath(project, 'train'), label: 'Train a model' } : undefined}
          />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Status</th>
                  <th scope="col">Progress</th>
                  <th scope="col">Model</th>
                  <th scope="col">Dataset</th>
                  <th scope="col">Created</th>
                  <th scope="col" className="num">
                    Duration
                  </th>
                </tr>
              </thead>
              <tbody>
                {runs.map((run) => (
                  <tr key={run.id}>
                    <td>
                      <Link href={projectPath(project, 'runs', run.id)}>{run.name}</Link>
                      {run.kind !== 'TRAINING' ? <div className="muted">{run.kind.toLowerCase()}</div> : null}
                    </td>
                    <td>
                      <StatusBadge status={run.status} />
                    </td>
                    <td style={{ minWidth: 120 }}>
                      {run.kind === 'TRAINING' ? (
                        <ProgressBar value={run.progress} label={`Progress of ${run.name}`} />
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td>
                      {run.model ? (
                        <Link href={projectPath(project, 'models', run.model.name)}>
                          {run.model.name}
                          {run.modelVersion ? ` v${run.modelVersion.number}` : ''}
                        </Link>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td>
                      {run.datasetVersion ? (
                        <Link
                          href={projectPath(
                            project,
                            'datasets',
                            run.datasetVersion.dataset.name,
                            'versions',
                            run.datasetVersion.number,
                          )}
                        >
                          {run.datasetVersion.dataset.name} v{run.datasetVersion.number}
                        </Link>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td>{formatDate(run.createdAt)}</td>
                    <td className="num">{formatDuration(seconds(run.startedAt, run.endedAt))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager basePath={base} query={{ status, model, q, after }} pageInfo={data.runs.pageInfo} />
      </section>
    </div>
  );
}
