import type { CategoricalColumn, NumericColumn, Preprocessing } from '../prepared/prepared-dataset';
import { DatasetImportError } from '../shared/dataset-import-error';
import { parseDecimal } from '../shared/number';
import { sortedDistinct } from '../shared/natural-order';
import { cellValue, numericCode } from './cell';

/** One column's value for one example: a number (numeric), a string (categorical) or null (missing). */
export type ColumnValue = number | string | null;

/**
 * Mean and population standard deviation (divide by n, as scikit-learn's StandardScaler) of the
 * training rows; missing values (NaN) are later filled with that mean, so they standardise to 0.
 */
export function fitNumericColumn(name: string, values: Float64Array, train: Int32Array): NumericColumn {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const index of train) {
    const value = values[index]!;
    if (Number.isNaN(value)) continue;
    count++;
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  if (count === 0) return { name, type: 'numeric', mean: 0, std: 1, fill: 0 };
  // Constant in train: use the constant itself, as sum / count could leave rounding residue that
  // division by a near-zero std would blow up into ±1 noise.
  if (min === max) return { name, type: 'numeric', mean: min, std: 1, fill: min };
  const mean = sum / count;
  let squares = 0;
  for (const index of train) {
    const value = values[index]!;
    if (!Number.isNaN(value)) squares += (value - mean) ** 2;
  }
  const std = Math.sqrt(squares / count);
  return { name, type: 'numeric', mean, std: std > 0 ? std : 1, fill: mean };
}

/** The vocabulary is what the training rows contain; anything else encodes as all zeros. */
export function fitCategoricalColumn(name: string, values: (string | null)[], train: Int32Array): CategoricalColumn {
  const seen: string[] = [];
  for (const index of train) {
    const value = values[index];
    if (value != null) seen.push(value);
  }
  return { name, type: 'categorical', categories: sortedDistinct(seen), missing: 'all-zero' };
}

export interface TabularEncoder {
  /** Encoded values per example: 1 per numeric column, one per category per categorical column. */
  width: number;
  encode(values: ColumnValue[], out: Float32Array, offset: number): void;
}

export function tabularEncoder(columns: (NumericColumn | CategoricalColumn)[]): TabularEncoder {
  const slots = columns.map((column) => (column.type === 'numeric' ? 1 : column.categories.length));
  const positions = columns.map((column) =>
    column.type === 'categorical' ? new Map(column.categories.map((category, index) => [category, index])) : null,
  );
  return {
    width: slots.reduce((total, count) => total + count, 0),
    encode(values, out, offset) {
      let slot = offset;
      columns.forEach((column, c) => {
        const value = values[c] ?? null;
        if (column.type === 'numeric') {
          out[slot] = ((typeof value === 'number' ? value : column.fill) - column.mean) / column.std;
        } else {
          const position = value === null ? undefined : positions[c]!.get(String(value));
          if (position !== undefined) out[slot + position] = 1;
        }
        slot += slots[c]!;
      });
    },
  };
}

/** One raw record: CSV-style named values (numbers, strings, null for unknown). */
export type TabularRow = Record<string, string | number | null>;

export interface TabularRowEncoder {
  /** Encoded values per row (the model's input width). */
  width: number;
  /**
   * Writes one row's features at `offset`. Every column the model was trained on must be present (null or a
   * missing marker such as '' or 'NA' for an unknown value); other keys are not read. Throws DatasetImportError
   * naming the column.
   */
  encode(row: TabularRow, out: Float32Array, offset: number): void;
}

/** The training-time transform compiled once, for callers that encode rows one at a time (serving). */
export function tabularRowEncoder(preprocessing: Preprocessing): TabularRowEncoder {
  if (preprocessing.kind !== 'tabular') {
    throw new DatasetImportError(`applyTabularPreprocessing needs tabular preprocessing, not ${preprocessing.kind}`);
  }
  const { columns } = preprocessing;
  const encoder = tabularEncoder(columns);
  return {
    width: encoder.width,
    encode(row, out, offset) {
      encoder.encode(
        columns.map((column) => inferenceValue(column, row)),
        out,
        offset,
      );
    },
  };
}

/**
 * The training-time transform for rows at inference (see TabularRowEncoder); extra keys such as the label are
 * ignored. Returns rows.length × nFeatures values, row-major.
 */
export function applyTabularPreprocessing(preprocessing: Preprocessing, rows: TabularRow[]): Float32Array {
  const encoder = tabularRowEncoder(preprocessing);
  const out = new Float32Array(rows.length * encoder.width);
  rows.forEach((row, index) => {
    try {
      encoder.encode(row, out, index * encoder.width);
    } catch (error) {
      if (!(error instanceof DatasetImportError)) throw error;
      throw new DatasetImportError(`row ${index}: ${error.message}`, { column: error.column });
    }
  });
  return out;
}

function inferenceValue(column: NumericColumn | CategoricalColumn, row: TabularRow): ColumnValue {
  const fail = (problem: string) => new DatasetImportError(problem, { column: column.name });
  if (!Object.hasOwn(row, column.name))
    throw fail(`no value for column '${column.name}' (use null when it is unknown)`);
  const raw = row[column.name];
  if (raw === null || raw === undefined || (typeof raw === 'number' && Number.isNaN(raw))) return null;
  const value = typeof raw === 'number' ? String(raw) : cellValue(raw);
  if (value === null) return null;
  if (column.type === 'categorical') return column.numericCodes ? numericCode(value) : value;
  const number = parseDecimal(value);
  if (number === null) throw fail(`column '${column.name}' is numeric but got ${JSON.stringify(raw)}`);
  return number;
}
