/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  subscription RunUpdatedLive($id: ID!) {\n    runUpdated(id: $id) {\n      id status progress etaSeconds eta error attempt workerId backend heartbeatAt cancelRequested startedAt endedAt\n      modelVersion { number model { name } }\n    }\n  }\n": typeof types.RunUpdatedLiveDocument,
    "\n  subscription MetricsLoggedLive($runId: ID!) {\n    metricsLogged(runId: $runId) { runId count latest { key step value } }\n  }\n": typeof types.MetricsLoggedLiveDocument,
    "\n  query DatasetDetail($project: String!, $name: String!) {\n    dataset(project: $project, name: $name) {\n      id name description tags versionCount createdAt updatedAt\n      versions(first: 100) {\n        edges { node { id number contentSha256 exampleCount sizeBytes splits schema source createdAt } }\n        pageInfo { hasNextPage }\n      }\n    }\n  }\n": typeof types.DatasetDetailDocument,
    "\n  query DatasetVersionDetail($project: String!, $name: String!, $number: Int!) {\n    dataset(project: $project, name: $name) {\n      name\n      version(number: $number) {\n        id number contentSha256 sizeBytes exampleCount schema splits storageUri source description createdAt\n      }\n    }\n  }\n": typeof types.DatasetVersionDetailDocument,
    "\n  mutation ImportDataset($input: ImportDatasetInput!) {\n    importDataset(input: $input) { id number dataset { name } }\n  }\n": typeof types.ImportDatasetDocument,
    "\n  query DatasetList($project: String!, $after: String, $filter: DatasetFilter) {\n    datasets(project: $project, first: 25, after: $after, filter: $filter) {\n      edges {\n        node {\n          id name description tags versionCount updatedAt\n          latestVersion { number exampleCount sizeBytes createdAt }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.DatasetListDocument,
    "\n  mutation SetModelAlias($project: String!, $model: String!, $alias: String!, $version: Int!) {\n    setModelAlias(project: $project, model: $model, alias: $alias, version: $version) { alias version { number } }\n  }\n": typeof types.SetModelAliasDocument,
    "\n  query CompareVersions($project: String!, $name: String!, $a: Int!, $b: Int!) {\n    model(project: $project, name: $name) {\n      name\n      a: version(number: $a) { ...ComparedVersion }\n      b: version(number: $b) { ...ComparedVersion }\n    }\n  }\n  fragment ComparedVersion on ModelVersion {\n    number status\n    trainingDatasetVersion { id number dataset { name } }\n    evaluations { split metrics confusionMatrix labels datasetVersion { id number dataset { name } } }\n  }\n": typeof types.CompareVersionsDocument,
    "\n  query ModelDetail($project: String!, $name: String!) {\n    model(project: $project, name: $name) {\n      id name task description tags versionCount createdAt updatedAt\n      aliases { alias updatedAt version { number } }\n      versions(first: 100) {\n        edges {\n          node {\n            id number status createdAt description tags aliases framework\n            sourceRun { id name status }\n            trainingDatasetVersion { id number dataset { name } }\n            evaluations { split metrics }\n          }\n        }\n        pageInfo { hasNextPage }\n      }\n    }\n  }\n": typeof types.ModelDetailDocument,
    "\n  mutation PromoteModelVersion($project: String!, $model: String!, $version: Int!, $alias: String!, $policy: PromotionPolicyInput!) {\n    promoteModelVersion(project: $project, model: $model, version: $version, alias: $alias, policy: $policy) {\n      promoted alias version previousVersion metric split candidateValue holderValue difference ciLow ciHigh confidence minDelta reason\n      datasetVersion { number dataset { name } }\n    }\n  }\n": typeof types.PromoteModelVersionDocument,
    "\n  query ModelList($project: String!, $after: String, $filter: ModelFilter) {\n    models(project: $project, first: 25, after: $after, filter: $filter) {\n      edges {\n        node {\n          id name task tags versionCount updatedAt\n          aliases { alias version { number } }\n          latestVersion { number status createdAt }\n          versions(first: 50) { edges { node { number evaluations { split metrics } } } }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ModelListDocument,
    "\n  query Overview($project: String!) {\n    models(project: $project, first: 100) {\n      edges {\n        node {\n          name\n          versions(first: 5) {\n            edges { node { number status createdAt aliases sourceRun { id } evaluations { split metrics } } }\n          }\n        }\n      }\n      pageInfo { hasNextPage }\n    }\n    datasets(project: $project, first: 100) {\n      edges { node { name versionCount } }\n      pageInfo { hasNextPage }\n    }\n    running: runs(project: $project, first: 20, filter: { status: RUNNING }) {\n      edges { node { id name progress etaSeconds startedAt model { name } } }\n    }\n    queued: runs(project: $project, first: 100, filter: { status: QUEUED }) {\n      edges { node { id } }\n      pageInfo { hasNextPage }\n    }\n    recent: runs(project: $project, first: 100) {\n      edges { node { id status } }\n      pageInfo { hasNextPage }\n    }\n  }\n": typeof types.OverviewDocument,
    "\n  query RunDetail($id: ID!, $project: String!) {\n    run(id: $id) {\n      id name kind status params progress etaSeconds eta error attempt workerId backend heartbeatAt cancelRequested startedAt endedAt createdAt metricKeys\n      project { name }\n      model { name }\n      datasetVersion { id number contentSha256 dataset { name } }\n      modelVersion { number model { name } evaluations { split metrics datasetVersion { number dataset { name } } } }\n    }\n    runs(project: $project, first: 50, filter: { kind: TRAINING }) {\n      edges { node { id name model { name } } }\n    }\n  }\n": typeof types.RunDetailDocument,
    "\n  query RunSeries($id: ID!, $key: String!, $maxPoints: Int!) {\n    run(id: $id) {\n      id name\n      metrics(key: $key, maxPoints: $maxPoints) { key totalPoints points { step value min max } }\n    }\n  }\n": typeof types.RunSeriesDocument,
    "\n  mutation CancelRun($id: ID!) { cancelRun(id: $id) { id status cancelRequested } }\n": typeof types.CancelRunDocument,
    "\n  mutation RetryRun($id: ID!) { retryRun(id: $id) { id status attempt } }\n": typeof types.RetryRunDocument,
    "\n  query RunList($project: String!, $after: String, $filter: RunFilter) {\n    runs(project: $project, first: 25, after: $after, filter: $filter) {\n      edges {\n        node {\n          id name kind status progress etaSeconds createdAt startedAt endedAt\n          model { name }\n          datasetVersion { number dataset { name } }\n          modelVersion { number }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.RunListDocument,
    "\n  query TrainChoices($project: String!) {\n    datasets(project: $project, first: 100) {\n      edges { node { name versions(first: 20) { edges { node { id number exampleCount } } } } }\n    }\n    models(project: $project, first: 100) { edges { node { name } } }\n  }\n": typeof types.TrainChoicesDocument,
    "\n  mutation StartTraining($input: StartTrainingInput!) {\n    startTraining(input: $input) { id status }\n  }\n": typeof types.StartTrainingDocument,
    "\n  query Viewer {\n    viewer {\n      user { name }\n      token { name role project { name } }\n      memberships { role project { name description } }\n    }\n  }\n": typeof types.ViewerDocument,
};
const documents: Documents = {
    "\n  subscription RunUpdatedLive($id: ID!) {\n    runUpdated(id: $id) {\n      id status progress etaSeconds eta error attempt workerId backend heartbeatAt cancelRequested startedAt endedAt\n      modelVersion { number model { name } }\n    }\n  }\n": types.RunUpdatedLiveDocument,
    "\n  subscription MetricsLoggedLive($runId: ID!) {\n    metricsLogged(runId: $runId) { runId count latest { key step value } }\n  }\n": types.MetricsLoggedLiveDocument,
    "\n  query DatasetDetail($project: String!, $name: String!) {\n    dataset(project: $project, name: $name) {\n      id name description tags versionCount createdAt updatedAt\n      versions(first: 100) {\n        edges { node { id number contentSha256 exampleCount sizeBytes splits schema source createdAt } }\n        pageInfo { hasNextPage }\n      }\n    }\n  }\n": types.DatasetDetailDocument,
    "\n  query DatasetVersionDetail($project: String!, $name: String!, $number: Int!) {\n    dataset(project: $project, name: $name) {\n      name\n      version(number: $number) {\n        id number contentSha256 sizeBytes exampleCount schema splits storageUri source description createdAt\n      }\n    }\n  }\n": types.DatasetVersionDetailDocument,
    "\n  mutation ImportDataset($input: ImportDatasetInput!) {\n    importDataset(input: $input) { id number dataset { name } }\n  }\n": types.ImportDatasetDocument,
    "\n  query DatasetList($project: String!, $after: String, $filter: DatasetFilter) {\n    datasets(project: $project, first: 25, after: $after, filter: $filter) {\n      edges {\n        node {\n          id name description tags versionCount updatedAt\n          latestVersion { number exampleCount sizeBytes createdAt }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.DatasetListDocument,
    "\n  mutation SetModelAlias($project: String!, $model: String!, $alias: String!, $version: Int!) {\n    setModelAlias(project: $project, model: $model, alias: $alias, version: $version) { alias version { number } }\n  }\n": types.SetModelAliasDocument,
    "\n  query CompareVersions($project: String!, $name: String!, $a: Int!, $b: Int!) {\n    model(project: $project, name: $name) {\n      name\n      a: version(number: $a) { ...ComparedVersion }\n      b: version(number: $b) { ...ComparedVersion }\n    }\n  }\n  fragment ComparedVersion on ModelVersion {\n    number status\n    trainingDatasetVersion { id number dataset { name } }\n    evaluations { split metrics confusionMatrix labels datasetVersion { id number dataset { name } } }\n  }\n": types.CompareVersionsDocument,
    "\n  query ModelDetail($project: String!, $name: String!) {\n    model(project: $project, name: $name) {\n      id name task description tags versionCount createdAt updatedAt\n      aliases { alias updatedAt version { number } }\n      versions(first: 100) {\n        edges {\n          node {\n            id number status createdAt description tags aliases framework\n            sourceRun { id name status }\n            trainingDatasetVersion { id number dataset { name } }\n            evaluations { split metrics }\n          }\n        }\n        pageInfo { hasNextPage }\n      }\n    }\n  }\n": types.ModelDetailDocument,
    "\n  mutation PromoteModelVersion($project: String!, $model: String!, $version: Int!, $alias: String!, $policy: PromotionPolicyInput!) {\n    promoteModelVersion(project: $project, model: $model, version: $version, alias: $alias, policy: $policy) {\n      promoted alias version previousVersion metric split candidateValue holderValue difference ciLow ciHigh confidence minDelta reason\n      datasetVersion { number dataset { name } }\n    }\n  }\n": types.PromoteModelVersionDocument,
    "\n  query ModelList($project: String!, $after: String, $filter: ModelFilter) {\n    models(project: $project, first: 25, after: $after, filter: $filter) {\n      edges {\n        node {\n          id name task tags versionCount updatedAt\n          aliases { alias version { number } }\n          latestVersion { number status createdAt }\n          versions(first: 50) { edges { node { number evaluations { split metrics } } } }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ModelListDocument,
    "\n  query Overview($project: String!) {\n    models(project: $project, first: 100) {\n      edges {\n        node {\n          name\n          versions(first: 5) {\n            edges { node { number status createdAt aliases sourceRun { id } evaluations { split metrics } } }\n          }\n        }\n      }\n      pageInfo { hasNextPage }\n    }\n    datasets(project: $project, first: 100) {\n      edges { node { name versionCount } }\n      pageInfo { hasNextPage }\n    }\n    running: runs(project: $project, first: 20, filter: { status: RUNNING }) {\n      edges { node { id name progress etaSeconds startedAt model { name } } }\n    }\n    queued: runs(project: $project, first: 100, filter: { status: QUEUED }) {\n      edges { node { id } }\n      pageInfo { hasNextPage }\n    }\n    recent: runs(project: $project, first: 100) {\n      edges { node { id status } }\n      pageInfo { hasNextPage }\n    }\n  }\n": types.OverviewDocument,
    "\n  query RunDetail($id: ID!, $project: String!) {\n    run(id: $id) {\n      id name kind status params progress etaSeconds eta error attempt workerId backend heartbeatAt cancelRequested startedAt endedAt createdAt metricKeys\n      project { name }\n      model { name }\n      datasetVersion { id number contentSha256 dataset { name } }\n      modelVersion { number model { name } evaluations { split metrics datasetVersion { number dataset { name } } } }\n    }\n    runs(project: $project, first: 50, filter: { kind: TRAINING }) {\n      edges { node { id name model { name } } }\n    }\n  }\n": types.RunDetailDocument,
    "\n  query RunSeries($id: ID!, $key: String!, $maxPoints: Int!) {\n    run(id: $id) {\n      id name\n      metrics(key: $key, maxPoints: $maxPoints) { key totalPoints points { step value min max } }\n    }\n  }\n": types.RunSeriesDocument,
    "\n  mutation CancelRun($id: ID!) { cancelRun(id: $id) { id status cancelRequested } }\n": types.CancelRunDocument,
    "\n  mutation RetryRun($id: ID!) { retryRun(id: $id) { id status attempt } }\n": types.RetryRunDocument,
    "\n  query RunList($project: String!, $after: String, $filter: RunFilter) {\n    runs(project: $project, first: 25, after: $after, filter: $filter) {\n      edges {\n        node {\n          id name kind status progress etaSeconds createdAt startedAt endedAt\n          model { name }\n          datasetVersion { number dataset { name } }\n          modelVersion { number }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.RunListDocument,
    "\n  query TrainChoices($project: String!) {\n    datasets(project: $project, first: 100) {\n      edges { node { name versions(first: 20) { edges { node { id number exampleCount } } } } }\n    }\n    models(project: $project, first: 100) { edges { node { name } } }\n  }\n": types.TrainChoicesDocument,
    "\n  mutation StartTraining($input: StartTrainingInput!) {\n    startTraining(input: $input) { id status }\n  }\n": types.StartTrainingDocument,
    "\n  query Viewer {\n    viewer {\n      user { name }\n      token { name role project { name } }\n      memberships { role project { name description } }\n    }\n  }\n": types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RunUpdatedLive($id: ID!) {\n    runUpdated(id: $id) {\n      id status progress etaSeconds eta error attempt workerId backend heartbeatAt cancelRequested startedAt endedAt\n      modelVersion { number model { name } }\n    }\n  }\n"): typeof import('./graphql').RunUpdatedLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MetricsLoggedLive($runId: ID!) {\n    metricsLogged(runId: $runId) { runId count latest { key step value } }\n  }\n"): typeof import('./graphql').MetricsLoggedLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatasetDetail($project: String!, $name: String!) {\n    dataset(project: $project, name: $name) {\n      id name description tags versionCount createdAt updatedAt\n      versions(first: 100) {\n        edges { node { id number contentSha256 exampleCount sizeBytes splits schema source createdAt } }\n        pageInfo { hasNextPage }\n      }\n    }\n  }\n"): typeof import('./graphql').DatasetDetailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatasetVersionDetail($project: String!, $name: String!, $number: Int!) {\n    dataset(project: $project, name: $name) {\n      name\n      version(number: $number) {\n        id number contentSha256 sizeBytes exampleCount schema splits storageUri source description createdAt\n      }\n    }\n  }\n"): typeof import('./graphql').DatasetVersionDetailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ImportDataset($input: ImportDatasetInput!) {\n    importDataset(input: $input) { id number dataset { name } }\n  }\n"): typeof import('./graphql').ImportDatasetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatasetList($project: String!, $after: String, $filter: DatasetFilter) {\n    datasets(project: $project, first: 25, after: $after, filter: $filter) {\n      edges {\n        node {\n          id name description tags versionCount updatedAt\n          latestVersion { number exampleCount sizeBytes createdAt }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').DatasetListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetModelAlias($project: String!, $model: String!, $alias: String!, $version: Int!) {\n    setModelAlias(project: $project, model: $model, alias: $alias, version: $version) { alias version { number } }\n  }\n"): typeof import('./graphql').SetModelAliasDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CompareVersions($project: String!, $name: String!, $a: Int!, $b: Int!) {\n    model(project: $project, name: $name) {\n      name\n      a: version(number: $a) { ...ComparedVersion }\n      b: version(number: $b) { ...ComparedVersion }\n    }\n  }\n  fragment ComparedVersion on ModelVersion {\n    number status\n    trainingDatasetVersion { id number dataset { name } }\n    evaluations { split metrics confusionMatrix labels datasetVersion { id number dataset { name } } }\n  }\n"): typeof import('./graphql').CompareVersionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelDetail($project: String!, $name: String!) {\n    model(project: $project, name: $name) {\n      id name task description tags versionCount createdAt updatedAt\n      aliases { alias updatedAt version { number } }\n      versions(first: 100) {\n        edges {\n          node {\n            id number status createdAt description tags aliases framework\n            sourceRun { id name status }\n            trainingDatasetVersion { id number dataset { name } }\n            evaluations { split metrics }\n          }\n        }\n        pageInfo { hasNextPage }\n      }\n    }\n  }\n"): typeof import('./graphql').ModelDetailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PromoteModelVersion($project: String!, $model: String!, $version: Int!, $alias: String!, $policy: PromotionPolicyInput!) {\n    promoteModelVersion(project: $project, model: $model, version: $version, alias: $alias, policy: $policy) {\n      promoted alias version previousVersion metric split candidateValue holderValue difference ciLow ciHigh confidence minDelta reason\n      datasetVersion { number dataset { name } }\n    }\n  }\n"): typeof import('./graphql').PromoteModelVersionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelList($project: String!, $after: String, $filter: ModelFilter) {\n    models(project: $project, first: 25, after: $after, filter: $filter) {\n      edges {\n        node {\n          id name task tags versionCount updatedAt\n          aliases { alias version { number } }\n          latestVersion { number status createdAt }\n          versions(first: 50) { edges { node { number evaluations { split metrics } } } }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').ModelListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Overview($project: String!) {\n    models(project: $project, first: 100) {\n      edges {\n        node {\n          name\n          versions(first: 5) {\n            edges { node { number status createdAt aliases sourceRun { id } evaluations { split metrics } } }\n          }\n        }\n      }\n      pageInfo { hasNextPage }\n    }\n    datasets(project: $project, first: 100) {\n      edges { node { name versionCount } }\n      pageInfo { hasNextPage }\n    }\n    running: runs(project: $project, first: 20, filter: { status: RUNNING }) {\n      edges { node { id name progress etaSeconds startedAt model { name } } }\n    }\n    queued: runs(project: $project, first: 100, filter: { status: QUEUED }) {\n      edges { node { id } }\n      pageInfo { hasNextPage }\n    }\n    recent: runs(project: $project, first: 100) {\n      edges { node { id status } }\n      pageInfo { hasNextPage }\n    }\n  }\n"): typeof import('./graphql').OverviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunDetail($id: ID!, $project: String!) {\n    run(id: $id) {\n      id name kind status params progress etaSeconds eta error attempt workerId backend heartbeatAt cancelRequested startedAt endedAt createdAt metricKeys\n      project { name }\n      model { name }\n      datasetVersion { id number contentSha256 dataset { name } }\n      modelVersion { number model { name } evaluations { split metrics datasetVersion { number dataset { name } } } }\n    }\n    runs(project: $project, first: 50, filter: { kind: TRAINING }) {\n      edges { node { id name model { name } } }\n    }\n  }\n"): typeof import('./graphql').RunDetailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunSeries($id: ID!, $key: String!, $maxPoints: Int!) {\n    run(id: $id) {\n      id name\n      metrics(key: $key, maxPoints: $maxPoints) { key totalPoints points { step value min max } }\n    }\n  }\n"): typeof import('./graphql').RunSeriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelRun($id: ID!) { cancelRun(id: $id) { id status cancelRequested } }\n"): typeof import('./graphql').CancelRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryRun($id: ID!) { retryRun(id: $id) { id status attempt } }\n"): typeof import('./graphql').RetryRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunList($project: String!, $after: String, $filter: RunFilter) {\n    runs(project: $project, first: 25, after: $after, filter: $filter) {\n      edges {\n        node {\n          id name kind status progress etaSeconds createdAt startedAt endedAt\n          model { name }\n          datasetVersion { number dataset { name } }\n          modelVersion { number }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').RunListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TrainChoices($project: String!) {\n    datasets(project: $project, first: 100) {\n      edges { node { name versions(first: 20) { edges { node { id number exampleCount } } } } }\n    }\n    models(project: $project, first: 100) { edges { node { name } } }\n  }\n"): typeof import('./graphql').TrainChoicesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartTraining($input: StartTrainingInput!) {\n    startTraining(input: $input) { id status }\n  }\n"): typeof import('./graphql').StartTrainingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      user { name }\n      token { name role project { name } }\n      memberships { role project { name description } }\n    }\n  }\n"): typeof import('./graphql').ViewerDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
