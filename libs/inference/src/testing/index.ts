export { storeServable } from './stored-model';
