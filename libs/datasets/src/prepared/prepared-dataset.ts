import type { Preprocessing } from '@lepton/model-contract';
import type { Splits } from '../splits/stratified-split';

export type DatasetFormat = 'CSV' | 'MNIST_IDX' | 'CIFAR10_BINARY' | 'IMAGE_FOLDER';

// The fitted preprocessing is part of the model contract (a version's input signature carries it).
export type {
  CategoricalColumn,
  ImagePreprocessing,
  NumericColumn,
  Preprocessing,
  TabularPreprocessing,
} from '@lepton/model-contract';

export interface FeatureSchema {
  name: string;
  type: 'numeric' | 'categorical' | 'image';
  categories?: string[];
}

export interface PreparedDataset {
  kind: 'tabular' | 'image';
  /** [nFeatures] after one-hot encoding, or [height, width, channels]. */
  featureShape: number[];
  /** Label names; a class index is a position in this list. */
  classes: string[];
  /** exampleCount × prod(featureShape) values, row-major, already preprocessed. */
  features: Float32Array;
  /** exampleCount class indices. */
  labels: Int32Array;
  /** Example indices: sorted, disjoint, together covering every example. */
  splits: Splits;
  preprocessing: Preprocessing;
  schema: { features: FeatureSchema[]; label: { name: string; classes: string[] } };
  /** Informational and JSON-serialisable: per-column summaries, class counts, split sizes. */
  stats: Record<string, unknown>;
  /** `files` are names inside the upload (never server paths) so that the content hash is stable. */
  source: { format: DatasetFormat; files: string[] };
}
