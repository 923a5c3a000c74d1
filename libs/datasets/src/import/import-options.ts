import type { DatasetFormat } from '../prepared/prepared-dataset';
import { DatasetImportError } from '../shared/dataset-import-error';
import { DEFAULT_SPLIT, validateSplitOptions, type SplitOptions } from '../splits/split-options';

/** Null and undefined both mean "the default", as GraphQL inputs arrive with nulls. */
export interface ImportOptions {
  /** CSV: the label column (default: a column named 'label', else the last column). */
  label?: string | null;
  /** CSV: columns that are neither features nor label. */
  ignore?: string[] | null;
  /** CSV: one character, 'tab' or 'whitespace' (default: detected). */
  delimiter?: string | null;
  /** CSV: whether the first row names the columns (default true; without one they are c0..cN). */
  header?: boolean | null;
  /**
   * CSV and MNIST_IDX: label values that make the positive class; every other value is negative. The
   * classes are then "negative" and "positive" (e.g. heart disease num 1–4, phishing Result -1).
   */
  positiveLabels?: string[] | null;
  /** CSV: columns one-hot encoded even though their values are numbers (codes such as 1, 2, 3). */
  categorical?: string[] | null;
  /** Default 0.2; CIFAR-10 and MNIST uploads with their own test files keep those as the test split unless it is given. */
  testFraction?: number | null;
  /** Default 0.1. */
  validationFraction?: number | null;
  /** Default 42. */
  seed?: number | null;
}

const CSV_ONLY = ['label', 'ignore', 'delimiter', 'header', 'categorical'] as const;
const CSV_AND_IDX: readonly DatasetFormat[] = ['CSV', 'MNIST_IDX'];

/** Validates options up front, before any file is read or extracted. */
export function resolveSplitOptions(format: DatasetFormat, options: ImportOptions): SplitOptions {
  if (format !== 'CSV') {
    // Silently ignoring e.g. a label column would hide a mistake about what was uploaded.
    const given = CSV_ONLY.filter((name) => options[name] != null);
    if (given.length > 0) throw new DatasetImportError(`${given.join(', ')} only apply to CSV imports, not ${format}`);
  }
  if (options.positiveLabels != null && !CSV_AND_IDX.includes(format)) {
    throw new DatasetImportError(`positiveLabels only apply to CSV and MNIST_IDX imports, not ${format}`);
  }
  return validateSplitOptions({
    testFraction: options.testFraction ?? DEFAULT_SPLIT.testFraction,
    validationFraction: options.validationFraction ?? DEFAULT_SPLIT.validationFraction,
    seed: options.seed ?? DEFAULT_SPLIT.seed,
  });
}
