import type { Metadata } from 'next';
import { projectPath } from '@/components/shell/nav-items';
import { formatCount } from '@/components/ui/format';
import { EmptyState } from '@/components/ui/states';
import { graphql } from '@/graphql/generated';
import { projectParam, single, type SearchParams } from '@/lib/page-params';
import { canWrite, serverQuery } from '@/lib/server/api';
import { TrainForm } from './train-form';

export const metadata: Metadata = { title: 'Train' };

const TrainChoicesQuery = graphql(`
  query TrainChoices($project: String!) {
    # 50 datasets × 20 versions stays under the API's query cost limit.
    datasets(project: $project, first: 50) {
      edges {
        node {
          name
          versions(first: 20) {
            edges {
              node {
                id
                number
                status
                exampleCount
              }
            }
          }
        }
      }
    }
    models(project: $project, first: 100) {
      edges {
        node {
          name
        }
      }
    }
  }
`);

export default async function TrainPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string }>;
  searchParams: SearchParams;
}) {
  const project = await projectParam(params);
  const search = await searchParams;
  const writer = await canWrite(project);
  if (!writer) {
    return (
      <div className="card">
        <EmptyState title="Read-only access" action={{ href: projectPath(project, 'runs'), label: 'See runs' }}>
          Your role in this project can follow runs but not start them.
        </EmptyState>
      </div>
    );
  }
  const data = await serverQuery(TrainChoicesQuery, { project });
  const datasetVersions = data.datasets.edges.flatMap(({ node: dataset }) =>
    // Only READY versions can be trained on; IMPORTING and FAILED ones are left out.
    dataset.versions.edges
      .filter(({ node: version }) => version.status === 'READY')
      .map(({ node: version }) => ({
        id: version.id,
        label: `${dataset.name} v${version.number} (${formatCount(version.exampleCount)} examples)`,
      })),
  );
  const requested = single(search['datasetVersion']);
  const model = single(search['model']);
  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>Train a model</h1>
          <p>Queues a training run for the workers; you land on its live page.</p>
        </div>
      </div>
      {datasetVersions.length === 0 ? (
        <div className="card">
          <EmptyState
            title="Import a dataset first"
            action={{ href: projectPath(project, 'datasets', 'import'), label: 'Upload & import' }}
          >
            Training needs an imported dataset version.
          </EmptyState>
        </div>
      ) : (
        <TrainForm
          project={project}
          datasetVersions={datasetVersions}
          models={data.models.edges.map(({ node }) => node.name)}
          initial={{
            ...(requested && datasetVersions.some((choice) => choice.id === requested)
              ? { datasetVersionId: requested }
              : {}),
            ...(model ? { model } : {}),
          }}
        />
      )}
    </div>
  );
}
