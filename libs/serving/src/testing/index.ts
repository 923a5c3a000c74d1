export { startServingProcess } from './serving-process';
export type { ServingProcess } from './serving-process';
