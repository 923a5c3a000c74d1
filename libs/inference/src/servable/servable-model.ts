import type { BatchReport } from '../batching/dynamic-batcher';
import { DynamicBatcher } from '../batching/dynamic-batcher';
import type { BatchingConfig } from '../batching/batching-config';
import type { Poolable } from '../pool/model-pool';
import type { FieldNamer, InstanceEncoder } from '../preprocessing/instance-encoder';
import type { BackendChoice, InferenceRuntime, RuntimeModel } from '../runtime/inference-runtime';

/** A request's answer: per instance, one probability per class (rows × classes, row-major). */
export interface Predictions {
  rows: number;
  classes: readonly string[];
  probabilities: Float32Array;
  /** Rows of the largest batch the request's instances ran in. */
  batchSize: number;
}

/** The predicted class of each instance: the most probable (the first of equals). */
export function predictedLabels(predictions: Predictions): string[] {
  const { rows, classes, probabilities } = predictions;
  const width = classes.length;
  const labels: string[] = [];
  for (let row = 0; row < rows; row++) {
    let best = 0;
    for (let c = 1; c < width; c++) if (probabilities[row * width + c]! > probabilities[row * width + best]!) best = c;
    labels.push(classes[best]!);
  }
  return labels;
}

/**
 * One deployed model ready to answer: raw instances are checked and encoded with the training dataset's own
 * preprocessing, queued in the dynamic batcher, run on the model's backend, and answered per caller.
 */
export class ServableModel implements Poolable {
  readonly batcher: DynamicBatcher;

  constructor(
    readonly encoder: InstanceEncoder,
    readonly classes: readonly string[],
    private readonly model: RuntimeModel,
    runtime: InferenceRuntime,
    batching: BatchingConfig,
    onBatch?: (report: BatchReport) => void,
  ) {
    this.batcher = new DynamicBatcher(batching, {
      inputWidth: encoder.featureSize,
      outputWidth: classes.length,
      run: (input, rows) => model.predict(input, rows),
      lane: runtime.lane,
      ...(onBatch ? { onBatch } : {}),
    });
  }

  get weightBytes(): number {
    return this.model.weightBytes;
  }

  get backend(): BackendChoice {
    return this.model.choice;
  }

  /** Throws InferenceError: INVALID_INPUT naming the field, TOO_MANY_INSTANCES, QUEUE_FULL, PREDICTION_FAILED. */
  async predict(instances: readonly unknown[], field?: FieldNamer): Promise<Predictions> {
    const input = this.encoder.encode(instances, field);
    const { outputs, batchSize } = await this.batcher.submit(input, instances.length);
    return { rows: instances.length, classes: this.classes, probabilities: outputs, batchSize };
  }

  dispose(): void {
    this.model.dispose();
  }
}
