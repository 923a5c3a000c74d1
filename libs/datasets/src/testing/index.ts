export { cifarRecord, tarFile } from './fixtures';
export { zipFile } from './zip-writer';
export type { ZipEntry } from './zip-writer';
