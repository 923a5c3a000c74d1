export { JobQueue, lazyJobQueue, TRAINING_QUEUE, IMPORT_QUEUE } from './job-queue';
export type { JobQueueOptions, TrainingJob, TrainingJobData, ImportJob, ImportJobData } from './job-queue';
