import { DomainError, MAX_CURVE_POINTS, MIN_CURVE_POINTS, outcomesAuc, thresholdCurve } from '@lepton/registry';
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
    positiveLabel: async (evaluation, _, { loaders }) =>
      (await loaders.evaluationOutcomes.load(evaluation.id)) ? evaluation.labels[1]! : null,
    auc: async (evaluation, _, { loaders }) => {
      const outcomes = await loaders.evaluationOutcomes.load(evaluation.id);
      return outcomes ? outcomesAuc(outcomes) : null;
    },
    thresholdCurve: async (evaluation, { points }, { loaders }) => {
      const count = points ?? 101;
      if (!Number.isInteger(count) || count < MIN_CURVE_POINTS || count > MAX_CURVE_POINTS) {
        throw new DomainError('BAD_USER_INPUT', `points must be between ${MIN_CURVE_POINTS} and ${MAX_CURVE_POINTS}`, { field: 'points' });
      }
      const outcomes = await loaders.evaluationOutcomes.load(evaluation.id);
      return outcomes ? thresholdCurve(outcomes, count) : null;
    },
  },
};
