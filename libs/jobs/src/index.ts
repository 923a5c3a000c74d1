export { JobQueue, lazyJobQueue, TRAINING_QUEUE } from './job-queue';
export type { JobQueueOptions, TrainingJob, TrainingJobData } from './job-queue';
