import type { Resolvers } from '../generated/resolvers-types';

/**
 * GraphQL nulls mean "not given": drop them so the contract's defaults and checks apply. (The contract takes the
 * enums' names, e.g. CNN_SMALL, and stores its own values, e.g. cnn-small.)
 */
function given<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined)) as Partial<T>;
}

export const trainingResolvers: Resolvers = {
  Mutation: {
    importDataset: (_, { input }, { principal, registry }) =>
      registry.datasetImports.import(principal, { ...input, options: input.options ? given(input.options) : null }),
    startTraining: (_, { input }, { principal, registry }) =>
      registry.training.start(principal, {
        ...input,
        spec: given(input.spec),
        hyperparameters: given(input.hyperparameters),
      }),
    cancelRun: (_, { id }, { principal, registry }) => registry.training.cancel(principal, id),
    retryRun: (_, { id }, { principal, registry }) => registry.training.retry(principal, id),
    promoteModelVersion: (_, args, { principal, registry }) => registry.promotion.promote(principal, args),
  },
  PromotionDecision: {
    datasetVersion: (decision, _, { loaders }) => (decision.datasetVersionId ? loaders.datasetVersion.load(decision.datasetVersionId) : null),
  },
};
