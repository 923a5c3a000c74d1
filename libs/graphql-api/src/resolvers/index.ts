import type { Resolvers } from '../generated/resolvers-types';
import { authResolvers } from './auth.resolver';
import { datasetResolvers } from './dataset.resolver';
import { deploymentResolvers } from './deployment.resolver';
import { evaluationResolvers } from './evaluation.resolver';
import { modelResolvers } from './model.resolver';
import { runResolvers } from './run.resolver';
import { scenarioResolvers } from './scenario.resolver';
import { trainingResolvers } from './training.resolver';
import { DateTimeScalar, JSONScalar } from './scalars';

const domains = [authResolvers, datasetResolvers, modelResolvers, runResolvers, evaluationResolvers, trainingResolvers, deploymentResolvers, scenarioResolvers];

/** Merges each domain's resolvers type by type. */
export const resolvers: Resolvers = domains.reduce<Resolvers>(
  (merged, domain) => {
    for (const [typeName, fields] of Object.entries(domain)) {
      const target = merged as Record<string, object>;
      target[typeName] = { ...(target[typeName] ?? {}), ...(fields as object) };
    }
    return merged;
  },
  { DateTime: DateTimeScalar, JSON: JSONScalar },
);
