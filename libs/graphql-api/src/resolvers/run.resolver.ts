import { runLease, type MetricsLoggedEvent, type RunRecord, type RunUpdatedEvent } from '@lepton/registry';
import type { GraphQLContext } from '../context';
import type { Resolvers } from '../generated/resolvers-types';
import { connectionResolvers } from './connection';

/** The ETA counts only while a worker holds the run: a lost or handed-back run has none. */
function liveEta(run: RunRecord): Date | null {
  const lease = runLease(run);
  return lease && lease.state !== 'ACTIVE' ? null : run.etaAt;
}

export const runResolvers: Resolvers = {
  Query: {
    runs: (_, args, { principal, registry }) => registry.runs.list(principal, args.project, args, args.filter ?? {}),
    run: (_, { id }, { principal, registry }) => registry.runs.get(principal, id),
  },
  Mutation: {
    createRun: (_, { input }, { principal, registry }) => registry.runs.create(principal, input),
    logMetrics: (_, { runId, points, series }, { principal, registry }) => registry.metrics.log(principal, runId, { points, series }),
    finishRun: (_, { id, status, error }, { principal, registry }) => registry.runs.finish(principal, id, status, error),
  },
  Subscription: {
    runUpdated: {
      subscribe: async (_, { id }, { principal, registry }) => {
        const run = await registry.runs.requireAccessible(principal, id, 'VIEWER');
        return registry.runs.updates(run.id);
      },
      // Read the run fresh for every event: the subscription's context outlives any cache.
      resolve: async (event: RunUpdatedEvent, _: unknown, { principal, registry }: GraphQLContext) =>
        (await registry.runs.get(principal, event.runId))!,
    },
    metricsLogged: {
      subscribe: async (_, { runId }, { principal, registry }) => {
        const run = await registry.runs.requireAccessible(principal, runId, 'VIEWER');
        return registry.metrics.logged(run.id);
      },
      resolve: (event: MetricsLoggedEvent) => event,
    },
  },
  Run: {
    project: async (run, _, { loaders }) => (await loaders.project.load(run.projectId))!,
    metricKeys: (run, _, { registry }) => registry.metrics.keys(run.id),
    latestMetrics: (run, _, { registry }) => registry.metrics.latest(run.id),
    metrics: (run, { key, maxPoints, fromStep, toStep }, { registry }) =>
      registry.metrics.series(run.id, key, maxPoints ?? 1000, { fromStep, toStep }),
    modelVersions: (run, _, { loaders }) => loaders.versionsOfRun.load(run.id),
    eta: (run) => liveEta(run),
    etaSeconds: (run) => {
      const eta = liveEta(run);
      return eta ? Math.max(0, Math.round((eta.getTime() - Date.now()) / 1000)) : null;
    },
    lease: (run) => runLease(run),
    model: (run, _, { loaders }) => (run.modelId ? loaders.model.load(run.modelId) : null),
    datasetVersion: (run, _, { loaders }) => (run.datasetVersionId ? loaders.datasetVersion.load(run.datasetVersionId) : null),
    modelVersion: async (run, _, { loaders }) => (run.kind === 'TRAINING' ? ((await loaders.versionsOfRun.load(run.id))[0] ?? null) : null),
  },
  RunConnection: connectionResolvers(),
};
