import { demoState, readSteps, scenarioState, type StoredRetraining } from '@lepton/scenarios';
import type { GraphQLContext } from '../context';
import type { Resolvers } from '../generated/resolvers-types';
import type { ScenarioSource } from '../mappers';

const date = (value: string | null) => (value ? new Date(value) : null);

export const scenarioResolvers: Resolvers = {
  Query: {
    scenarios: (_, { project }, { principal, scenarios }) => scenarios.list(principal, project),
    scenario: (_, { project, key }, { principal, scenarios }) => scenarios.get(principal, project, key),
    scenarioImage: (_, { project, key, demo, image }, { principal, scenarios }) => scenarios.fitImage(principal, project, key, demo, image),
  },
  Mutation: {
    prepareScenario: (_, { project, key }, { principal, scenarios }) => scenarios.prepare(principal, project, key),
    retrainScenarioDemo: (_, args, { principal, scenarios }) =>
      scenarios.retrain(principal, {
        project: args.project,
        key: args.key,
        demo: args.demo,
        hyperparameters: withoutNulls(args.hyperparameters),
        spec: args.spec ? withoutNulls(args.spec) : undefined,
        canaryWeight: args.canaryWeight,
      }),
  },
  Subscription: {
    scenarioUpdated: {
      subscribe: (_, { project, key }, { principal, scenarios }) => scenarios.updates(principal, project, key),
      resolve: (scenario: ScenarioSource, _: unknown, __: GraphQLContext) => scenario,
    },
  },
  Scenario: {
    key: (scenario) => scenario.definition.key,
    title: (scenario) => scenario.definition.title,
    field: (scenario) => scenario.definition.field,
    summary: (scenario) => scenario.definition.summary,
    caveats: (scenario) => scenario.definition.caveats,
    state: (scenario) => scenarioState(scenario),
    demos: (scenario) => scenario.demos,
    preparedAt: (scenario) => {
      const times = scenario.demos.map((demo) => demo.record?.preparedAt ?? null);
      return times.every((time) => time !== null) ? new Date(Math.max(...times.map((time) => time!.getTime()))) : null;
    },
  },
  ScenarioDemo: {
    key: (demo) => demo.definition.key,
    title: (demo) => demo.definition.title,
    description: (demo) => demo.definition.description,
    datasetName: (demo) => demo.definition.datasetName,
    modelName: (demo) => demo.definition.modelName,
    deploymentName: (demo) => demo.deploymentName,
    task: (demo) => demo.definition.task,
    positiveLabel: (_, __, { scenarios }) => scenarios.positiveLabel,
    negativeLabel: (_, __, { scenarios }) => scenarios.negativeLabel,
    positiveName: (demo) => demo.definition.positiveName,
    negativeName: (demo) => demo.definition.negativeName,
    features: (demo, _, { scenarios }) => scenarios.featuresOf(demo.definition),
    spec: (demo) => demo.definition.spec,
    hyperparameters: (demo) => demo.definition.hyperparameters,
    qualityBar: (demo) => demo.definition.qualityBar,
    state: (demo) => demoState(demo),
    steps: (demo) => readSteps(demo.record?.steps),
    datasetVersion: (demo, _, { loaders }) => load(loaders.datasetVersion, demo.record?.datasetVersionId),
    modelVersion: (demo, _, { loaders }) => load(loaders.version, demo.record?.modelVersionId),
    run: (demo, _, { loaders }) => load(loaders.run, demo.record?.runId),
    evaluation: (demo, _, { loaders }) => load(loaders.evaluation, demo.record?.evaluationId),
    deployment: (demo, _, { loaders }) => load(loaders.deployment, demo.record?.deploymentId),
    retraining: (demo) => (demo.record?.retraining as StoredRetraining | null) ?? null,
    samples: (demo, { first }, { scenarios }) => scenarios.samples(demo, first ?? 20),
  },
  ScenarioRetraining: {
    startedAt: (retraining) => new Date(retraining.startedAt),
    finishedAt: (retraining) => date(retraining.finishedAt),
    run: (retraining, _, { loaders }) => load(loaders.run, retraining.runId),
    modelVersion: (retraining, _, { loaders }) => load(loaders.version, retraining.modelVersionId),
    evaluation: (retraining, _, { loaders }) => load(loaders.evaluation, retraining.evaluationId),
  },
};

function load<T>(loader: { load(id: string): Promise<T | null> }, id: string | null | undefined): Promise<T | null> | null {
  return id ? loader.load(id) : null;
}

/** GraphQL inputs carry nulls for left-out fields; the trainer's validation wants them absent. */
function withoutNulls<T extends object>(input: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };
}
