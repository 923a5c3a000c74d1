import type { EvaluationMetric } from '../metrics/metric-names';
import type { InputSignature, OutputSignature } from '../signature/signature';
import type { Hyperparameters, ModelSpec } from '../spec/model-spec';

/** How a version came to be: kept with its run, shown with the version. */
export interface ModelLineage {
  runId: string;
  datasetVersionId: string;
  datasetContentSha256: string;
  spec: ModelSpec;
  hyperparameters: Hyperparameters;
  seed: number;
  backend: string;
  device: string;
  libraries: Record<string, string>;
  /** Why this backend: a short measured trial when native TensorFlow and wasm both load. */
  backendChoice: { reason: string; trials: unknown[] };
  gitCommit: string | null;
  workerId: string;
  attempt: number;
  epochsCompleted: number;
  stoppedEarly: boolean;
  /** The epoch whose weights the version carries (early stopping keeps the best validation loss); null: the last. */
  bestEpoch: number | null;
  resumedFromEpoch: number | null;
  samplesPerSecond: number;
}

/** An evaluation of a version on a split, with the per-example outcomes a promotion gate resamples. */
export interface EvaluationReport {
  split: 'train' | 'validation' | 'test';
  metrics: Partial<Record<EvaluationMetric, number>>;
  confusionMatrix: number[][];
  labels: string[];
  targets: number[];
  predictions: number[];
  /** Positive-class scores (binary classifiers), else empty. */
  scores: number[];
}

/** What a worker registers when a training run succeeds. */
export interface TrainedVersion {
  artifactUri: string;
  framework: 'tfjs-layers';
  inputSignature: InputSignature;
  outputSignature: OutputSignature;
  description: string;
  tags: string[];
  lineage: ModelLineage;
  evaluation: EvaluationReport;
}
