/** Fitted preprocessing of one tabular column: standardisation (numeric) or one-hot encoding (categorical). */
export type NumericColumn = { name: string; type: 'numeric'; mean: number; std: number; fill: number };
export type CategoricalColumn = {
  name: string;
  type: 'categorical';
  categories: string[];
  missing: 'all-zero';
  /** Numbers are codes named canonically ('4.0' → '4'), at import and at inference alike. */
  numericCodes?: true;
};
export type TabularPreprocessing = {
  kind: 'tabular';
  columns: (NumericColumn | CategoricalColumn)[];
  labelColumn: string;
};
export type ImagePreprocessing = { kind: 'image'; scale: number; height: number; width: number; channels: number };
/** Everything needed to apply the training-time transform at inference; JSON-serialisable. */
export type Preprocessing = TabularPreprocessing | ImagePreprocessing;

/** A model version's input: a batch of preprocessed examples, and how raw records become them. */
export interface InputSignature {
  /** [null (batch), ...one example's shape]. */
  shape: (number | null)[];
  dtype: 'float32';
  preprocessing: Preprocessing;
}

/** A model version's output: one probability per class, in the order of `classes`. */
export interface OutputSignature {
  shape: [null, number];
  dtype: 'float32';
  classes: string[];
}
