import type { ImportContext } from '../import/import-dataset';
import { DEFAULT_IMPORT_LIMITS } from '../import/import-limits';
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
import { readTextChunks } from '../shared/text-stream';
import type { CsvRecord, Delimiter } from './csv-parser';
import { RecordParser } from './csv-record-parser';
import { describeDelimiter, detectDelimiter, parseDelimiterOption } from './delimiter';
import { fitNumericColumn, tabularEncoder, type ColumnValue } from './tabular-preprocessing';

const TABLE_EXTENSION = /\.(csv|tsv|tab|txt|data|dat)$/i;
/** 2 GiB of float32: past this the encoded table cannot be trained on in one process anyway. */
const MAX_ENCODED_VALUES = 512 * 1024 ** 2;
/** Characters read before the delimiter is chosen. */
const SAMPLE_CHARS = 64 * 1024;

/**
 * A delimited text table with one label column, read as a stream in two passes so that memory
 * holds the parsed columns (typed arrays) and never the file: the first pass checks the rows and
 * learns which columns are numeric and which labels occur, the second stores the values. Splits
 * first, then fits standardisation and vocabularies on the training rows only, so nothing about
 * validation or test leaks into them. Every cap (ImportLimits) stops the import at the first line
 * past it.
 */
export async function importCsv(
  files: InputFile[],
  options: ImportOptions,
  split: SplitOptions,
  context: ImportContext = { limits: DEFAULT_IMPORT_LIMITS, onProgress: () => undefined },
): Promise<PreparedDataset> {
  const file = pickTableFile(files);
  const delimiter =
    options.delimiter != null ? parseDelimiterOption(options.delimiter) : detectDelimiter(await readSample(file, context), file.name);
  const header = options.header ?? true;

  const scan = await scanTable(file, delimiter, header, options, context);
  const { columns, labelName, featureIndices } = scan;
  if (scan.rows === 0) throw new DatasetImportError('has a header row but no data rows', { file: file.name });
  const labelValues = sortedDistinct(scan.labelValues.keys());
  const binary = options.positiveLabels != null;
  const classes = binary ? [...BINARY_CLASSES] : labelValues;
  if (classes.length < 2) {
    throw new DatasetImportError(
      `label column '${labelName}' has the single class ${JSON.stringify(classes[0])}; classification needs at least two`,
      { file: file.name, column: labelName },
    );
  }

  // Each label value's class: its position among the values, or negative/positive with positiveLabels.
  const classOfValue = new Map<string, number>();
  const valueClasses = binary
    ? binarizeLabels(labelValues, options.positiveLabels!, { file: file.name, column: labelName })
    : labelValues.map((_, index) => index);
  labelValues.forEach((value, index) => classOfValue.set(value, valueClasses[index]!));
  const table = await readTable(file, delimiter, header, scan, classOfValue, context);
  const labels = table.labels;
  const splits = stratifiedSplit(labels, split);

  const features = featureIndices.map((index, position) => fitFeature(columns[index]!, table.columns[position]!, splits.train));
  const encoder = tabularEncoder(features.map((feature) => feature.column));
  if (encoder.width === 0) {
    throw new DatasetImportError('the feature columns hold no values in the training rows', { file: file.name });
  }
  if (scan.rows * encoder.width > MAX_ENCODED_VALUES) {
    throw new DatasetImportError(
      `one-hot encoding makes ${encoder.width} values per row, ${scan.rows * encoder.width} in all (more than ${MAX_ENCODED_VALUES}); ` +
        'leave out wide categorical columns with the ignore option',
      { file: file.name },
    );
  }
  const encoded = new Float32Array(scan.rows * encoder.width);
  const values: ColumnValue[] = new Array<ColumnValue>(features.length);
  for (let row = 0; row < scan.rows; row++) {
    for (let feature = 0; feature < features.length; feature++) values[feature] = features[feature]!.value(row);
    encoder.encode(values, encoded, row * encoder.width);
  }

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
      rows: scan.rows,
      delimiter: describeDelimiter(delimiter),
      header,
      ...(binary
        ? {
            positiveLabels: options.positiveLabels,
            labelValueCounts: Object.fromEntries(labelValues.map((value) => [value, scan.labelValues.get(value)!])),
          }
        : {}),
      classCounts: classCounts(labels, classes),
      splitCounts: splitCounts(splits),
      // Recorded so that the hash changes with the options even when a tiny dataset splits the same.
      splitOptions: split,
      columns: Object.fromEntries(features.map((feature) => [feature.column.name, feature.summary])),
    },
    source: { format: 'CSV', files: [file.name] },
  };
}

/** The first SAMPLE_CHARS of text, ending at a line break when there is more. */
async function readSample(file: InputFile, context: ImportContext): Promise<string> {
  let sample = '';
  for await (const chunk of readTextChunks(file, { limits: context.limits, signal: context.signal })) {
    sample += chunk;
    if (sample.length >= SAMPLE_CHARS) {
      const end = Math.max(sample.lastIndexOf('\n'), sample.lastIndexOf('\r'));
      return end > 0 ? sample.slice(0, end + 1) : sample;
    }
  }
  if (sample.trim() === '') throw new DatasetImportError('is empty', { file: file.name });
  return sample;
}

/** Feeds the whole file to a RecordParser; `onRecord` sees every record in order. */
async function eachRecord(
  file: InputFile,
  delimiter: Delimiter,
  context: ImportContext,
  progress: (fraction: number) => void,
  onRecord: (record: CsvRecord) => void,
): Promise<void> {
  const parser = new RecordParser(delimiter, file.name, context.limits);
  for await (const chunk of readTextChunks(file, { limits: context.limits, signal: context.signal, onProgress: progress })) {
    parser.push(chunk, onRecord);
  }
  parser.end(onRecord);
}

interface TableScan {
  columns: string[];
  labelName: string;
  labelIndex: number;
  featureIndices: number[];
  /** Data rows. */
  rows: number;
  /** Per feature (in featureIndices order): whether every present value is a number (never for a `categorical` one). */
  numeric: boolean[];
  /** Per feature: listed in the `categorical` option, its numbers being codes. */
  codes: boolean[];
  /** Rows per label value (at most maxCategories values). */
  labelValues: Map<string, number>;
}

/**
 * Pass 1: the header, then every row checked (field count, a label present, the row cap, the label's
 * distinct values) without keeping any; what is learnt is which feature columns are numeric.
 */
async function scanTable(
  file: InputFile,
  delimiter: Delimiter,
  header: boolean,
  options: ImportOptions,
  context: ImportContext,
): Promise<TableScan> {
  const { maxRows, maxCategories } = context.limits;
  let scan: TableScan | undefined;
  let first = true;
  await eachRecord(file, delimiter, context, (fraction) => context.onProgress(fraction / 2), (record) => {
    if (first) {
      first = false;
      const columns = header ? headerNames(record, file.name) : record.fields.map((_, index) => `c${index}`);
      const { categorical, ...chosen } = chooseColumns(columns, options, file.name);
      const codes = chosen.featureIndices.map((index) => categorical.has(columns[index]!));
      scan = { columns, ...chosen, rows: 0, numeric: codes.map((code) => !code), codes, labelValues: new Map() };
      if (header) return;
    }
    const table = scan!;
    if (record.fields.length !== table.columns.length) {
      throw new DatasetImportError(
        `line ${record.line} has ${record.fields.length} fields, expected ${table.columns.length} (delimiter ${JSON.stringify(describeDelimiter(delimiter))})`,
        { file: file.name, line: record.line },
      );
    }
    if (++table.rows > maxRows) {
      throw new DatasetImportError(`has more than ${maxRows} rows (LEPTON_IMPORT_MAX_ROWS); the first one past it is line ${record.line}`, {
        file: file.name,
        line: record.line,
      });
    }
    const label = cellValue(record.fields[table.labelIndex]!);
    if (label === null) {
      throw new DatasetImportError(`line ${record.line}: the label '${table.labelName}' is missing`, {
        file: file.name,
        line: record.line,
        column: table.labelName,
      });
    }
    const seen = table.labelValues.get(label);
    if (seen === undefined && table.labelValues.size >= maxCategories) {
      throw tooManyCategories(file, record.line, table.labelName, maxCategories);
    }
    table.labelValues.set(label, (seen ?? 0) + 1);
    table.featureIndices.forEach((index, position) => {
      if (!table.numeric[position]) return;
      const cell = cellValue(record.fields[index]!);
      if (cell !== null && parseDecimal(cell) === null) table.numeric[position] = false;
    });
  });
  if (!scan) throw new DatasetImportError('is empty', { file: file.name });
  return scan;
}

/** A column's values as read in pass 2: numbers (NaN when missing) or category codes (-1 when missing). */
type ColumnData =
  | { type: 'numeric'; values: Float64Array }
  | { type: 'categorical'; codes: Int32Array; names: string[]; numericCodes: boolean };

/** Pass 2: the values of the feature columns and the labels, into typed arrays sized by pass 1. */
async function readTable(
  file: InputFile,
  delimiter: Delimiter,
  header: boolean,
  scan: TableScan,
  classOfValue: Map<string, number>,
  context: ImportContext,
): Promise<{ columns: ColumnData[]; labels: Int32Array }> {
  const { maxCategories } = context.limits;
  const labels = new Int32Array(scan.rows);
  const columns: ColumnData[] = scan.numeric.map((numeric, position) =>
    numeric
      ? { type: 'numeric', values: new Float64Array(scan.rows) }
      : { type: 'categorical', codes: new Int32Array(scan.rows), names: [], numericCodes: scan.codes[position]! },
  );
  const dictionaries = columns.map(() => new Map<string, number>());
  let skipHeader = header;
  let row = -1;
  await eachRecord(file, delimiter, context, (fraction) => context.onProgress(0.5 + fraction / 2), (record) => {
    if (skipHeader) {
      skipHeader = false;
      return;
    }
    row++;
    labels[row] = classOfValue.get(cellValue(record.fields[scan.labelIndex]!)!)!;
    scan.featureIndices.forEach((index, position) => {
      const value = cellValue(record.fields[index]!);
      const column = columns[position]!;
      if (column.type === 'numeric') {
        column.values[row] = value === null ? NaN : parseDecimal(value)!;
        return;
      }
      if (value === null) {
        column.codes[row] = -1;
        return;
      }
      // Numbers listed as categorical are codes named canonically ('4.0' and '4' are the category '4').
      const cell = column.numericCodes ? numericCode(value) : value;
      const dictionary = dictionaries[position]!;
      let code = dictionary.get(cell);
      if (code === undefined) {
        if (dictionary.size >= maxCategories) throw tooManyCategories(file, record.line, scan.columns[index]!, maxCategories);
        code = dictionary.size;
        dictionary.set(cell, code);
        column.names.push(cell);
      }
      column.codes[row] = code;
    });
  });
  return { columns, labels };
}

function tooManyCategories(file: InputFile, line: number, column: string, max: number): DatasetImportError {
  return new DatasetImportError(
    `line ${line}: column '${column}' has more than ${max} distinct values (LEPTON_IMPORT_MAX_CATEGORIES); ` +
      'leave it out with the ignore option if it is an identifier or free text',
    { file: file.name, line, column },
  );
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

/** A column is numeric when every value that is present parses as a finite number (pass 1 found out). */
function fitFeature(name: string, data: ColumnData, train: Int32Array): FittedFeature {
  if (data.type === 'numeric') {
    const numbers = data.values;
    let missing = 0;
    for (const value of numbers) if (Number.isNaN(value)) missing++;
    return {
      column: fitNumericColumn(name, numbers, train),
      value: (at) => (Number.isNaN(numbers[at]!) ? null : numbers[at]!),
      summary: { type: 'numeric', missing, ...describe(numbers) },
    };
  }
  const { codes, names } = data;
  let missing = 0;
  for (const code of codes) if (code === -1) missing++;
  const column = fitCategoricalCodes(name, codes, names, train);
  return {
    column: data.numericCodes ? { ...column, numericCodes: true } : column,
    value: (at) => (codes[at] === -1 ? null : names[codes[at]!]!),
    summary: { type: 'categorical', missing, distinct: names.length },
  };
}

/** The vocabulary is what the training rows contain (as fitCategoricalColumn, from codes). */
function fitCategoricalCodes(name: string, codes: Int32Array, names: string[], train: Int32Array): CategoricalColumn {
  const seen = new Uint8Array(names.length);
  for (const index of train) {
    const code = codes[index]!;
    if (code !== -1) seen[code] = 1;
  }
  const categories = sortedDistinct(names.filter((_, code) => seen[code] === 1));
  return { name, type: 'categorical', categories, missing: 'all-zero' };
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
