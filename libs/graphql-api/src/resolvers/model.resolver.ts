import { DomainError } from '@lepton/registry';
import type { Resolvers } from '../generated/resolvers-types';
import { connectionResolvers } from './connection';

export const modelResolvers: Resolvers = {
  Query: {
    models: (_, args, { principal, registry }) => registry.models.list(principal, args.project, args, args.filter ?? {}),
    model: (_, args, { principal, registry }) => registry.models.get(principal, args.project, args.name),
  },
  Mutation: {
    registerModel: (_, { input }, { principal, registry }) => registry.models.register(principal, input),
    updateModel: (_, { input }, { principal, registry }) => registry.models.update(principal, input),
    createModelVersion: (_, { input }, { principal, registry }) => registry.versions.create(principal, input),
    updateModelVersion: (_, { input }, { principal, registry }) => registry.versions.update(principal, input),
    setModelAlias: (_, args, { principal, registry }) => registry.versions.setAlias(principal, args),
    deleteModelAlias: (_, args, { principal, registry }) => registry.versions.deleteAlias(principal, args),
  },
  RegisteredModel: {
    versions: (model, args, { loaders }) => loaders.versionPage(args.first, args.after).load(model.id),
    version: (model, { number, alias }, { registry }) => {
      if ((number == null) === (alias == null)) {
        throw new DomainError('BAD_USER_INPUT', 'Pass exactly one of number or alias');
      }
      return number != null ? registry.versions.byNumber(model.id, number) : registry.versions.byAlias(model.id, alias!);
    },
    aliases: (model, _, { loaders }) => loaders.aliasesOfModel.load(model.id),
    latestVersion: (model, _, { loaders }) => loaders.latestVersion.load(model.id),
  },
  ModelVersion: {
    model: async (version, _, { loaders }) => (await loaders.model.load(version.modelId))!,
    sourceRun: (version, _, { loaders }) => (version.sourceRunId ? loaders.run.load(version.sourceRunId) : null),
    trainingDatasetVersion: (version, _, { loaders }) =>
      version.trainingDatasetVersionId ? loaders.datasetVersion.load(version.trainingDatasetVersionId) : null,
    aliases: (version, _, { loaders }) => loaders.aliasesOfVersion.load(version.id),
    evaluations: (version, _, { loaders }) => loaders.evaluationsOfVersion.load(version.id),
  },
  ModelAlias: {
    version: async (alias, _, { loaders }) => (await loaders.version.load(alias.versionId))!,
  },
  RegisteredModelConnection: connectionResolvers(),
  ModelVersionConnection: connectionResolvers(),
};
