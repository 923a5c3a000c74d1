export { startWorkerProcess } from './worker-process';
export type { WorkerProcess } from './worker-process';
