import { detectDelimiter, parseRecords } from '@/lib/csv-preview';

/** A tabular demo's input as Scenario.demos.features describes it. */
export interface FeatureSpec {
  name: string;
  description: string;
  categorical: boolean;
  choices?: readonly number[] | null | undefined;
  min?: number | null | undefined;
  max?: number | null | undefined;
  defaultValue: number;
}

/** {column: value} as the deployment takes a tabular instance; null is "unknown". */
export type TabularInstance = Record<string, number | null>;

export function defaultFormValues(features: readonly FeatureSpec[]): Record<string, string> {
  return Object.fromEntries(features.map((feature) => [feature.name, String(feature.defaultValue)]));
}

/**
 * A form's text fields → one instance. A blank field is sent as unknown (the deployment fills it as
 * training did); a coded feature must be one of the codes in the data. A number outside the range
 * the data covers is sent, with a warning (the model extrapolates there).
 */
export function instanceFromForm(
  features: readonly FeatureSpec[],
  values: Readonly<Record<string, string>>,
): { instance?: TabularInstance; errors: Record<string, string>; warnings: Record<string, string> } {
  const errors: Record<string, string> = {};
  const warnings: Record<string, string> = {};
  const instance: TabularInstance = {};
  for (const feature of features) {
    const text = (values[feature.name] ?? '').trim();
    if (text === '') {
      instance[feature.name] = null;
      continue;
    }
    const value = Number(text);
    if (!Number.isFinite(value)) {
      errors[feature.name] = 'A number';
      continue;
    }
    if (feature.categorical && feature.choices && feature.choices.length > 0 && !feature.choices.includes(value)) {
      errors[feature.name] = `One of ${feature.choices.join(', ')}`;
      continue;
    }
    if (
      !feature.categorical &&
      ((feature.min !== null && feature.min !== undefined && value < feature.min) ||
        (feature.max !== null && feature.max !== undefined && value > feature.max))
    )
      warnings[feature.name] = `Outside the data's range ${feature.min} to ${feature.max}`;
    instance[feature.name] = value;
  }
  return Object.keys(errors).length > 0 ? { errors, warnings } : { instance, errors, warnings };
}

/** One predict call carries at most this many instances (the API's limit). */
export const PREDICT_BATCH = 1024;
/** A batch upload is scored in the browser's session, in PREDICT_BATCH chunks: keep it bounded. */
export const MAX_BATCH_ROWS = 20_000;

export interface BatchInput {
  header: string[];
  records: string[][];
  instances: TabularInstance[];
}

/**
 * A CSV with a header naming at least every feature column (other columns, such as an id or the
 * label, are kept in the output but not sent). Errors name the line and column.
 */
export function batchFromCsv(text: string, features: readonly FeatureSpec[]): { batch?: BatchInput; error?: string } {
  const clean = text.replace(/^\uFEFF/, '');
  const records = parseRecords(clean, detectDelimiter(clean), true);
  const [header, ...rows] = records;
  if (!header || rows.length === 0) return { error: 'The file needs a header line and at least one row' };
  const names = header.map((name) => name.trim());
  const missing = features.filter((feature) => !names.includes(feature.name)).map((feature) => feature.name);
  if (missing.length > 0)
    return {
      error: `Missing column${missing.length > 1 ? 's' : ''}: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', …' : ''}`,
    };
  if (rows.length > MAX_BATCH_ROWS)
    return {
      error: `At most ${MAX_BATCH_ROWS.toLocaleString('en-US')} rows per upload (this file has ${rows.length.toLocaleString('en-US')})`,
    };
  const positions = features.map((feature) => [feature, names.indexOf(feature.name)] as const);
  const instances: TabularInstance[] = [];
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index]!;
    if (row.length !== header.length)
      return { error: `Line ${index + 2}: ${row.length} fields, the header has ${header.length}` };
    const instance: TabularInstance = {};
    for (const [feature, position] of positions) {
      const text = row[position]!.trim();
      if (text === '' || text === '?' || /^(na|nan|null)$/i.test(text)) {
        instance[feature.name] = null;
        continue;
      }
      const value = Number(text);
      if (!Number.isFinite(value)) return { error: `Line ${index + 2}, column ${feature.name}: not a number` };
      instance[feature.name] = value;
    }
    instances.push(instance);
  }
  return { batch: { header: names, records: rows, instances } };
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/** RFC 4180 quoting; a text cell a spreadsheet would run as a formula is prefixed with a quote. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !Number.isFinite(Number(value)) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The uploaded rows with the positive class's probability and the decision at the threshold appended. */
export function scoredCsv(
  batch: Pick<BatchInput, 'header' | 'records'>,
  probabilities: readonly number[],
  threshold: number,
  labels: { positive: string; negative: string },
): string {
  const header = [...batch.header, `probability_${labels.positive.replace(/[^A-Za-z0-9]+/g, '_')}`, 'decision'];
  const lines = [header.map(csvCell).join(',')];
  batch.records.forEach((record, index) => {
    const probability = probabilities[index]!;
    lines.push(
      [...record, probability.toFixed(6), probability >= threshold ? labels.positive : labels.negative]
        .map(csvCell)
        .join(','),
    );
  });
  return lines.join('\n') + '\n';
}

/** The positive class's probability in one of predict's answers ({probabilities: {label: p}}). */
export function positiveProbability(prediction: { probabilities: unknown }, positiveLabel: string): number {
  const probabilities = prediction.probabilities as Record<string, unknown> | null;
  const value = probabilities?.[positiveLabel];
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Error(`The deployment's answer has no probability for ${positiveLabel}`);
  return value;
}

export const IMAGE_TYPES = ['image/png', 'image/jpeg'] as const;
/** Base64 grows a file by a third; the dashboard's GraphQL route takes a few MB per request. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/** Why an uploaded file cannot be sent as an X-ray, or null when it can. */
export function imageFileProblem(file: { type: string; size: number }): string | null {
  if (!(IMAGE_TYPES as readonly string[]).includes(file.type)) return 'Choose a PNG or JPEG image';
  if (file.size === 0) return 'The file is empty';
  if (file.size > MAX_IMAGE_BYTES) return `At most ${MAX_IMAGE_BYTES / 1024 / 1024} MB`;
  return null;
}
