import type { Metadata } from 'next';
import Link from 'next/link';
import { projectPath } from '@/components/shell/nav-items';
import { formatDate, formatMetric, formatPercent } from '@/components/ui/format';
import { EmptyState } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status-badge';
import { graphql } from '@/graphql/generated';
import { canWrite, serverQuery } from '@/lib/server/api';
import { DeploymentLive } from './deployment-live';
import { DeploymentMetricsQuery, METRICS_STEP_SECONDS, METRICS_WINDOW_SECONDS } from './deployment-queries';
import { TrafficControls } from './traffic-controls';
import { TryItForm } from './try-it-form';

type Params = Promise<{ project: string; name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Deployment ${decodeURIComponent((await params).name)}` };
}

const DeploymentDetailQuery = graphql(`
  query DeploymentDetail($name: String!) {
    deployment(name: $name) {
      id
      name
      status
      endpoint
      inferenceEndpoint
      logPayloads
      requestLogRetentionHours
      createdAt
      updatedAt
      createdBy {
        name
      }
      project {
        name
      }
      model {
        name
        versions(first: 100) {
          edges {
            node {
              number
              status
            }
          }
        }
      }
      followAlias {
        alias
        rollout
        canaryWeight
      }
      currentRevision {
        number
        modelVersion {
          number
          inputSignature
        }
      }
      traffic {
        weight
        revision {
          number
          state
        }
        modelVersion {
          number
        }
      }
      canary {
        weight
        startedAt
        revision {
          number
          modelVersion {
            number
          }
        }
        analysis {
          minRequests
          maxErrorRateDelta
          maxLatencyP99Ratio
          intervalSeconds
          windowSeconds
        }
        lastAnalysis {
          verdict
          reason
          at
        }
      }
      revisions(first: 50) {
        edges {
          node {
            id
            number
            state
            readyInstances
            failure
            firstReadyAt
            createdAt
            createdBy {
              name
            }
            modelVersion {
              number
            }
            batching {
              maxBatchSize
              maxQueueDelayMs
              maxQueueSize
            }
          }
        }
      }
      events(first: 30) {
        edges {
          node {
            id
            kind
            message
            details
            actor
            createdAt
            revision {
              number
            }
          }
        }
      }
    }
  }
`);

const ANALYSIS_KINDS = new Set(['ANALYSIS_PROMOTED', 'ANALYSIS_ROLLED_BACK']);

/** An analysis decision's figures (error rates 0..1, latencies in ms), as the event's details carry them. */
function AnalysisFigures({ details }: { details: unknown }) {
  const figures = (details as { figures?: Record<string, number | null> } | null)?.figures;
  if (!figures) return null;
  const percent = (value: number | null | undefined) =>
    value === null || value === undefined ? '—' : `${formatMetric(value * 100)}%`;
  return (
    <span className="muted">
      {' '}
      canary {figures['canaryRequests'] ?? 0} req, errors {percent(figures['canaryErrorRate'])} vs{' '}
      {percent(figures['stableErrorRate'])}, p99 {formatMetric(figures['canaryP99Ms'])} vs{' '}
      {formatMetric(figures['stableP99Ms'])} ms
    </span>
  );
}

export default async function DeploymentPage({ params }: { params: Params }) {
  const { project: rawProject, name: rawName } = await params;
  const project = decodeURIComponent(rawProject);
  const name = decodeURIComponent(rawName);
  const [data, metrics, writer] = await Promise.all([
    serverQuery(DeploymentDetailQuery, { name }),
    serverQuery(DeploymentMetricsQuery, { name, window: METRICS_WINDOW_SECONDS, step: METRICS_STEP_SECONDS }),
    canWrite(project),
  ]);
  const deployment = data.deployment;
  if (!deployment || deployment.project.name !== project || !metrics.deployment) {
    return (
      <div className="card">
        <EmptyState
          title={`No deployment named “${name}” in this project`}
          action={{ href: projectPath(project, 'deployments'), label: 'All deployments' }}
        />
      </div>
    );
  }
  const revisions = deployment.revisions.edges.map(({ node }) => node);
  const events = deployment.events.edges.map(({ node }) => node);
  const analysisEvents = events.filter((event) => ANALYSIS_KINDS.has(event.kind));
  const stable = deployment.currentRevision;
  const readyVersions = deployment.model.versions.edges
    .map(({ node }) => node)
    .filter((version) => version.status === 'READY')
    .map((version) => version.number);
  const previousRevisions = revisions
    .filter((revision) => revision.number !== stable.number && revision.number !== deployment.canary?.revision.number)
    .map((revision) => ({ number: revision.number, version: revision.modelVersion.number }));

  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <div className="breadcrumbs">
            <Link href={projectPath(project, 'deployments')}>Deployments</Link> /
          </div>
          <h1>{deployment.name}</h1>
          <p>
            <StatusBadge status={deployment.status} /> ·{' '}
            <Link href={projectPath(project, 'models', deployment.model.name)}>{deployment.model.name}</Link> · stable
            revision {stable.number} (v{stable.modelVersion.number})
            {deployment.followAlias ? ` · follows “${deployment.followAlias.alias}”` : ''}
          </p>
        </div>
      </div>

      <div className="grid-2">
        <section className="card" aria-labelledby="split-title">
          <div className="card-header">
            <h2 id="split-title">Traffic split</h2>
          </div>
          <div className="card-body stack" style={{ gap: 12 }}>
            <div
              role="img"
              aria-label={deployment.traffic
                .map((split) => `revision ${split.revision.number} ${split.weight}%`)
                .join(', ')}
              style={{
                display: 'flex',
                height: 14,
                borderRadius: 999,
                overflow: 'hidden',
                border: '1px solid var(--border)',
                background: 'var(--surface-muted)',
              }}
            >
              {deployment.traffic.map((split, index) => (
                <span
                  key={split.revision.number}
                  style={{ width: `${split.weight}%`, background: index === 0 ? 'var(--primary)' : 'var(--warning)' }}
                />
              ))}
            </div>
            <table className="table" data-testid="traffic-split">
              <thead>
                <tr>
                  <th scope="col">Revision</th>
                  <th scope="col">Version</th>
                  <th scope="col">Role</th>
                  <th scope="col">State</th>
                  <th scope="col" className="num">
                    Weight
                  </th>
                </tr>
              </thead>
              <tbody>
                {deployment.traffic.map((split) => (
                  <tr key={split.revision.number}>
                    <td>{split.revision.number}</td>
                    <td>v{split.modelVersion.number}</td>
                    <td>{split.revision.number === stable.number ? 'stable' : 'canary'}</td>
                    <td>
                      <StatusBadge status={split.revision.state} />
                    </td>
                    <td className="num">{split.weight}%</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {deployment.canary ? (
              <p style={{ margin: 0 }}>
                Canary since {formatDate(deployment.canary.startedAt)}:{' '}
                {deployment.canary.analysis
                  ? `automatic analysis every ${deployment.canary.analysis.intervalSeconds} s over ${deployment.canary.analysis.windowSeconds} s (at least ${deployment.canary.analysis.minRequests} requests, error rate +${formatPercent(deployment.canary.analysis.maxErrorRateDelta)}, p99 ×${deployment.canary.analysis.maxLatencyP99Ratio})`
                  : 'promote or roll back by hand'}
                {deployment.canary.lastAnalysis ? (
                  <>
                    <br />
                    Last analysis ({formatDate(deployment.canary.lastAnalysis.at)}):{' '}
                    <strong>{deployment.canary.lastAnalysis.verdict}</strong> — {deployment.canary.lastAnalysis.reason}
                  </>
                ) : null}
              </p>
            ) : null}
          </div>
        </section>
        <section className="card" aria-labelledby="endpoint-title">
          <div className="card-header">
            <h2 id="endpoint-title">Endpoint</h2>
          </div>
          <div className="card-body">
            <dl className="properties">
              <dt>Friendly</dt>
              <dd>
                <code>{deployment.endpoint}</code>
              </dd>
              <dt>Open Inference Protocol</dt>
              <dd>
                <code>{deployment.inferenceEndpoint}</code>
              </dd>
              <dt>Request log</dt>
              <dd>
                {deployment.logPayloads ? 'with payloads' : 'without payloads'}, kept{' '}
                {deployment.requestLogRetentionHours} h
              </dd>
              <dt>Created</dt>
              <dd>
                {formatDate(deployment.createdAt)}
                {deployment.createdBy ? ` by ${deployment.createdBy.name}` : ''}
              </dd>
            </dl>
          </div>
        </section>
      </div>

      {writer ? (
        <section className="card" aria-labelledby="controls-title">
          <div className="card-header">
            <h2 id="controls-title">Canary, promote and rollback</h2>
          </div>
          <div className="card-body">
            <TrafficControls
              name={deployment.name}
              stableVersion={stable.modelVersion.number}
              versions={readyVersions}
              canary={
                deployment.canary
                  ? { version: deployment.canary.revision.modelVersion.number, weight: deployment.canary.weight }
                  : null
              }
              previousRevisions={previousRevisions}
            />
          </div>
        </section>
      ) : null}

      <DeploymentLive name={deployment.name} initialMetrics={metrics.deployment.metrics} />

      <section className="card" aria-labelledby="try-title">
        <div className="card-header">
          <h2 id="try-title">Try it</h2>
          <span className="muted">Inputs of v{stable.modelVersion.number}; the answer may come from the canary</span>
        </div>
        <div className="card-body">
          <TryItForm deployment={deployment.name} inputSignature={stable.modelVersion.inputSignature} />
        </div>
      </section>

      <section className="card" aria-labelledby="analysis-title">
        <div className="card-header">
          <h2 id="analysis-title">Automatic analysis decisions</h2>
        </div>
        <div className="card-body">
          {analysisEvents.length === 0 ? (
            <p className="muted" style={{ margin: 0 }}>
              No automatic decision yet. Start a canary with automatic analysis to have one.
            </p>
          ) : (
            <ul className="stack" style={{ gap: 8, margin: 0, paddingLeft: 18 }} data-testid="analysis-decisions">
              {analysisEvents.map((event) => (
                <li key={event.id}>
                  <strong>{event.kind === 'ANALYSIS_PROMOTED' ? 'Promoted' : 'Rolled back'}</strong>{' '}
                  {formatDate(event.createdAt)}: {event.message}
                  <AnalysisFigures details={event.details} />
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>

      <div className="grid-2">
        <section className="card" aria-labelledby="revisions-title">
          <div className="card-header">
            <h2 id="revisions-title">Revisions</h2>
          </div>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Revision</th>
                  <th scope="col">Version</th>
                  <th scope="col">State</th>
                  <th scope="col">Batching</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {revisions.map((revision) => (
                  <tr key={revision.id}>
                    <td>
                      {revision.number}
                      {revision.number === stable.number ? <span className="chip">stable</span> : null}
                      {revision.number === deployment.canary?.revision.number ? (
                        <span className="chip">canary</span>
                      ) : null}
                    </td>
                    <td>
                      <Link href={projectPath(project, 'models', deployment.model.name)}>
                        v{revision.modelVersion.number}
                      </Link>
                    </td>
                    <td>
                      <StatusBadge status={revision.state} />{' '}
                      <span className="muted">{revision.readyInstances} ready</span>
                      {revision.failure ? <div className="text-danger prewrap">{revision.failure}</div> : null}
                    </td>
                    <td className="muted">
                      ≤{revision.batching.maxBatchSize} / {revision.batching.maxQueueDelayMs} ms
                    </td>
                    <td>
                      {formatDate(revision.createdAt)}
                      {revision.createdBy ? <div className="muted">{revision.createdBy.name}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <section className="card" aria-labelledby="events-title">
          <div className="card-header">
            <h2 id="events-title">Events</h2>
          </div>
          {events.length === 0 ? (
            <EmptyState title="No event yet" />
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="deployment-events">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Event</th>
                    <th scope="col">By</th>
                  </tr>
                </thead>
                <tbody>
                  {events.map((event) => (
                    <tr key={event.id}>
                      <td>{formatDate(event.createdAt)}</td>
                      <td>
                        <span className="badge">{event.kind.replaceAll('_', ' ').toLowerCase()}</span> {event.message}
                      </td>
                      <td>{event.actor ?? <span className="muted">platform</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
    </div>
  );
}
