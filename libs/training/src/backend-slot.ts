import {
  chooseTrainingBackend,
  initBackend,
  type BackendChoice,
  type BackendInfo,
  type BackendName,
  type TrainingData,
} from '@lepton/trainer';
import type { Hyperparameters, ModelSpec } from '@lepton/model-contract';

// tfjs has one active backend per process: runs that overlap in one worker (concurrency > 1) share it, and
// choices are made one at a time (a trial switches backends while it measures).
let runsTraining = 0;
let sharedBackend: BackendInfo | null = null;
let choosing: Promise<unknown> = Promise.resolve();

export interface BackendSlot {
  /**
   * The backend for this run, activated: measured per model when the worker is free (native TensorFlow, or wasm
   * where it trains the model faster, e.g. a small MLP), else the one the runs already training here use.
   */
  acquire(
    pinnedBackend: BackendName | null,
    config: { spec: ModelSpec; hyperparameters: Hyperparameters; data: TrainingData },
  ): Promise<BackendChoice>;
  release(): void;
}

export function backendSlot(): BackendSlot {
  let held = false;
  return {
    acquire(pinnedBackend, config) {
      const chosen = choosing.then(async () => {
        const choice: BackendChoice = pinnedBackend
          ? { info: await initBackend(pinnedBackend), trials: [], reason: `this worker is pinned to ${pinnedBackend}` }
          : sharedBackend
            ? { info: sharedBackend, trials: [], reason: 'the backend of the runs already training in this worker' }
            : await chooseTrainingBackend(config);
        sharedBackend = choice.info;
        runsTraining++;
        held = true;
        return choice;
      });
      choosing = chosen.catch(() => undefined);
      return chosen;
    },
    release() {
      if (held && --runsTraining === 0) sharedBackend = null;
      held = false;
    },
  };
}
