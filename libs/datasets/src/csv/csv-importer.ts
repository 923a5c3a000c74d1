import { readFile } from 'node:fs/promises';
import type { ImportOptions } from '../import/import-options';
import { classCounts, splitCounts } from '../prepared/dataset-stats';
import type { CategoricalColumn, NumericColumn, PreparedDataset } from '../prepared/prepared-dataset';
import { DatasetImportError } from '../shared/dataset-import-error';
import type { InputFile } from '../shared/input-files';
import { sortedDistinct } from '../shared/natural-order';
import { parseDecimal } from '../shared/number';
import type { SplitOptions } from '../splits/split-options';
import { stratifiedSplit } from '../splits/stratified-split';
import { BINARY_CLASSES, binarizeLabels } from '../shared/binary-labels';
import { cellValue, numericCode } from './cell';
import { parseDelimited, type CsvRecord } from './csv-parser';
import { describeDelimiter, detectDelimiter, parseDelimiterOption } from './delimiter';
import { fitCategoricalColumn, fitNumericColumn, tabularEncoder, type ColumnValue } from './tabular-preprocessing';

const TABLE_EXTENSION = /\.(csv|tsv|tab|txt|data|dat)$/i;

/**
 * A delimited text table with one label column. Splits first, then fits standardisation and
 * vocabularies on the training rows only, so nothing about validation or test leaks into them.
 */
export async function importCsv(
  files: InputFile[],
  options: ImportOptions,
  split: SplitOptions,
): Promise<PreparedDataset> {
  const file = pickTableFile(files);
  const text = decodeText(await readFile(file.path), file.name);
  const delimiter =
    options.delimiter != null ? parseDelimiterOption(options.delimiter) : detectDelimiter(text, file.name);
  const records = parseDelimited(text, delimiter, file.name);
  const first = records[0];
  if (!first) throw new DatasetImportError('is empty', { file: file.name });

  const header = options.header ?? true;
  const columns = header ? headerNames(first, file.name) : first.fields.map((_, index) => `c${index}`);
  const rows = header ? records.slice(1) : records;
  if (rows.length === 0) throw new DatasetImportError('has a header row but no data rows', { file: file.name });
  for (const row of rows) {
    if (row.fields.length !== columns.length) {
      throw new DatasetImportError(
        `line ${row.line} has ${row.fields.length} fields, expected ${columns.length} (delimiter ${JSON.stringify(describeDelimiter(delimiter))})`,
        { file: file.name, line: row.line },
      );
    }
  }

  const { labelName, labelIndex, featureIndices, categorical } = chooseColumns(columns, options, file.name);
  const labelTexts = rows.map((row) => {
    const value = cellValue(row.fields[labelIndex]!);
    if (value === null) {
      throw new DatasetImportError(`line ${row.line}: the label '${labelName}' is missing`, {
        file: file.name,
        line: row.line,
        column: labelName,
      });
    }
    return value;
  });
  const binary = options.positiveLabels != null;
  const classes = binary ? [...BINARY_CLASSES] : sortedDistinct(labelTexts);
  if (classes.length < 2) {
    throw new DatasetImportError(
      `label column '${labelName}' has the single class ${JSON.stringify(classes[0])}; classification needs at least two`,
      { file: file.name, column: labelName },
    );
  }
  const classIndex = new Map(classes.map((name, index) => [name, index]));
  const labels = binary
    ? binarizeLabels(labelTexts, options.positiveLabels!, { file: file.name, column: labelName })
    : Int32Array.from(labelTexts, (text) => classIndex.get(text)!);
  const splits = stratifiedSplit(labels, split);

  const features = featureIndices.map((index) =>
    fitFeature(columns[index]!, rows, index, splits.train, categorical.has(columns[index]!)),
  );
  const encoder = tabularEncoder(features.map((feature) => feature.column));
  if (encoder.width === 0) {
    throw new DatasetImportError('the feature columns hold no values in the training rows', { file: file.name });
  }
  const encoded = new Float32Array(rows.length * encoder.width);
  rows.forEach((_, row) => {
    encoder.encode(
      features.map((feature) => feature.value(row)),
      encoded,
      row * encoder.width,
    );
  });

  return {
    kind: 'tabular',
    featureShape: [encoder.width],
    classes,
    features: encoded,
    labels,
    splits,
    preprocessing: { kind: 'tabular', columns: features.map((feature) => feature.column), labelColumn: labelName },
    schema: {
      features: features.map(({ column }) =>
        column.type === 'numeric'
          ? { name: column.name, type: 'numeric' }
          : { name: column.name, type: 'categorical', categories: column.categories },
      ),
      label: { name: labelName, classes },
    },
    stats: {
      rows: rows.length,
      delimiter: describeDelimiter(delimiter),
      header,
      ...(binary ? { positiveLabels: options.positiveLabels, labelValueCounts: valueCounts(labelTexts) } : {}),
      classCounts: classCounts(labels, classes),
      splitCounts: splitCounts(splits),
      // Recorded so that the hash changes with the options even when a tiny dataset splits the same.
      splitOptions: split,
      columns: Object.fromEntries(features.map((feature) => [feature.column.name, feature.summary])),
    },
    source: { format: 'CSV', files: [file.name] },
  };
}

/** A single file is taken whatever its name; in a folder, the one file that looks like a table. */
function pickTableFile(files: InputFile[]): InputFile {
  if (files.length === 1) return files[0]!;
  const tables = files.filter((file) => TABLE_EXTENSION.test(file.name));
  if (tables.length === 1) return tables[0]!;
  const names = (tables.length === 0 ? files : tables).map((file) => file.name).join(', ');
  throw new DatasetImportError(
    tables.length === 0
      ? `no .csv, .tsv or .txt file among the uploaded files (${names})`
      : `${tables.length} table files uploaded (${names}); upload exactly one`,
  );
}

function decodeText(bytes: Uint8Array, file: string): string {
  // NUL never occurs in text; this catches images, zips and the like uploaded as CSV.
  if (bytes.subarray(0, 8192).includes(0))
    throw new DatasetImportError('is a binary file, not delimited text', { file });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DatasetImportError('is not UTF-8 text; save it as UTF-8 and upload it again', { file });
  }
  if (text.trim() === '') throw new DatasetImportError('is empty', { file });
  return text;
}

function headerNames(record: CsvRecord, file: string): string[] {
  const names = record.fields.map((field, index) => field.trim() || `c${index}`);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw new DatasetImportError(`line ${record.line}: the column name '${name}' appears more than once`, {
        file,
        line: record.line,
        column: name,
      });
    }
    seen.add(name);
  }
  return names;
}

function chooseColumns(columns: string[], options: ImportOptions, file: string) {
  const known = columns.map((name) => `'${name}'`).join(', ');
  const labelName = options.label?.trim() || (columns.includes('label') ? 'label' : columns[columns.length - 1]!);
  const labelIndex = columns.indexOf(labelName);
  if (labelIndex === -1) {
    throw new DatasetImportError(`the label column '${labelName}' does not exist; the columns are ${known}`, {
      file,
      column: labelName,
    });
  }
  const ignored = new Set<string>();
  for (const name of options.ignore ?? []) {
    const trimmed = name.trim();
    if (!columns.includes(trimmed)) {
      throw new DatasetImportError(`the ignored column '${trimmed}' does not exist; the columns are ${known}`, {
        file,
        column: trimmed,
      });
    }
    if (trimmed === labelName) {
      throw new DatasetImportError(`'${trimmed}' is the label column and cannot be ignored`, { file, column: trimmed });
    }
    ignored.add(trimmed);
  }
  const featureIndices = columns.flatMap((name, index) => (index === labelIndex || ignored.has(name) ? [] : [index]));
  const categorical = new Set<string>();
  for (const name of options.categorical ?? []) {
    const trimmed = name.trim();
    if (!columns.includes(trimmed)) {
      throw new DatasetImportError(`the categorical column '${trimmed}' does not exist; the columns are ${known}`, {
        file,
        column: trimmed,
      });
    }
    if (trimmed === labelName || ignored.has(trimmed)) {
      throw new DatasetImportError(`'${trimmed}' is the label or an ignored column, not a feature`, { file, column: trimmed });
    }
    categorical.add(trimmed);
  }
  if (featureIndices.length === 0) {
    throw new DatasetImportError(`no feature columns left besides the label '${labelName}' and the ignored columns`, {
      file,
    });
  }
  return { labelName, labelIndex, featureIndices, categorical };
}

interface FittedFeature {
  column: NumericColumn | CategoricalColumn;
  /** The row's value, null when missing. */
  value: (row: number) => ColumnValue;
  summary: Record<string, unknown>;
}

/**
 * A column is numeric when every value that is present parses as a finite number, unless it is listed
 * as categorical: then numbers are codes, named canonically ('4.0' and '4' are the category '4').
 */
function fitFeature(name: string, rows: CsvRecord[], index: number, train: Int32Array, categorical: boolean): FittedFeature {
  const raw = rows.map((row) => cellValue(row.fields[index]!));
  const cells = categorical ? raw.map((cell) => (cell === null ? null : numericCode(cell))) : raw;
  const missing = cells.filter((cell) => cell === null).length;
  if (categorical) {
    return {
      column: { ...fitCategoricalColumn(name, cells, train), numericCodes: true },
      value: (at) => cells[at] ?? null,
      summary: { type: 'categorical', missing, distinct: new Set(cells.filter((value) => value !== null)).size },
    };
  }
  // NaN marks a missing value; a typed array keeps large tables cheap for the garbage collector.
  const numbers = new Float64Array(cells.length);
  for (let row = 0; row < cells.length; row++) {
    const cell = cells[row] ?? null;
    const number = cell === null ? NaN : parseDecimal(cell);
    if (number === null) {
      const distinct = new Set(cells.filter((value) => value !== null)).size;
      return {
        column: fitCategoricalColumn(name, cells, train),
        value: (at) => cells[at] ?? null,
        summary: { type: 'categorical', missing, distinct },
      };
    }
    numbers[row] = number;
  }
  return {
    column: fitNumericColumn(name, numbers, train),
    value: (at) => (Number.isNaN(numbers[at]!) ? null : numbers[at]!),
    summary: { type: 'numeric', missing, ...describe(numbers) },
  };
}

function valueCounts(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of sortedDistinct(values)) counts[value] = 0;
  for (const value of values) counts[value]!++;
  return counts;
}

/** Summary over all rows (the preprocessing itself uses train only). Null when nothing is present. */
function describe(numbers: Float64Array) {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const value of numbers) {
    if (Number.isNaN(value)) continue;
    count++;
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  if (count === 0) return { min: null, max: null, mean: null, std: null };
  const mean = sum / count;
  let squares = 0;
  for (const value of numbers) if (!Number.isNaN(value)) squares += (value - mean) ** 2;
  return { min, max, mean, std: Math.sqrt(squares / count) };
}
