export { startTestApi, postGraphQL, errorCode, dataOf } from './test-api';
export type { TestApi, GraphQLResponse } from './test-api';
export {
  aModel,
  aDatasetVersion,
  aRun,
  aTrainingRun,
  aDeployableModel,
  aDeployableVersion,
  aDeployment,
  anImportedCsv,
  importFinished,
  createProject,
  projectId,
  tokenFor,
  uniqueName,
  SHA,
} from './builders';
export type { DeployableModel } from './builders';
export { databaseSnapshot } from './database-snapshot';
export { captureServerLog, STACK_OR_CRASH } from './server-log';
