import {
  revisionServingState,
  storedCanaryAnalysis,
  type DeploymentRecord,
  type DeploymentRevisionRecord,
} from '@lepton/registry';
import type { GraphQLContext } from '../context';
import type { Resolvers } from '../generated/resolvers-types';
import type { CanaryAnalysisResultSource, TrafficSplitSource } from '../mappers';
import { connectionResolvers } from './connection';

async function servingState(revision: DeploymentRevisionRecord, { loaders }: GraphQLContext) {
  return revisionServingState(revision.id, await loaders.liveInstances());
}

async function revision(id: string, { loaders }: GraphQLContext): Promise<DeploymentRevisionRecord> {
  return (await loaders.deploymentRevision.load(id))!;
}

async function servingBase(context: GraphQLContext): Promise<string> {
  return context.registry.predictions.publicBaseUrl(await context.loaders.liveInstances());
}

function traffic(deployment: DeploymentRecord): TrafficSplitSource[] {
  const stable = { revisionId: deployment.stableRevisionId!, weight: 100 - deployment.canaryWeight };
  return deployment.canaryRevisionId
    ? [stable, { revisionId: deployment.canaryRevisionId, weight: deployment.canaryWeight }]
    : [stable];
}

export const deploymentResolvers: Resolvers = {
  Query: {
    deployments: (_, args, { principal, registry }) => registry.deployments.list(principal, args.project, args),
    deployment: (_, { name }, { principal, registry }) => registry.deployments.get(principal, name),
  },
  Mutation: {
    createDeployment: (_, { input }, { principal, registry }) => registry.deployments.create(principal, input),
    setDeploymentCanary: (_, args, { principal, registry }) => registry.deployments.setCanary(principal, args),
    promoteCanary: (_, { name }, { principal, registry }) => registry.deployments.promoteCanary(principal, name),
    rollbackDeployment: (_, { name, toRevision }, { principal, registry }) =>
      registry.deployments.rollback(principal, name, toRevision),
    deleteDeployment: (_, { name }, { principal, registry }) => registry.deployments.delete(principal, name),
    createDeploymentKey: (_, args, { principal, registry }) => registry.deployments.createKey(principal, args),
    revokeDeploymentKey: (_, { id }, { principal, registry }) => registry.deployments.revokeKey(principal, id),
    predict: (_, { deployment, instances }, { principal, authorization, registry }) =>
      registry.predictions.predict(principal, authorization, deployment, instances),
  },
  Subscription: {
    deploymentUpdated: {
      subscribe: async (_, { name }, { principal, registry }) => {
        const deployment = await registry.deployments.requireAccessible(principal, name, 'VIEWER');
        return registry.deployments.updates(deployment.id);
      },
      // Read fresh (and re-checked) for every event: null once the deployment is gone.
      resolve: (event: { deploymentId: string }, _: unknown, { principal, registry }: GraphQLContext) =>
        registry.deployments.getById(principal, event.deploymentId),
    },
  },
  Deployment: {
    project: async (deployment, _, { loaders }) => (await loaders.project.load(deployment.projectId))!,
    model: async (deployment, _, { loaders }) => (await loaders.model.load(deployment.modelId))!,
    status: async (deployment, _, context) =>
      (await servingState(await revision(deployment.stableRevisionId!, context), context)).state,
    endpoint: async (deployment, _, context) =>
      `${await servingBase(context)}/v1/deployments/${deployment.name}/predict`,
    inferenceEndpoint: async (deployment, _, context) => `${await servingBase(context)}/v2/models/${deployment.name}`,
    currentRevision: (deployment, _, context) => revision(deployment.stableRevisionId!, context),
    revisions: (deployment, args, { loaders }) => loaders.revisionPage(args.first, args.after).load(deployment.id),
    revision: (deployment, { number }, { registry }) => registry.deployments.revisionByNumber(deployment.id, number),
    traffic: (deployment) => traffic(deployment),
    canary: (deployment) => (deployment.canaryRevisionId ? deployment : null),
    followAlias: (deployment) => (deployment.followAlias ? deployment : null),
    metrics: (deployment, args, { registry }) =>
      registry.requestStats.metrics(deployment.id, args.window ?? 3600, args.step ?? 60),
    events: (deployment, args, { registry }) => registry.deployments.events(deployment.id, args),
    requestLog: (deployment, args, { registry }) => registry.requestStats.requestLog(deployment.id, args),
    keys: (deployment, _, { loaders }) => loaders.deploymentKeys.load(deployment.id),
    createdBy: (deployment, _, { loaders }) =>
      deployment.createdById ? loaders.user.load(deployment.createdById) : null,
  },
  DeploymentRevision: {
    modelVersion: async (revision, _, { loaders }) => (await loaders.version.load(revision.modelVersionId))!,
    batching: (revision) => ({
      maxBatchSize: revision.maxBatchSize,
      maxQueueDelayMs: revision.maxQueueDelayMs,
      maxQueueSize: revision.maxQueueSize,
    }),
    state: async (revision, _, context) => (await servingState(revision, context)).state,
    readyInstances: async (revision, _, context) => (await servingState(revision, context)).readyInstances,
    failure: async (revision, _, context) => (await servingState(revision, context)).failure,
    createdBy: (revision, _, { loaders }) => (revision.createdById ? loaders.user.load(revision.createdById) : null),
  },
  TrafficSplit: {
    revision: (split, _, context) => revision(split.revisionId, context),
    modelVersion: async (split, _, context) =>
      (await context.loaders.version.load((await revision(split.revisionId, context)).modelVersionId))!,
  },
  Canary: {
    revision: (deployment, _, context) => revision(deployment.canaryRevisionId!, context),
    weight: (deployment) => deployment.canaryWeight,
    analysis: (deployment) => storedCanaryAnalysis(deployment.canaryAnalysis),
    startedAt: (deployment) => deployment.canaryStartedAt!,
    // Written only by DeploymentService.applyAnalysis, in this shape.
    lastAnalysis: (deployment) => deployment.canaryLastAnalysis as CanaryAnalysisResultSource | null,
  },
  CanaryAnalysisResult: {
    at: (result) => new Date(result.at),
  },
  AliasFollowing: {
    alias: (deployment) => deployment.followAlias!,
    rollout: (deployment) => deployment.aliasRollout,
    canaryWeight: (deployment) => deployment.aliasCanaryWeight,
    analysis: (deployment) => storedCanaryAnalysis(deployment.aliasCanaryAnalysis),
  },
  DeploymentMetrics: {
    step: (metrics) => metrics.stepSeconds,
  },
  RevisionMetrics: {
    revision: (metrics, _, context) => revision(metrics.revisionId, context),
  },
  DeploymentEvent: {
    id: (event) => event.id.toString(),
    revision: (event, _, { loaders }) => (event.revisionId ? loaders.deploymentRevision.load(event.revisionId) : null),
    actor: (event) => event.actor?.name ?? null,
  },
  RequestLogEntry: {
    id: (entry) => entry.id.toString(),
    revision: (entry, _, { loaders }) => (entry.revisionId ? loaders.deploymentRevision.load(entry.revisionId) : null),
  },
  CreateDeploymentKeyResult: {
    deploymentKey: (result) => result.record,
  },
  DeploymentConnection: connectionResolvers(),
  DeploymentRevisionConnection: connectionResolvers(),
  DeploymentEventConnection: connectionResolvers(),
  RequestLogConnection: connectionResolvers(),
};
