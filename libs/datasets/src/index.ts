export { importDataset } from './import/import-dataset';
export type { ImportInput } from './import/import-dataset';
export type { ImportOptions } from './import/import-options';
export type {
  DatasetFormat,
  PreparedDataset,
  Preprocessing,
  TabularPreprocessing,
  ImagePreprocessing,
  FeatureSchema,
} from './prepared/prepared-dataset';
export {
  serializePreparedDataset,
  deserializePreparedDataset,
  readDatasetDescription,
  DATASET_MANIFEST,
} from './prepared/serialize-prepared-dataset';
export type { SerializedDataset, DatasetDescription } from './prepared/serialize-prepared-dataset';
export { applyTabularPreprocessing, tabularRowEncoder } from './csv/tabular-preprocessing';
export type { TabularRow, TabularRowEncoder } from './csv/tabular-preprocessing';
export { applyImagePreprocessing } from './images/image-preprocessing';
export { extractArchive } from './archive/extract-archive';
export type { ExtractionLimits } from './archive/extraction-budget';
export { stratifiedSplit } from './splits/stratified-split';
export type { Splits } from './splits/stratified-split';
export { DatasetImportError } from './shared/dataset-import-error';
export { fitImage, encodePng } from './images/fit-image';
export type { ImageTarget } from './images/fit-image';
