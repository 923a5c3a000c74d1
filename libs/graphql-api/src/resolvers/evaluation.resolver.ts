import type { Resolvers } from '../generated/resolvers-types';

export const evaluationResolvers: Resolvers = {
  Query: {
    evaluations: (_, args, { principal, registry }) => registry.evaluations.list(principal, args.project, args.model, args.version),
  },
  Mutation: {
    recordEvaluation: (_, { input }, { principal, registry }) => registry.evaluations.record(principal, input),
  },
  Evaluation: {
    modelVersion: async (evaluation, _, { loaders }) => (await loaders.version.load(evaluation.modelVersionId))!,
    datasetVersion: async (evaluation, _, { loaders }) => (await loaders.datasetVersion.load(evaluation.datasetVersionId))!,
    confusionMatrix: (evaluation) => (evaluation.confusionMatrix as number[][] | null) ?? null,
  },
};
