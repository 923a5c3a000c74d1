import type { FieldErrors } from './fields';

/**
 * One input of the "try it" form, read from a model version's input signature (its
 * `preprocessing`, written by the trainer): a numeric or categorical CSV column, or the image.
 */
export type TryItField =
  | { kind: 'numeric'; name: string; mean: number | null }
  | { kind: 'categorical'; name: string; categories: string[] }
  | { kind: 'image'; name: string; height: number; width: number; channels: number };

export type TryItSignature = { kind: 'tabular' | 'image'; fields: TryItField[] } | { kind: 'unknown'; fields: [] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const finiteOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** Fields per feature; `unknown` when the version carries no signature the dashboard understands (send JSON instead). */
export function tryItSignature(inputSignature: unknown): TryItSignature {
  const preprocessing = isRecord(inputSignature) ? inputSignature['preprocessing'] : undefined;
  if (!isRecord(preprocessing)) return { kind: 'unknown', fields: [] };
  if (preprocessing['kind'] === 'image') {
    const height = finiteOrNull(preprocessing['height']);
    const width = finiteOrNull(preprocessing['width']);
    const channels = finiteOrNull(preprocessing['channels']);
    if (height === null || width === null || channels === null) return { kind: 'unknown', fields: [] };
    return { kind: 'image', fields: [{ kind: 'image', name: 'image', height, width, channels }] };
  }
  if (preprocessing['kind'] === 'tabular' && Array.isArray(preprocessing['columns'])) {
    const fields: TryItField[] = [];
    for (const column of preprocessing['columns']) {
      if (!isRecord(column) || typeof column['name'] !== 'string') return { kind: 'unknown', fields: [] };
      if (column['type'] === 'numeric') {
        fields.push({ kind: 'numeric', name: column['name'], mean: finiteOrNull(column['mean']) });
      } else if (column['type'] === 'categorical' && Array.isArray(column['categories'])) {
        fields.push({ kind: 'categorical', name: column['name'], categories: column['categories'].map(String) });
      } else {
        return { kind: 'unknown', fields: [] };
      }
    }
    return { kind: 'tabular', fields };
  }
  return { kind: 'unknown', fields: [] };
}

/** Form state: text per numeric/categorical field, a base64 data URL for the image. */
export type TryItValues = Record<string, string>;

/**
 * The one instance the form sends to `predict`, or errors per field. A blank numeric or
 * categorical field is sent as null ("unknown"), which the model's preprocessing fills like at training.
 */
export function tryItInstance(
  signature: TryItSignature,
  values: TryItValues,
): { instance?: Record<string, number | string | null> | string; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (signature.kind === 'image') {
    const image = values['image'] ?? '';
    if (!image) return { errors: { image: 'Choose a PNG or JPEG image' } };
    return { instance: image, errors };
  }
  const instance: Record<string, number | string | null> = {};
  for (const field of signature.fields) {
    const text = (values[field.name] ?? '').trim();
    if (field.kind === 'numeric') {
      if (text === '') instance[field.name] = null;
      else if (!Number.isFinite(Number(text))) errors[field.name] = 'A number, or blank for unknown';
      else instance[field.name] = Number(text);
    } else if (field.kind === 'categorical') {
      instance[field.name] = text === '' ? null : text;
    }
  }
  return Object.keys(errors).length > 0 ? { errors } : { instance, errors };
}

/** Form values that start from the training data's means (numeric) and first category, so one click predicts. */
export function defaultTryItValues(signature: TryItSignature): TryItValues {
  const values: TryItValues = {};
  for (const field of signature.fields) {
    if (field.kind === 'numeric')
      values[field.name] = field.mean === null ? '' : String(Number(field.mean.toPrecision(4)));
    else if (field.kind === 'categorical') values[field.name] = field.categories[0] ?? '';
  }
  return values;
}

/** Parses the free-form JSON box used when a version has no signature the form understands. */
export function parseInstancesJson(text: string): { instances?: unknown[]; error?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { error: 'Not valid JSON' };
  }
  const instances = Array.isArray(parsed) ? parsed : [parsed];
  if (instances.length === 0) return { error: 'Give at least one instance' };
  return { instances };
}

/**
 * The canary controls' rules (the API checks them again): a version other than the stable one and
 * 0..100 % (0 loads and warms the canary before it gets traffic).
 */
export function validateCanary(input: { version: string; weight: string; stableVersion: number }): FieldErrors {
  const errors: FieldErrors = {};
  const version = Number(input.version);
  if (input.version.trim() === '' || !Number.isInteger(version) || version < 1) errors['version'] = 'Choose a version';
  else if (version === input.stableVersion) errors['version'] = 'This version is already the stable revision';
  const weight = Number(input.weight);
  if (input.weight.trim() === '' || !Number.isInteger(weight)) errors['weight'] = 'A whole percentage';
  else if (weight < 0 || weight > 100) errors['weight'] = 'Between 0 and 100 %';
  return errors;
}

/** Deployment names as the API validates them: 1-63 lowercase letters, digits and '-'. */
export const DEPLOYMENT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function checkDeploymentName(value: string): string | undefined {
  if (value.trim() === '') return 'Name the deployment';
  if (!DEPLOYMENT_NAME.test(value)) return '1-63 lowercase letters, digits and “-”, not starting or ending with “-”';
  return undefined;
}
