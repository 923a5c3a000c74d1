import type { DatasetVersionUpdatedEvent, StoredImportError } from '@lepton/registry';
import type { GraphQLContext } from '../context';
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
    deleteUpload: async (_, { id }, { principal, registry }) => {
      await registry.uploads.delete(principal, id);
      return true;
    },
  },
  Subscription: {
    datasetVersionUpdated: {
      subscribe: async (_, { id }, { principal, registry }) => {
        const version = await registry.datasets.requireVersionAccessible(principal, id);
        return registry.datasetImports.updates(version.id);
      },
      // Read the version fresh for every event: the subscription's context outlives any cache.
      resolve: async (event: DatasetVersionUpdatedEvent, _: unknown, { registry }: GraphQLContext) =>
        (await registry.datasets.versionById(event.datasetVersionId))!,
    },
  },
  Dataset: {
    versions: (dataset, args, { registry }) => registry.datasets.versionsOf(dataset.id, args),
    version: (dataset, { number }, { registry }) => registry.datasets.versionOf(dataset.id, number),
    latestVersion: (dataset, _, { registry }) => (dataset.versionCount > 0 ? registry.datasets.latestReadyVersion(dataset.id) : null),
  },
  DatasetVersion: {
    dataset: async (version, _, { loaders }) => (await loaders.dataset.load(version.datasetId))!,
    sizeBytes: (version) => Number(version.sizeBytes),
    runs: async (version, args, { loaders, registry }) =>
      registry.runs.ofDatasetVersion((await loaders.dataset.load(version.datasetId))!.projectId, version.id, args),
    modelVersions: (version, args, { registry }) => registry.versions.ofTrainingDatasetVersion(version.id, args),
    contentSha256: (version) => version.contentSha256 ?? '',
    storageUri: (version) => version.storageUri ?? '',
    importError: (version) => (version.importError as StoredImportError | null) ?? null,
  },
  DatasetConnection: connectionResolvers(),
  DatasetVersionConnection: connectionResolvers(),
};
