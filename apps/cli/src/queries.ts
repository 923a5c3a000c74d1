/** The GraphQL documents the CLI sends. */
export const QUERIES = {
  viewer: `{ viewer { user { name } } }`,
  importDataset: `mutation($input: ImportDatasetInput!) {
    importDataset(input: $input) { id number status dataset { name } }
  }`,
  importedVersion: `query($project: String!, $name: String!, $number: Int!) {
    dataset(project: $project, name: $name) {
      version(number: $number) {
        id number status importProgress importError { message file line column }
        exampleCount contentSha256 splits schema
      }
    }
  }`,
  datasets: `query($project: String!) { datasets(project: $project, first: 100) { edges { node { name versionCount } } } }`,
  datasetVersion: `query($project: String!, $name: String!, $number: Int!, $pinned: Boolean!) {
    dataset(project: $project, name: $name) { latestVersion { id } version(number: $number) @include(if: $pinned) { id } }
  }`,
  startTraining: `mutation($input: StartTrainingInput!) { startTraining(input: $input) { id status } }`,
  watchRun: `query($id: ID!) {
    run(id: $id) {
      id name status progress etaSeconds backend error attempt lease { state }
      latestMetrics { key step value }
      modelVersion { number model { name } }
    }
  }`,
  models: `query($project: String!) { models(project: $project, first: 100) { edges { node { name task versionCount latestVersion { number } } } } }`,
  model: `query($project: String!, $name: String!) {
    model(project: $project, name: $name) {
      name
      aliases { alias version { number } }
      versions(first: 100) { edges { node { number status evaluations { split metrics } } } }
    }
  }`,
} as const;
