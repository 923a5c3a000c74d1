import type { Metadata } from 'next';
import Link from 'next/link';
import { projectPath } from '@/components/shell/nav-items';
import { formatMetric, numericMetrics } from '@/components/ui/format';
import { JsonView } from '@/components/ui/json-view';
import { EmptyState } from '@/components/ui/states';
import { graphql } from '@/graphql/generated';
import { metricNames } from '@/lib/metrics';
import { canWrite, serverQuery } from '@/lib/server/api';
import { BASE_POINTS, RunSeriesQuery } from './run-queries';
import { RunView } from './run-view';

type Params = Promise<{ project: string; id: string }>;

export const metadata: Metadata = { title: 'Run' };

const RunDetailQuery = graphql(`
  query RunDetail($id: ID!, $project: String!) {
    run(id: $id) {
      id
      name
      kind
      status
      params
      progress
      etaSeconds
      eta
      error
      attempt
      workerId
      backend
      heartbeatAt
      cancelRequested
      lease {
        state
        expiresAt
      }
      startedAt
      endedAt
      createdAt
      metricKeys
      project {
        name
      }
      model {
        name
      }
      datasetVersion {
        id
        number
        contentSha256
        dataset {
          name
        }
      }
      modelVersion {
        number
        model {
          name
        }
        evaluations {
          split
          metrics
          datasetVersion {
            number
            dataset {
              name
            }
          }
        }
      }
    }
    runs(project: $project, first: 50, filter: { kind: TRAINING }) {
      edges {
        node {
          id
          name
          model {
            name
          }
        }
      }
    }
  }
`);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function RunPage({ params }: { params: Params }) {
  const { project: rawProject, id } = await params;
  const project = decodeURIComponent(rawProject);
  const missing = (
    <div className="card">
      <EmptyState
        title="No such run in this project"
        action={{ href: projectPath(project, 'runs'), label: 'All runs' }}
      />
    </div>
  );
  if (!UUID.test(id)) return missing;
  const [data, writer] = await Promise.all([serverQuery(RunDetailQuery, { id, project }), canWrite(project)]);
  const run = data.run;
  if (!run || run.project.name !== project) return missing;

  // The first paint already has the default charts' buckets; the client keeps them live.
  const initialKeys = ['loss', 'accuracy'].filter((key) => run.metricKeys.includes(key));
  const series = await Promise.all(
    initialKeys.map((key) => serverQuery(RunSeriesQuery, { id, key, maxPoints: BASE_POINTS })),
  );
  const initialSeries = Object.fromEntries(
    series
      .filter((result) => result.run)
      .map((result) => [
        result.run!.metrics.key,
        { name: result.run!.name, totalPoints: result.run!.metrics.totalPoints, buckets: result.run!.metrics.points },
      ]),
  );
  // Overlay candidates: other training runs, same model first.
  const candidates = data.runs.edges
    .map(({ node }) => node)
    .filter((candidate) => candidate.id !== run.id)
    .sort((a, b) => Number(b.model?.name === run.model?.name) - Number(a.model?.name === run.model?.name))
    .map((candidate) => ({ id: candidate.id, name: candidate.name }));
  const params_ = (run.params ?? {}) as Record<string, unknown>;
  const { lineage, ...configuration } = params_;
  const evaluations = run.modelVersion?.evaluations ?? [];
  const metricColumns = metricNames(evaluations);

  return (
    <div className="stack">
      <RunView project={project} canWrite={writer} run={run} candidates={candidates} initialSeries={initialSeries} />

      <div className="grid-2">
        <section className="card" aria-labelledby="params-title">
          <div className="card-header">
            <h2 id="params-title">Parameters</h2>
          </div>
          <div className="card-body">
            {Object.keys(configuration).length > 0 ? (
              <JsonView value={configuration} label="Run parameters" />
            ) : (
              <p className="muted">No parameters recorded.</p>
            )}
          </div>
        </section>
        <section className="card" aria-labelledby="lineage-title">
          <div className="card-header">
            <h2 id="lineage-title">Lineage</h2>
          </div>
          <div className="card-body stack" style={{ gap: 12 }}>
            <dl className="properties">
              <dt>Dataset</dt>
              <dd>
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
                  '—'
                )}
              </dd>
              {run.datasetVersion ? (
                <>
                  <dt>Content hash</dt>
                  <dd>
                    <code>{run.datasetVersion.contentSha256}</code>
                  </dd>
                </>
              ) : null}
              <dt>Model</dt>
              <dd>
                {run.model ? <Link href={projectPath(project, 'models', run.model.name)}>{run.model.name}</Link> : '—'}
              </dd>
              <dt>Version</dt>
              <dd>{run.modelVersion ? `v${run.modelVersion.number}` : '—'}</dd>
            </dl>
            {lineage !== undefined ? <JsonView value={lineage} label="Lineage recorded by the worker" /> : null}
          </div>
        </section>
      </div>

      {evaluations.length > 0 ? (
        <section className="card" aria-labelledby="evaluation-title">
          <div className="card-header">
            <h2 id="evaluation-title">Evaluation of v{run.modelVersion!.number}</h2>
            <Link href={projectPath(project, 'models', run.modelVersion!.model.name)}>Open the model</Link>
          </div>
          <div className="table-wrap">
            <table className="table" data-testid="run-evaluation">
              <thead>
                <tr>
                  <th scope="col">Split</th>
                  {metricColumns.map((metric) => (
                    <th key={metric} scope="col" className="num">
                      {metric}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {evaluations.map((evaluation) => (
                  <tr key={evaluation.split}>
                    <td>
                      {evaluation.split} · {evaluation.datasetVersion.dataset.name} v{evaluation.datasetVersion.number}
                    </td>
                    {metricColumns.map((metric) => (
                      <td key={metric} className="num">
                        {formatMetric(numericMetrics(evaluation.metrics)[metric])}
                      </td>
                    ))}
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
