// The model contract: what every part of Lepton agrees a model is. No TensorFlow.js (the lint rules forbid it).
export {
  ACTIVATIONS,
  ARCHITECTURES,
  HYPERPARAMETER_DEFAULTS,
  OPTIMIZERS,
  SPEC_DEFAULTS,
  enumName,
  validateHyperparameters,
  validateTrainingConfig,
} from './spec/model-spec';
export type { Activation, Architecture, DataShape, Hyperparameters, ModelSpec, Optimizer } from './spec/model-spec';
export { ModelConfigError } from './spec/model-config-error';
export { accuracy, confusionMatrix, macroScores, perClassScores, rocAuc } from './metrics/metrics';
export type { ClassScores } from './metrics/metrics';
export { EVALUATION_METRICS, TRAINING_METRICS, isEvaluationMetric } from './metrics/metric-names';
export type { EvaluationMetric } from './metrics/metric-names';
export { artifactKeys } from './artifacts/artifact-keys';
export type {
  CategoricalColumn,
  ImagePreprocessing,
  InputSignature,
  NumericColumn,
  OutputSignature,
  Preprocessing,
  TabularPreprocessing,
} from './signature/signature';
export type { EvaluationReport, ModelLineage, TrainedVersion } from './lineage/trained-version';
