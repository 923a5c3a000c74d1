import { loadModel } from '@lepton/model-io';
import * as tf from '@tensorflow/tfjs';
import { SerialLane } from '../batching/serial-lane';
import { invalidModel } from '../inference-error';
import type { BackendName, BackendSource } from './backend-source';

/** Rows per second of one model on one backend, measured on batches of the deployment's maxBatchSize. */
export interface BackendTrial {
  backend: BackendName;
  rowsPerSecond: number;
  batches: number;
}

/** The backend a model runs on, how it was chosen, and the figures behind the choice. */
export interface BackendChoice {
  backend: BackendName;
  versions: Record<string, string>;
  /** Empty when there was nothing to compare (one backend loads, or LEPTON_TF_BACKEND forces one). */
  trials: BackendTrial[];
  reason: string;
}

export interface AvailableBackends {
  /** Best first. */
  loaded: BackendName[];
  skipped: { backend: BackendName; reason: string }[];
}

/** A model loaded on its backend, called only from inside the runtime's lane (the batcher's `run`). */
export interface RuntimeModel {
  readonly choice: BackendChoice;
  readonly weightBytes: number;
  /** Per instance, without the batch dimension. */
  readonly inputShape: number[];
  readonly outputWidth: number;
  /** `rows` instances → rows × outputWidth values: one model.predict and one async read per call. */
  predict(input: Float32Array, rows: number): Promise<Float32Array>;
  dispose(): void;
}

export interface InferenceRuntimeOptions {
  backends: BackendSource;
  /** Backends to consider, best first; a single one when LEPTON_TF_BACKEND forces it. */
  candidates: readonly BackendName[];
  /** Set when LEPTON_TF_BACKEND forced the candidates (reported as the reason). */
  forcedBy?: string;
  lane?: SerialLane;
  /** Measuring time per backend in a trial (at least MIN_TRIAL_BATCHES batches). */
  trialMs?: number;
}

/** Another backend must beat the better-ranked one by this much: trials on a busy machine are noisy. */
export const SWITCH_MARGIN = 1.15;
const MIN_TRIAL_BATCHES = 3;
const MAX_TRIAL_BATCHES = 200;
const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, string: 0 };
const rate = (value: number) => Math.round(value).toLocaleString('en-US');

/**
 * Where served models run. TensorFlow.js has one active backend per process, so every model call, load and
 * trial takes its turn in one lane, and each model's backend is activated before its calls. A model's weights
 * are created on its backend when it loads and stay there, so switching between models on different backends
 * moves no data.
 */
export class InferenceRuntime {
  readonly lane: SerialLane;
  private availability: Promise<AvailableBackends> | null = null;

  constructor(private readonly options: InferenceRuntimeOptions) {
    this.lane = options.lane ?? new SerialLane();
  }

  /** Which candidates load here (each tried once per process), best first, and why the others do not. */
  available(): Promise<AvailableBackends> {
    this.availability ??= this.lane.run(async () => {
      const result: AvailableBackends = { loaded: [], skipped: [] };
      for (const backend of this.options.candidates) {
        try {
          await this.options.backends.activate(backend);
          result.loaded.push(backend);
        } catch (error) {
          const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
          result.skipped.push({ backend, reason });
        }
      }
      if (result.loaded.length === 0) {
        throw new Error(
          `No TensorFlow.js backend loads: ${result.skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`,
        );
      }
      return result;
    });
    return this.availability;
  }

  /**
   * Loads the TF.js layers model in `dir` (through model-io's checks), warms it up with a prediction on zeros,
   * and picks its backend: with two or more backends loading, the two best are each timed on batches of
   * `batchRows` zeros for a short while and the model stays on the faster (the better-ranked unless the other is
   * SWITCH_MARGIN× faster).
   */
  async load(dir: string, batchRows: number): Promise<RuntimeModel> {
    const { loaded } = await this.available();
    const contenders = this.options.forcedBy ? loaded.slice(0, 1) : loaded.slice(0, 2);
    return this.lane.run(async () => {
      if (contenders.length === 1) {
        const backend = contenders[0]!;
        const model = await this.loadOn(backend, dir);
        await warmUp(model, batchRows).catch((error: unknown) => {
          model.dispose();
          throw error;
        });
        const reason = this.options.forcedBy ?? `${backend} is the only backend that loads here`;
        return this.runtimeModel(model, {
          backend,
          versions: this.options.backends.describe(backend),
          trials: [],
          reason,
        });
      }
      const measured: { model: tf.LayersModel; trial: BackendTrial }[] = [];
      try {
        for (const backend of contenders) {
          const model = await this.loadOn(backend, dir);
          measured.push({ model, trial: { backend, rowsPerSecond: 0, batches: 0 } });
          await warmUp(model, batchRows);
          measured[measured.length - 1]!.trial = await this.trial(backend, model, batchRows);
        }
      } catch (error) {
        for (const { model } of measured) model.dispose();
        throw error;
      }
      const [best, other] = measured as [(typeof measured)[0], (typeof measured)[0]];
      const ratio = other.trial.rowsPerSecond / best.trial.rowsPerSecond;
      const figures = `${rate(best.trial.rowsPerSecond)} rows/s on ${best.trial.backend} vs ${rate(other.trial.rowsPerSecond)} on ${other.trial.backend}, batches of ${batchRows}`;
      const [kept, dropped, reason] =
        ratio >= SWITCH_MARGIN
          ? [other, best, `${other.trial.backend} serves this model ${ratio.toFixed(2)}× faster (${figures})`]
          : [
              best,
              other,
              `${best.trial.backend} (${figures}; ${other.trial.backend} would need to be ${SWITCH_MARGIN}× faster)`,
            ];
      dropped.model.dispose();
      const trials = measured.map(({ trial }) => trial);
      return this.runtimeModel(kept.model, {
        backend: kept.trial.backend,
        versions: this.options.backends.describe(kept.trial.backend),
        trials,
        reason,
      });
    });
  }

  /** Loads with `backend` active, so the weights are created on it. */
  private async loadOn(backend: BackendName, dir: string): Promise<tf.LayersModel> {
    await this.options.backends.activate(backend);
    return loadModel(dir);
  }

  private async trial(backend: BackendName, model: tf.LayersModel, batchRows: number): Promise<BackendTrial> {
    const trialMs = this.options.trialMs ?? 200;
    const input = zerosFor(model, batchRows);
    let batches = 0;
    const started = performance.now();
    while (batches < MAX_TRIAL_BATCHES && (batches < MIN_TRIAL_BATCHES || performance.now() - started < trialMs)) {
      await predictOnce(model, input, batchRows);
      batches++;
    }
    const seconds = (performance.now() - started) / 1000;
    return { backend, batches, rowsPerSecond: (batches * batchRows) / seconds };
  }

  private runtimeModel(model: tf.LayersModel, choice: BackendChoice): RuntimeModel {
    const backends = this.options.backends;
    const inputShape = instanceShape(model.inputs[0]?.shape, 'input');
    const outputShape = instanceShape(model.outputs[0]?.shape, 'output');
    if (model.inputs.length !== 1 || model.outputs.length !== 1 || outputShape.length !== 1) {
      model.dispose();
      throw invalidModel('only models with one input and one [batch, classes] output can be served');
    }
    return {
      choice,
      weightBytes: model.weights.reduce(
        (sum, weight) => sum + tf.util.sizeFromShape(weight.shape as number[]) * (BYTES_PER_ELEMENT[weight.dtype] ?? 4),
        0,
      ),
      inputShape,
      outputWidth: outputShape[0]!,
      async predict(input, rows) {
        await backends.activate(choice.backend);
        return predictOnce(model, input, rows, inputShape);
      },
      dispose: () => model.dispose(),
    };
  }
}

function instanceShape(shape: (number | null)[] | undefined, what: string): number[] {
  const dims = shape?.slice(1) ?? [];
  if (!shape || shape.length < 2 || !dims.every((dim): dim is number => typeof dim === 'number' && dim > 0)) {
    throw invalidModel(`the model's ${what} shape ${JSON.stringify(shape)} is not [batch, …fixed sizes]`);
  }
  return dims;
}

function zerosFor(model: tf.LayersModel, rows: number): Float32Array {
  const shape = instanceShape(model.inputs[0]?.shape, 'input');
  return new Float32Array(rows * tf.util.sizeFromShape(shape));
}

async function predictOnce(
  model: tf.LayersModel,
  input: Float32Array,
  rows: number,
  shape = instanceShape(model.inputs[0]?.shape, 'input'),
): Promise<Float32Array> {
  const x = tf.tensor(input, [rows, ...shape], 'float32');
  let y: tf.Tensor;
  try {
    // One execution over all rows: predict() would otherwise cut them into batches of 32 and concatenate.
    y = model.predict(x, { batchSize: rows }) as tf.Tensor;
  } finally {
    x.dispose();
  }
  try {
    return (await y.data()) as Float32Array;
  } finally {
    y.dispose();
  }
}

/** One prediction on zeros at the sizes serving uses: the first call on a backend compiles and allocates. */
async function warmUp(model: tf.LayersModel, batchRows: number): Promise<void> {
  for (const rows of new Set([1, batchRows])) await predictOnce(model, zerosFor(model, rows), rows);
}
