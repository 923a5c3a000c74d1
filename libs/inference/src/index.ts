export { InferenceError, QueueFullError } from './inference-error';
export type { InferenceErrorReason } from './inference-error';
export { artifactKeyOf } from './loading/artifact-location';
export type { BatchingConfig } from './batching/batching-config';
export { DynamicBatcher } from './batching/dynamic-batcher';
export type { BatchReport, BatchResult, DynamicBatcherOptions, RunBatch } from './batching/dynamic-batcher';
export { SerialLane } from './batching/serial-lane';
export { ModelPool } from './pool/model-pool';
export type { Poolable, PoolLease } from './pool/model-pool';
export { instanceEncoder, instanceField } from './preprocessing/instance-encoder';
export type { FieldNamer, InstanceEncoder, RawFeature } from './preprocessing/instance-encoder';
export { BACKENDS, isBackendName, tfjsBackendSource } from './runtime/backend-source';
export type { BackendName, BackendSource } from './runtime/backend-source';
export { nativeTensorflow } from './runtime/native-tensorflow';
export { InferenceRuntime, SWITCH_MARGIN } from './runtime/inference-runtime';
export type {
  AvailableBackends,
  BackendChoice,
  BackendTrial,
  InferenceRuntimeOptions,
  RuntimeModel,
} from './runtime/inference-runtime';
export { ServableModel, predictedLabels } from './servable/servable-model';
export type { Predictions } from './servable/servable-model';
export { loadServableModel } from './servable/load-servable-model';
export type { ServableLoadOptions, ServableSource } from './servable/load-servable-model';
