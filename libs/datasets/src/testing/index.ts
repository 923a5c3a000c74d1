export { zipFile } from './zip-writer';
export type { ZipEntry } from './zip-writer';
