export { DEFAULT_LEASE_SECONDS, leaseTiming, startTrainingWorker } from './training-worker';
export type { TrainingWorker, TrainingWorkerOptions } from './training-worker';
export { runTrainingJob } from './training-job';
export type { TrainingJobContext } from './training-job';
