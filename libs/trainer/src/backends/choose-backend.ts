import { isNativeBackend } from '@lepton/backends';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../model/build-model';
import type { Hyperparameters, ModelSpec } from '@lepton/model-contract';
import { splitTensors, type TrainingData } from '../training/data';
import { BACKEND_ENV_VAR, initBackend, type BackendInfo, type BackendName } from './backend';

export interface BackendTrial {
  backend: BackendName;
  samplesPerSecond: number;
  steps: number;
}

export interface BackendChoice {
  info: BackendInfo;
  /** Empty when there was nothing to compare (one candidate, or a backend forced by LEPTON_TF_BACKEND). */
  trials: BackendTrial[];
  /** One line for the run's lineage. */
  reason: string;
}

const WARM_UP_STEPS = 2;
const MIN_TRIAL_STEPS = 3;
const MAX_TRIAL_STEPS = 50;
const TRIAL_MS = 300;
/** Another backend must beat the best-ranked one by this much to be chosen: trials on a busy machine are noisy. */
export const SWITCH_MARGIN = 1.15;

/** Training steps per second of this model on the active backend, on one real batch (timed after a warm-up). */
async function trial(
  backend: BackendName,
  spec: ModelSpec,
  data: TrainingData,
  hyperparameters: Hyperparameters,
): Promise<BackendTrial> {
  const model = buildModel(spec, { featureShape: data.featureShape, numClasses: data.classes.length }, hyperparameters);
  const batch = splitTensors(data, data.splits.train.subarray(0, hyperparameters.batchSize));
  try {
    for (let i = 0; i < WARM_UP_STEPS; i++) await model.trainOnBatch(batch.x, batch.y);
    let steps = 0;
    const started = performance.now();
    while (steps < MAX_TRIAL_STEPS && (steps < MIN_TRIAL_STEPS || performance.now() - started < TRIAL_MS)) {
      await model.trainOnBatch(batch.x, batch.y);
      steps++;
    }
    const seconds = (performance.now() - started) / 1000;
    return { backend, steps, samplesPerSecond: (steps * batch.x.shape[0]!) / seconds };
  } finally {
    tf.dispose([batch.x, batch.y]);
    model.dispose();
  }
}

const rate = (value: number) => Math.round(value).toLocaleString('en-US');

/**
 * The backend to train this model on, chosen by measurement: native TensorFlow wins on convolutions, but a small
 * MLP spends most of its step in per-op overhead, where wasm is faster. With native TensorFlow available, a few
 * batches of the real data are trained on it and on wasm, and the faster one is activated (the native one unless
 * wasm is at least SWITCH_MARGIN× faster). `preferred` and LEPTON_TF_BACKEND work as in initBackend.
 */
export async function chooseTrainingBackend(options: {
  spec: ModelSpec;
  data: TrainingData;
  hyperparameters: Hyperparameters;
  preferred?: BackendName | null;
}): Promise<BackendChoice> {
  const best = await initBackend(options.preferred ?? null);
  if (process.env[BACKEND_ENV_VAR]?.trim())
    return { info: best, trials: [], reason: `${BACKEND_ENV_VAR}=${best.backend}` };
  if (!isNativeBackend(best.backend))
    return { info: best, trials: [], reason: `${best.backend} is the best backend that loads here` };
  const alternative = await initBackend('wasm').catch(() => null);
  const activate = async (info: BackendInfo) => (await initBackend(info.backend), info);
  if (!alternative || alternative.backend !== 'wasm')
    return { info: await activate(best), trials: [], reason: `${best.backend}; wasm does not load` };
  const trials: BackendTrial[] = [];
  for (const backend of [best.backend, 'wasm'] as const) {
    await initBackend(backend);
    trials.push(await trial(backend, options.spec, options.data, options.hyperparameters));
  }
  const [native, wasm] = trials as [BackendTrial, BackendTrial];
  const decision = decideByTrial(native, wasm);
  return { info: await activate(decision.backend === 'wasm' ? alternative : best), trials, reason: decision.reason };
}

/** The native backend unless wasm trained the model at least SWITCH_MARGIN× faster; with the figures as the reason. */
export function decideByTrial(native: BackendTrial, wasm: BackendTrial): { backend: BackendName; reason: string } {
  const ratio = wasm.samplesPerSecond / native.samplesPerSecond;
  const measured = `${rate(native.samplesPerSecond)} samples/s on ${native.backend} vs ${rate(wasm.samplesPerSecond)} on wasm in a short trial`;
  return ratio >= SWITCH_MARGIN
    ? { backend: 'wasm', reason: `wasm trains this model ${ratio.toFixed(2)}× faster (${measured})` }
    : {
        backend: native.backend,
        reason: `${native.backend} (${measured}; wasm would need to be ${SWITCH_MARGIN}× faster)`,
      };
}
