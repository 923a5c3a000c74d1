import { setImmediate as nextMacrotask } from 'node:timers/promises';
import * as tf from '@tensorflow/tfjs';
import { type Hyperparameters, ModelConfigError, validateHyperparameters } from '@lepton/model-contract';
import { deriveSeed, seededShuffle } from '../shared/random';
import {
  assertSameRun,
  clearCheckpoints,
  type EarlyStoppingState,
  type EncodedWeights,
  encodeModelWeights,
  encodeOptimizer,
  type IgnoredCheckpoint,
  readLatestCheckpoint,
  restoreModelWeights,
  restoreOptimizer,
  type RunFingerprint,
  writeCheckpoint,
} from './checkpoint';
import { checkModelFitsData, checkTrainingData, splitTensors, type TrainingData } from './data';

/**
 * Indices are 0-based, as in Keras callbacks. `step` is the global batch index, epoch × batchesPerEpoch + batch,
 * so it is the same whether or not the run was resumed.
 */
export interface BatchProgress {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  step: number;
  loss: number;
  accuracy: number;
}

/** `loss`/`accuracy` average the epoch's batches; `val*` appear when the data has a validation split. */
export interface EpochProgress {
  /** 0-based epoch index. */
  epoch: number;
  /** Global batches completed when the epoch ended, i.e. the `step` of the next batch. */
  step: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  seconds: number;
}

export interface TrainOptions {
  model: tf.LayersModel;
  data: TrainingData;
  hyperparameters: Hyperparameters;
  /** A local folder; one checkpoint per epoch, atomically replaced. */
  checkpointDir: string;
  /** Continue from the newest intact checkpoint in checkpointDir if present; otherwise old checkpoints are cleared. */
  resume?: boolean;
  onBatch?(progress: BatchProgress): void | Promise<void>;
  /** Called once the epoch's checkpoint is on disk. */
  /** After the epoch's last batch and validation, before its checkpoint is written. */
  onEpoch?(progress: EpochProgress): void | Promise<void>;
  /** After an epoch's checkpoint is written (e.g. to copy it off the machine). */
  onCheckpoint?(checkpoint: { epochsCompleted: number; step: number }): void | Promise<void>;
  /** Checked before every batch (cancellation, SIGTERM); a stop keeps the last completed epoch's checkpoint. */
  shouldStop?(): boolean;
}

export interface TrainResult {
  /** With early stopping on, the model carries the weights of its best epoch. */
  model: tf.LayersModel;
  /** Epochs finished in total, including those before a resume. */
  epochsCompleted: number;
  stoppedEarly: boolean;
  /** With early stopping on, the epoch (0-based) whose weights the model carries: the best monitored loss. */
  bestEpoch: number | null;
  stopped: boolean;
  /** Epochs the resumed checkpoint had completed, i.e. the index of the first epoch this call ran; null if fresh. */
  resumedFromEpoch: number | null;
  /** Training throughput of this call: examples per second inside batch steps (validation and I/O excluded). */
  samplesPerSecond: number;
  /** Damaged checkpoints skipped while resuming. */
  ignoredCheckpoints: IgnoredCheckpoint[];
}

// Batch steps resolve through microtasks only; yielding a macrotask this often lets signal handlers, timers and
// progress uploads run without a per-batch cost.
const YIELD_EVERY_MS = 25;
// Inference keeps no activations for backprop, so validation can use bigger batches than training.
const MIN_EVAL_BATCH = 256;

function scalars(result: tf.Scalar | tf.Scalar[]): number[] {
  const list = Array.isArray(result) ? result : [result];
  const values = list.map((scalar) => scalar.dataSync()[0]!);
  tf.dispose(list);
  return values;
}

interface RunState {
  /** Epochs the resumed checkpoint had completed; null for a fresh start. */
  resumedFromEpoch: number | null;
  earlyStopping: EarlyStoppingState;
  bestWeights: EncodedWeights | null;
  ignored: IgnoredCheckpoint[];
}

async function startOrResume(
  options: TrainOptions,
  optimizer: tf.Optimizer,
  fingerprint: RunFingerprint,
  batchesPerEpoch: number,
): Promise<RunState> {
  const fresh: RunState = {
    resumedFromEpoch: null,
    earlyStopping: { best: null, bestEpoch: null, wait: 0, stoppedEarly: false },
    bestWeights: null,
    ignored: [],
  };
  if (!options.resume) {
    await clearCheckpoints(options.checkpointDir);
    return fresh;
  }
  const { checkpoint, ignored } = await readLatestCheckpoint(options.checkpointDir);
  if (!checkpoint) return { ...fresh, ignored };
  assertSameRun(checkpoint.state.fingerprint, fingerprint, checkpoint.path);
  if (checkpoint.state.step !== checkpoint.state.epochsCompleted * batchesPerEpoch) {
    throw new Error(`Checkpoint ${checkpoint.path} records ${checkpoint.state.step} steps for ${checkpoint.state.epochsCompleted} epochs`);
  }
  restoreModelWeights(options.model, checkpoint.weights);
  await restoreOptimizer(optimizer, checkpoint.optimizer);
  return {
    resumedFromEpoch: checkpoint.state.epochsCompleted,
    earlyStopping: checkpoint.state.earlyStopping,
    bestWeights: checkpoint.bestWeights,
    ignored,
  };
}

/**
 * Trains with its own batch loop (shuffle per epoch derived from seed+epoch, `trainOnBatch`, one checkpoint per
 * epoch), so it can report every batch, stop between batches and resume exactly where the last checkpoint left off.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const { model, data } = options;
  checkTrainingData(data);
  const hp = validateHyperparameters(options.hyperparameters, { hasValidationSplit: data.splits.validation.length > 0 });
  checkModelFitsData(model, data);
  const optimizer = model.optimizer;
  if (!optimizer) throw new Error('train() needs a compiled model; build it with buildModel()');
  const examples = data.splits.train.length;
  if (examples === 0) throw new ModelConfigError('data.splits.train: no training examples', 'data.splits.train');

  const batchesPerEpoch = Math.ceil(examples / hp.batchSize);
  const fingerprint: RunFingerprint = {
    weightShapes: model.weights.map((weight) => weight.shape.map((dim) => dim ?? -1)),
    optimizer: optimizer.getClassName(),
    batchSize: hp.batchSize,
    seed: hp.seed,
    trainExamples: examples,
    numClasses: data.classes.length,
  };
  const run = await startOrResume(options, optimizer, fingerprint, batchesPerEpoch);
  const earlyStopping = run.earlyStopping;
  let bestWeights = run.bestWeights;
  let epochsCompleted = run.resumedFromEpoch ?? 0;
  let stopped = false;
  let trainedExamples = 0;
  let trainingMs = 0;
  let lastYield = performance.now();

  // Upload each split once; batches are gathered on the backend, as model.fit does.
  const trainSet = splitTensors(data, data.splits.train);
  const validationSet = data.splits.validation.length > 0 ? splitTensors(data, data.splits.validation) : null;
  const positions = Int32Array.from({ length: examples }, (_, i) => i);
  try {
    for (let epoch = epochsCompleted; epoch < hp.epochs && !earlyStopping.stoppedEarly; epoch++) {
      const epochStart = performance.now();
      const order = seededShuffle(positions, deriveSeed(hp.seed, epoch));
      let lossSum = 0;
      let accuracySum = 0;
      for (let batch = 0; batch < batchesPerEpoch; batch++) {
        if (options.shouldStop?.()) {
          stopped = true;
          break;
        }
        const batchStart = performance.now();
        const ids = order.subarray(batch * hp.batchSize, Math.min((batch + 1) * hp.batchSize, examples));
        const [xs, ys] = tf.tidy(() => {
          const indices = tf.tensor1d(ids, 'int32');
          return [tf.gather(trainSet.x, indices), tf.gather(trainSet.y, indices)];
        });
        const out = await model.trainOnBatch(xs!, ys!);
        tf.dispose([xs!, ys!]);
        const [loss = NaN, accuracy = NaN] = Array.isArray(out) ? out : [out];
        trainingMs += performance.now() - batchStart;
        trainedExamples += ids.length;
        lossSum += loss * ids.length;
        accuracySum += accuracy * ids.length;

        const step = epoch * batchesPerEpoch + batch;
        const pending = options.onBatch?.({ epoch, batch, batchesPerEpoch, step, loss, accuracy });
        if (pending) await pending;
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await nextMacrotask();
          lastYield = performance.now();
        }
      }
      if (stopped) break;

      const loss = lossSum / examples;
      const accuracy = accuracySum / examples;
      const [valLoss, valAccuracy] = validationSet
        ? scalars(model.evaluate(validationSet.x, validationSet.y, { batchSize: Math.max(hp.batchSize, MIN_EVAL_BATCH) }))
        : [];
      if (hp.earlyStoppingPatience > 0) {
        // Validation loss when there is a validation split; training loss is the only signal otherwise.
        const monitored = valLoss ?? loss;
        if (earlyStopping.best === null || monitored < earlyStopping.best) {
          Object.assign(earlyStopping, { best: monitored, bestEpoch: epoch, wait: 0 });
          bestWeights = await encodeModelWeights(model);
        } else if (++earlyStopping.wait >= hp.earlyStoppingPatience) {
          earlyStopping.stoppedEarly = true;
        }
      }
      epochsCompleted = epoch + 1;
      const step = epochsCompleted * batchesPerEpoch;
      // The epoch is reported before its checkpoint exists: whatever the caller persists for it
      // (metrics) is stored before a resume could skip past it.
      const pending = options.onEpoch?.({
        epoch,
        step,
        loss,
        accuracy,
        ...(valLoss === undefined ? {} : { valLoss, valAccuracy }),
        seconds: (performance.now() - epochStart) / 1000,
      });
      if (pending) await pending;
      await writeCheckpoint(options.checkpointDir, {
        state: { epochsCompleted, step, fingerprint, earlyStopping },
        weights: await encodeModelWeights(model),
        optimizer: await encodeOptimizer(optimizer),
        bestWeights,
      });
      const saved = options.onCheckpoint?.({ epochsCompleted, step });
      if (saved) await saved;
    }
  } finally {
    tf.dispose([trainSet.x, trainSet.y, ...(validationSet ? [validationSet.x, validationSet.y] : [])]);
  }

  if (!stopped && bestWeights) restoreModelWeights(model, bestWeights);
  return {
    model,
    epochsCompleted,
    stoppedEarly: earlyStopping.stoppedEarly,
    bestEpoch: earlyStopping.bestEpoch,
    stopped,
    resumedFromEpoch: run.resumedFromEpoch,
    samplesPerSecond: trainingMs > 0 ? trainedExamples / (trainingMs / 1000) : 0,
    ignoredCheckpoints: run.ignored,
  };
}
