export { startTrainingWorker } from './training-worker';
export type { TrainingWorker, TrainingWorkerOptions } from './training-worker';
export { runTrainingJob, RequeueError } from './training-job';
export type { TrainingJobContext } from './training-job';
