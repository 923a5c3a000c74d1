import type { Metadata } from 'next';
import Link from 'next/link';
import { projectPath } from '@/components/shell/nav-items';
import { AutoRefresh } from '@/components/ui/auto-refresh';
import { formatDate } from '@/components/ui/format';
import { Pager } from '@/components/ui/pager';
import { EmptyState } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status-badge';
import { graphql } from '@/graphql/generated';
import { projectParam, single, type SearchParams } from '@/lib/page-params';
import { canWrite, serverQuery } from '@/lib/server/api';

export const metadata: Metadata = { title: 'Deployments' };

const DeploymentListQuery = graphql(`
  query DeploymentList($project: String!, $after: String) {
    deployments(project: $project, first: 25, after: $after) {
      edges {
        node {
          id
          name
          status
          createdAt
          model {
            name
          }
          followAlias {
            alias
          }
          traffic {
            weight
            modelVersion {
              number
            }
            revision {
              number
            }
          }
          canary {
            weight
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

export default async function DeploymentsPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string }>;
  searchParams: SearchParams;
}) {
  const project = await projectParam(params);
  const after = single((await searchParams)['after']) || undefined;
  const [data, writer] = await Promise.all([serverQuery(DeploymentListQuery, { project, after }), canWrite(project)]);
  const deployments = data.deployments.edges.map(({ node }) => node);
  const base = projectPath(project, 'deployments');

  return (
    <div className="stack">
      <AutoRefresh active={deployments.some((deployment) => deployment.status === 'LOADING')} />
      <div className="page-header">
        <div>
          <h1>Deployments</h1>
          <p>Model versions served over HTTP, with their traffic split and canaries.</p>
        </div>
        {writer ? (
          <Link className="btn btn-primary" href={projectPath(project, 'models')}>
            Deploy a model version
          </Link>
        ) : null}
      </div>
      <section className="card" aria-label="Deployments">
        {deployments.length === 0 ? (
          <EmptyState
            title="No deployment yet"
            action={writer ? { href: projectPath(project, 'models'), label: 'Choose a model to deploy' } : undefined}
          >
            Deploy a READY model version from its model page.
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Deployment</th>
                  <th scope="col">Status</th>
                  <th scope="col">Model</th>
                  <th scope="col">Traffic</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {deployments.map((deployment) => (
                  <tr key={deployment.id}>
                    <td>
                      <Link href={projectPath(project, 'deployments', deployment.name)}>{deployment.name}</Link>
                    </td>
                    <td>
                      <StatusBadge status={deployment.status} />
                    </td>
                    <td>
                      <Link href={projectPath(project, 'models', deployment.model.name)}>{deployment.model.name}</Link>
                      {deployment.followAlias ? (
                        <span className="chip" title="Follows this alias">
                          {deployment.followAlias.alias}
                        </span>
                      ) : null}
                    </td>
                    <td>
                      {deployment.traffic.map((split) => `v${split.modelVersion.number} ${split.weight}%`).join(' · ')}
                      {deployment.canary ? <span className="badge badge-info">canary</span> : null}
                    </td>
                    <td>{formatDate(deployment.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager basePath={base} query={{ after }} pageInfo={data.deployments.pageInfo} />
      </section>
    </div>
  );
}
