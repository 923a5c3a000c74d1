export { SCENARIOS, SCENARIO_KEYS, POSITIVE_CLASS, NEGATIVE_CLASS, scenarioDefinition } from './catalog/scenario-catalog';
export type { DemoDefinition, ScenarioDefinition, ScenarioKey, DemoSpec, DemoHyperparameters } from './catalog/scenario-catalog';
export { ScenarioService, demoState, scenarioState } from './scenario/scenario.service';
export type { DemoView, ScenarioView, RetrainInput, StoredRetraining } from './scenario/scenario.service';
export { readSteps } from './scenario/scenario-steps';
export type { DemoState, ScenarioStep, StepKind, StepStatus } from './scenario/scenario-steps';
export type { FeatureSummary } from './data/scenario-data';
