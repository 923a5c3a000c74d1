export { loadModel, saveModel, readModelManifest, MODEL_JSON, MAX_MODEL_JSON_BYTES } from './model-io';
export type { ModelManifest } from './model-io';
export { ModelFormatError } from './model-format-error';
