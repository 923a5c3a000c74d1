import type { Resolvers } from '../generated/resolvers-types';
import { connectionResolvers } from './connection';

export const datasetResolvers: Resolvers = {
  Query: {
    datasets: (_, args, { principal, registry }) => registry.datasets.list(principal, args.project, args, args.filter ?? {}),
    dataset: (_, args, { principal, registry }) => registry.datasets.get(principal, args.project, args.name),
  },
  Mutation: {
    createDataset: (_, { input }, { principal, registry }) => registry.datasets.create(principal, input),
    createDatasetVersion: (_, { input }, { principal, registry }) => registry.datasets.createVersion(principal, input),
  },
  Dataset: {
    versions: (dataset, args, { registry }) => registry.datasets.versionsOf(dataset.id, args),
    version: (dataset, { number }, { registry }) => registry.datasets.versionOf(dataset.id, number),
    latestVersion: (dataset, _, { registry }) =>
      dataset.versionCount > 0 ? registry.datasets.versionOf(dataset.id, dataset.versionCount) : null,
  },
  DatasetVersion: {
    dataset: async (version, _, { loaders }) => (await loaders.dataset.load(version.datasetId))!,
    sizeBytes: (version) => Number(version.sizeBytes),
    runs: async (version, args, { loaders, registry }) =>
      registry.runs.ofDatasetVersion((await loaders.dataset.load(version.datasetId))!.projectId, version.id, args),
    modelVersions: (version, args, { registry }) => registry.versions.ofTrainingDatasetVersion(version.id, args),
  },
  DatasetConnection: connectionResolvers(),
  DatasetVersionConnection: connectionResolvers(),
};
