/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type DatasetFilter = {
  nameContains?: string | null | undefined;
  tag?: string | null | undefined;
};

export type DatasetFormat =
  | 'CIFAR10_BINARY'
  | 'CSV'
  | 'IMAGE_FOLDER'
  | 'MNIST_IDX';

export type DatasetImportOptions = {
  /** Field delimiter (CSV); detected when omitted. */
  delimiter?: string | null | undefined;
  /** Whether the first CSV row names the columns (default true). */
  header?: boolean | null | undefined;
  /** Columns to leave out (CSV). */
  ignore?: Array<string> | null | undefined;
  /** Label column (CSV); default: a column named label, else the last column. */
  label?: string | null | undefined;
  seed?: number | null | undefined;
  testFraction?: number | null | undefined;
  validationFraction?: number | null | undefined;
};

export type HyperparametersInput = {
  /** Default 32. */
  batchSize?: number | null | undefined;
  /** Stop after this many epochs without a better validation loss. */
  earlyStoppingPatience?: number | null | undefined;
  epochs: number;
  /** Default 0.001. */
  learningRate?: number | null | undefined;
  /** adam (default) or sgd. */
  optimizer?: string | null | undefined;
  /** Default 42. */
  seed?: number | null | undefined;
};

export type ImportDatasetInput = {
  format: DatasetFormat;
  /** Dataset name; created on the first import, a new version after. */
  name: string;
  options?: DatasetImportOptions | null | undefined;
  project?: string | null | undefined;
  /** From POST /v1/uploads. */
  uploadId: string | number;
};

export type ModelFilter = {
  nameContains?: string | null | undefined;
  tag?: string | null | undefined;
  task?: string | null | undefined;
};

export type ModelSpecInput = {
  activation?: string | null | undefined;
  /** mlp, cnn-small or cnn-tiny. */
  architecture: string;
  dropout?: number | null | undefined;
  hiddenUnits?: Array<number> | null | undefined;
};

export type ModelVersionStatus =
  | 'ARCHIVED'
  | 'FAILED'
  | 'PENDING'
  | 'READY';

export type PromotionPolicyInput = {
  /** Confidence of the paired-bootstrap interval (default 0.95). */
  confidence?: number | null | undefined;
  /** accuracy, precision, recall, f1 or auc. */
  metric: string;
  /** The candidate must beat the holder by more than this (default 0). */
  minDelta?: number | null | undefined;
};

export type Role =
  | 'ADMIN'
  | 'EDITOR'
  | 'VIEWER';

export type RunFilter = {
  kind?: RunKind | null | undefined;
  nameContains?: string | null | undefined;
  status?: RunStatus | null | undefined;
};

export type RunKind =
  | 'EVALUATION'
  | 'EXPERIMENT'
  | 'TRAINING';

export type RunStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type StartTrainingInput = {
  datasetVersionId: string | number;
  hyperparameters: HyperparametersInput;
  /** Registered on first use. */
  model: string;
  /** Run name; defaults to model-dataset-vN. */
  name?: string | null | undefined;
  project?: string | null | undefined;
  spec: ModelSpecInput;
};

export type RunUpdatedLiveSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type RunUpdatedLiveSubscription = { runUpdated: { id: string, status: RunStatus, progress: number, etaSeconds: number | null, eta: string | null, error: string | null, attempt: number, workerId: string | null, backend: string | null, heartbeatAt: string | null, cancelRequested: boolean, startedAt: string | null, endedAt: string | null, modelVersion: { number: number, model: { name: string } } | null } };

export type MetricsLoggedLiveSubscriptionVariables = Exact<{
  runId: string | number;
}>;


export type MetricsLoggedLiveSubscription = { metricsLogged: { runId: string, count: number, latest: Array<{ key: string, step: number, value: number }> } };

export type DatasetDetailQueryVariables = Exact<{
  project: string;
  name: string;
}>;


export type DatasetDetailQuery = { dataset: { id: string, name: string, description: string, tags: Array<string>, versionCount: number, createdAt: string, updatedAt: string, versions: { edges: Array<{ node: { id: string, number: number, contentSha256: string, exampleCount: number, sizeBytes: number, splits: unknown, schema: unknown, source: string, createdAt: string } }>, pageInfo: { hasNextPage: boolean } } } | null };

export type DatasetVersionDetailQueryVariables = Exact<{
  project: string;
  name: string;
  number: number;
}>;


export type DatasetVersionDetailQuery = { dataset: { name: string, version: { id: string, number: number, contentSha256: string, sizeBytes: number, exampleCount: number, schema: unknown, splits: unknown, storageUri: string, source: string, description: string, createdAt: string } | null } | null };

export type ImportDatasetMutationVariables = Exact<{
  input: ImportDatasetInput;
}>;


export type ImportDatasetMutation = { importDataset: { id: string, number: number, dataset: { name: string } } };

export type DatasetListQueryVariables = Exact<{
  project: string;
  after?: string | null | undefined;
  filter?: DatasetFilter | null | undefined;
}>;


export type DatasetListQuery = { datasets: { edges: Array<{ node: { id: string, name: string, description: string, tags: Array<string>, versionCount: number, updatedAt: string, latestVersion: { number: number, exampleCount: number, sizeBytes: number, createdAt: string } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type SetModelAliasMutationVariables = Exact<{
  project: string;
  model: string;
  alias: string;
  version: number;
}>;


export type SetModelAliasMutation = { setModelAlias: { alias: string, version: { number: number } } };

export type CompareVersionsQueryVariables = Exact<{
  project: string;
  name: string;
  a: number;
  b: number;
}>;


export type CompareVersionsQuery = { model: { name: string, a: { number: number, status: ModelVersionStatus, trainingDatasetVersion: { id: string, number: number, dataset: { name: string } } | null, evaluations: Array<{ split: string, metrics: unknown, confusionMatrix: Array<Array<number>> | null, labels: Array<string>, datasetVersion: { id: string, number: number, dataset: { name: string } } }> } | null, b: { number: number, status: ModelVersionStatus, trainingDatasetVersion: { id: string, number: number, dataset: { name: string } } | null, evaluations: Array<{ split: string, metrics: unknown, confusionMatrix: Array<Array<number>> | null, labels: Array<string>, datasetVersion: { id: string, number: number, dataset: { name: string } } }> } | null } | null };

export type ComparedVersionFragment = { number: number, status: ModelVersionStatus, trainingDatasetVersion: { id: string, number: number, dataset: { name: string } } | null, evaluations: Array<{ split: string, metrics: unknown, confusionMatrix: Array<Array<number>> | null, labels: Array<string>, datasetVersion: { id: string, number: number, dataset: { name: string } } }> };

export type ModelDetailQueryVariables = Exact<{
  project: string;
  name: string;
}>;


export type ModelDetailQuery = { model: { id: string, name: string, task: string, description: string, tags: Array<string>, versionCount: number, createdAt: string, updatedAt: string, aliases: Array<{ alias: string, updatedAt: string, version: { number: number } }>, versions: { edges: Array<{ node: { id: string, number: number, status: ModelVersionStatus, createdAt: string, description: string, tags: Array<string>, aliases: Array<string>, framework: string, sourceRun: { id: string, name: string, status: RunStatus } | null, trainingDatasetVersion: { id: string, number: number, dataset: { name: string } } | null, evaluations: Array<{ split: string, metrics: unknown }> } }>, pageInfo: { hasNextPage: boolean } } } | null };

export type PromoteModelVersionMutationVariables = Exact<{
  project: string;
  model: string;
  version: number;
  alias: string;
  policy: PromotionPolicyInput;
}>;


export type PromoteModelVersionMutation = { promoteModelVersion: { promoted: boolean, alias: string, version: number, previousVersion: number | null, metric: string, split: string | null, candidateValue: number | null, holderValue: number | null, difference: number | null, ciLow: number | null, ciHigh: number | null, confidence: number, minDelta: number, reason: string, datasetVersion: { number: number, dataset: { name: string } } | null } };

export type ModelListQueryVariables = Exact<{
  project: string;
  after?: string | null | undefined;
  filter?: ModelFilter | null | undefined;
}>;


export type ModelListQuery = { models: { edges: Array<{ node: { id: string, name: string, task: string, tags: Array<string>, versionCount: number, updatedAt: string, aliases: Array<{ alias: string, version: { number: number } }>, latestVersion: { number: number, status: ModelVersionStatus, createdAt: string } | null, versions: { edges: Array<{ node: { number: number, evaluations: Array<{ split: string, metrics: unknown }> } }> } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type OverviewQueryVariables = Exact<{
  project: string;
}>;


export type OverviewQuery = { models: { edges: Array<{ node: { name: string, versions: { edges: Array<{ node: { number: number, status: ModelVersionStatus, createdAt: string, aliases: Array<string>, sourceRun: { id: string } | null, evaluations: Array<{ split: string, metrics: unknown }> } }> } } }>, pageInfo: { hasNextPage: boolean } }, datasets: { edges: Array<{ node: { name: string, versionCount: number } }>, pageInfo: { hasNextPage: boolean } }, running: { edges: Array<{ node: { id: string, name: string, progress: number, etaSeconds: number | null, startedAt: string | null, model: { name: string } | null } }> }, queued: { edges: Array<{ node: { id: string } }>, pageInfo: { hasNextPage: boolean } }, recent: { edges: Array<{ node: { id: string, status: RunStatus } }>, pageInfo: { hasNextPage: boolean } } };

export type RunDetailQueryVariables = Exact<{
  id: string | number;
  project: string;
}>;


export type RunDetailQuery = { run: { id: string, name: string, kind: RunKind, status: RunStatus, params: unknown, progress: number, etaSeconds: number | null, eta: string | null, error: string | null, attempt: number, workerId: string | null, backend: string | null, heartbeatAt: string | null, cancelRequested: boolean, startedAt: string | null, endedAt: string | null, createdAt: string, metricKeys: Array<string>, project: { name: string }, model: { name: string } | null, datasetVersion: { id: string, number: number, contentSha256: string, dataset: { name: string } } | null, modelVersion: { number: number, model: { name: string }, evaluations: Array<{ split: string, metrics: unknown, datasetVersion: { number: number, dataset: { name: string } } }> } | null } | null, runs: { edges: Array<{ node: { id: string, name: string, model: { name: string } | null } }> } };

export type RunSeriesQueryVariables = Exact<{
  id: string | number;
  key: string;
  maxPoints: number;
}>;


export type RunSeriesQuery = { run: { id: string, name: string, metrics: { key: string, totalPoints: number, points: Array<{ step: number, value: number, min: number, max: number }> } } | null };

export type CancelRunMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelRunMutation = { cancelRun: { id: string, status: RunStatus, cancelRequested: boolean } };

export type RetryRunMutationVariables = Exact<{
  id: string | number;
}>;


export type RetryRunMutation = { retryRun: { id: string, status: RunStatus, attempt: number } };

export type RunListQueryVariables = Exact<{
  project: string;
  after?: string | null | undefined;
  filter?: RunFilter | null | undefined;
}>;


export type RunListQuery = { runs: { edges: Array<{ node: { id: string, name: string, kind: RunKind, status: RunStatus, progress: number, etaSeconds: number | null, createdAt: string, startedAt: string | null, endedAt: string | null, model: { name: string } | null, datasetVersion: { number: number, dataset: { name: string } } | null, modelVersion: { number: number } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type TrainChoicesQueryVariables = Exact<{
  project: string;
}>;


export type TrainChoicesQuery = { datasets: { edges: Array<{ node: { name: string, versions: { edges: Array<{ node: { id: string, number: number, exampleCount: number } }> } } }> }, models: { edges: Array<{ node: { name: string } }> } };

export type StartTrainingMutationVariables = Exact<{
  input: StartTrainingInput;
}>;


export type StartTrainingMutation = { startTraining: { id: string, status: RunStatus } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { user: { name: string }, token: { name: string, role: Role | null, project: { name: string } | null }, memberships: Array<{ role: Role, project: { name: string, description: string } }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ComparedVersionFragmentDoc = new TypedDocumentString(`
    fragment ComparedVersion on ModelVersion {
  number
  status
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
    confusionMatrix
    labels
    datasetVersion {
      id
      number
      dataset {
        name
      }
    }
  }
}
    `, {"fragmentName":"ComparedVersion"}) as unknown as TypedDocumentString<ComparedVersionFragment, unknown>;
export const RunUpdatedLiveDocument = new TypedDocumentString(`
    subscription RunUpdatedLive($id: ID!) {
  runUpdated(id: $id) {
    id
    status
    progress
    etaSeconds
    eta
    error
    attempt
    workerId
    backend
    heartbeatAt
    cancelRequested
    startedAt
    endedAt
    modelVersion {
      number
      model {
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RunUpdatedLiveSubscription, RunUpdatedLiveSubscriptionVariables>;
export const MetricsLoggedLiveDocument = new TypedDocumentString(`
    subscription MetricsLoggedLive($runId: ID!) {
  metricsLogged(runId: $runId) {
    runId
    count
    latest {
      key
      step
      value
    }
  }
}
    `) as unknown as TypedDocumentString<MetricsLoggedLiveSubscription, MetricsLoggedLiveSubscriptionVariables>;
export const DatasetDetailDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<DatasetDetailQuery, DatasetDetailQueryVariables>;
export const DatasetVersionDetailDocument = new TypedDocumentString(`
    query DatasetVersionDetail($project: String!, $name: String!, $number: Int!) {
  dataset(project: $project, name: $name) {
    name
    version(number: $number) {
      id
      number
      contentSha256
      sizeBytes
      exampleCount
      schema
      splits
      storageUri
      source
      description
      createdAt
    }
  }
}
    `) as unknown as TypedDocumentString<DatasetVersionDetailQuery, DatasetVersionDetailQueryVariables>;
export const ImportDatasetDocument = new TypedDocumentString(`
    mutation ImportDataset($input: ImportDatasetInput!) {
  importDataset(input: $input) {
    id
    number
    dataset {
      name
    }
  }
}
    `) as unknown as TypedDocumentString<ImportDatasetMutation, ImportDatasetMutationVariables>;
export const DatasetListDocument = new TypedDocumentString(`
    query DatasetList($project: String!, $after: String, $filter: DatasetFilter) {
  datasets(project: $project, first: 25, after: $after, filter: $filter) {
    edges {
      node {
        id
        name
        description
        tags
        versionCount
        updatedAt
        latestVersion {
          number
          exampleCount
          sizeBytes
          createdAt
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<DatasetListQuery, DatasetListQueryVariables>;
export const SetModelAliasDocument = new TypedDocumentString(`
    mutation SetModelAlias($project: String!, $model: String!, $alias: String!, $version: Int!) {
  setModelAlias(
    project: $project
    model: $model
    alias: $alias
    version: $version
  ) {
    alias
    version {
      number
    }
  }
}
    `) as unknown as TypedDocumentString<SetModelAliasMutation, SetModelAliasMutationVariables>;
export const CompareVersionsDocument = new TypedDocumentString(`
    query CompareVersions($project: String!, $name: String!, $a: Int!, $b: Int!) {
  model(project: $project, name: $name) {
    name
    a: version(number: $a) {
      ...ComparedVersion
    }
    b: version(number: $b) {
      ...ComparedVersion
    }
  }
}
    fragment ComparedVersion on ModelVersion {
  number
  status
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
    confusionMatrix
    labels
    datasetVersion {
      id
      number
      dataset {
        name
      }
    }
  }
}`) as unknown as TypedDocumentString<CompareVersionsQuery, CompareVersionsQueryVariables>;
export const ModelDetailDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<ModelDetailQuery, ModelDetailQueryVariables>;
export const PromoteModelVersionDocument = new TypedDocumentString(`
    mutation PromoteModelVersion($project: String!, $model: String!, $version: Int!, $alias: String!, $policy: PromotionPolicyInput!) {
  promoteModelVersion(
    project: $project
    model: $model
    version: $version
    alias: $alias
    policy: $policy
  ) {
    promoted
    alias
    version
    previousVersion
    metric
    split
    candidateValue
    holderValue
    difference
    ciLow
    ciHigh
    confidence
    minDelta
    reason
    datasetVersion {
      number
      dataset {
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PromoteModelVersionMutation, PromoteModelVersionMutationVariables>;
export const ModelListDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<ModelListQuery, ModelListQueryVariables>;
export const OverviewDocument = new TypedDocumentString(`
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
  running: runs(project: $project, first: 20, filter: {status: RUNNING}) {
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
  queued: runs(project: $project, first: 100, filter: {status: QUEUED}) {
    edges {
      node {
        id
      }
    }
    pageInfo {
      hasNextPage
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
    `) as unknown as TypedDocumentString<OverviewQuery, OverviewQueryVariables>;
export const RunDetailDocument = new TypedDocumentString(`
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
  runs(project: $project, first: 50, filter: {kind: TRAINING}) {
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
    `) as unknown as TypedDocumentString<RunDetailQuery, RunDetailQueryVariables>;
export const RunSeriesDocument = new TypedDocumentString(`
    query RunSeries($id: ID!, $key: String!, $maxPoints: Int!) {
  run(id: $id) {
    id
    name
    metrics(key: $key, maxPoints: $maxPoints) {
      key
      totalPoints
      points {
        step
        value
        min
        max
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RunSeriesQuery, RunSeriesQueryVariables>;
export const CancelRunDocument = new TypedDocumentString(`
    mutation CancelRun($id: ID!) {
  cancelRun(id: $id) {
    id
    status
    cancelRequested
  }
}
    `) as unknown as TypedDocumentString<CancelRunMutation, CancelRunMutationVariables>;
export const RetryRunDocument = new TypedDocumentString(`
    mutation RetryRun($id: ID!) {
  retryRun(id: $id) {
    id
    status
    attempt
  }
}
    `) as unknown as TypedDocumentString<RetryRunMutation, RetryRunMutationVariables>;
export const RunListDocument = new TypedDocumentString(`
    query RunList($project: String!, $after: String, $filter: RunFilter) {
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
    `) as unknown as TypedDocumentString<RunListQuery, RunListQueryVariables>;
export const TrainChoicesDocument = new TypedDocumentString(`
    query TrainChoices($project: String!) {
  datasets(project: $project, first: 100) {
    edges {
      node {
        name
        versions(first: 20) {
          edges {
            node {
              id
              number
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
    `) as unknown as TypedDocumentString<TrainChoicesQuery, TrainChoicesQueryVariables>;
export const StartTrainingDocument = new TypedDocumentString(`
    mutation StartTraining($input: StartTrainingInput!) {
  startTraining(input: $input) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<StartTrainingMutation, StartTrainingMutationVariables>;
export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  viewer {
    user {
      name
    }
    token {
      name
      role
      project {
        name
      }
    }
    memberships {
      role
      project {
        name
        description
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;