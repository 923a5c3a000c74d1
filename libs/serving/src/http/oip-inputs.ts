import type { FieldNamer, InstanceEncoder, RawFeature } from '@lepton/inference';
import { MAX_PREDICT_INSTANCES } from '@lepton/registry';
import { badRequest, tooLarge } from './http-errors';
import { isRecord } from './http-io';

/** Open Inference Protocol v2 tensor datatypes carried as JSON numbers. */
const NUMERIC_DATATYPES = new Set([
  'FP16',
  'FP32',
  'FP64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
]);
const INTEGER_DATATYPES = new Set(['INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64']);
export const OUTPUT_NAMES = ['probabilities', 'label'] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];
const MAX_ID_LENGTH = 256;

/** How a raw feature is described in model metadata: tabular numbers FP32, categories and images BYTES. */
export function datatypeOf(feature: RawFeature): 'FP32' | 'BYTES' {
  return feature.type === 'numeric' ? 'FP32' : 'BYTES';
}

export interface OipRequest {
  /** One record per row, as the friendly endpoint's instances. */
  instances: unknown[];
  /** Names errors in the request's own terms: `inputs[1].data[3]`. */
  field: FieldNamer;
  id: string | null;
  outputs: readonly OutputName[];
}

function datatypesFor(feature: RawFeature): string[] {
  if (feature.type === 'image') return ['BYTES'];
  // CSV cells are text: numeric columns also take strings, categorical ones also numbers (as at import).
  return [...NUMERIC_DATATYPES, 'BYTES'];
}

/**
 * An OIP v2 inference request → the model's raw records. One input per raw feature (a CSV column, or the image),
 * each of shape [N] or [N, 1] with N the number of rows (the same for all); numeric datatypes carry JSON numbers,
 * BYTES carries strings (images as base64 PNG/JPEG); null marks a missing tabular value. Every refusal names the
 * field (`inputs[2].shape`, `inputs[0].data[7]`).
 */
export function oipRequest(body: unknown, encoder: InstanceEncoder): OipRequest {
  if (!isRecord(body)) throw badRequest('body', 'expected a JSON object {"inputs": [...]}');
  for (const key of Object.keys(body)) {
    if (!['id', 'inputs', 'outputs', 'parameters'].includes(key))
      throw badRequest(key, 'unknown field of an inference request');
  }
  const id = body['id'];
  if (id !== undefined && (typeof id !== 'string' || id.length > MAX_ID_LENGTH)) {
    throw badRequest('id', `expected a string of at most ${MAX_ID_LENGTH} characters`);
  }
  if (body['parameters'] !== undefined && !isRecord(body['parameters']))
    throw badRequest('parameters', 'expected an object');
  const outputs = requestedOutputs(body['outputs']);
  const inputs = body['inputs'];
  if (!Array.isArray(inputs) || inputs.length === 0)
    throw badRequest('inputs', 'expected a non-empty array of input tensors');
  if (inputs.length > encoder.features.length) {
    throw badRequest(
      'inputs',
      `${inputs.length} inputs, but the model takes ${encoder.features.length}: ${names(encoder.features)}`,
    );
  }

  const features = new Map(encoder.features.map((feature) => [feature.name, feature]));
  const columns = new Map<string, { index: number; values: unknown[] }>();
  let rows: number | null = null;
  inputs.forEach((input, index) => {
    const at = `inputs[${index}]`;
    if (!isRecord(input)) throw badRequest(at, 'expected an object {name, shape, datatype, data}');
    const { name, shape, datatype, data } = input;
    if (typeof name !== 'string') throw badRequest(`${at}.name`, 'expected a string');
    const feature = features.get(name);
    if (!feature)
      throw badRequest(
        `${at}.name`,
        `unknown input "${name.slice(0, 100)}"; the model takes ${names(encoder.features)}`,
      );
    if (columns.has(name)) throw badRequest(`${at}.name`, `input "${name}" is given twice`);
    if (typeof datatype !== 'string' || !datatypesFor(feature).includes(datatype)) {
      throw badRequest(
        `${at}.datatype`,
        `expected ${feature.type === 'image' ? 'BYTES (base64 PNG or JPEG)' : 'a numeric datatype (FP32, INT64, …) or BYTES'}`,
      );
    }
    const count = rowsOf(shape, `${at}.shape`);
    if (count > MAX_PREDICT_INSTANCES)
      throw tooLarge(`${at}.shape`, `${count} rows, more than the ${MAX_PREDICT_INSTANCES} a request may have`);
    if (rows !== null && count !== rows) throw badRequest(`${at}.shape`, `${count} rows, but inputs[0] has ${rows}`);
    rows = count;
    const values = flatValues(data, count, `${at}.data`);
    values.forEach((value, row) => checkElement(value, datatype, feature, `${at}.data[${row}]`));
    columns.set(name, { index, values });
  });
  for (const feature of encoder.features) {
    if (!columns.has(feature.name))
      throw badRequest('inputs', `no input named "${feature.name}"; the model takes ${names(encoder.features)}`);
  }

  const count = rows ?? 0;
  const field: FieldNamer = (row, feature) => {
    const column = columns.get(feature ?? encoder.features[0]!.name);
    return column ? `inputs[${column.index}].data[${row}]` : 'inputs';
  };
  const instances =
    encoder.kind === 'image'
      ? columns.get(encoder.features[0]!.name)!.values
      : Array.from({ length: count }, (_, row) => {
          const record: Record<string, unknown> = {};
          for (const [name, column] of columns) record[name] = column.values[row];
          return record;
        });
  return { instances, field, id: typeof id === 'string' ? id : null, outputs };
}

function names(features: readonly RawFeature[]): string {
  const shown = features.slice(0, 20).map((feature) => feature.name);
  return features.length > 20 ? `${shown.join(', ')}, … (${features.length} in all)` : shown.join(', ');
}

function requestedOutputs(value: unknown): readonly OutputName[] {
  if (value === undefined) return OUTPUT_NAMES;
  if (!Array.isArray(value) || value.length === 0) throw badRequest('outputs', 'expected a non-empty array of {name}');
  return value.map((output, index) => {
    const name = isRecord(output) ? output['name'] : undefined;
    if (typeof name !== 'string' || !(OUTPUT_NAMES as readonly string[]).includes(name)) {
      throw badRequest(`outputs[${index}].name`, `expected one of ${OUTPUT_NAMES.join(', ')}`);
    }
    return name as OutputName;
  });
}

/** Rows of a feature tensor: shape [N] or [N, 1]. */
function rowsOf(shape: unknown, field: string): number {
  const valid =
    Array.isArray(shape) &&
    (shape.length === 1 || (shape.length === 2 && shape[1] === 1)) &&
    Number.isInteger(shape[0]) &&
    (shape[0] as number) >= 1;
  if (!valid) throw badRequest(field, 'expected [N] or [N, 1]: one value per row, N ≥ 1');
  return shape[0] as number;
}

/** `data` flat, or nested one level per row ([[v], [v], …]) as row-major tensors may be sent. */
function flatValues(data: unknown, rows: number, field: string): unknown[] {
  if (!Array.isArray(data)) throw badRequest(field, 'expected an array');
  const values = data.map((value, row) => {
    if (!Array.isArray(value)) return value;
    if (value.length !== 1) throw badRequest(`${field}[${row}]`, 'expected one value per row');
    return value[0];
  });
  if (values.length !== rows) throw badRequest(field, `${values.length} values for shape [${rows}]`);
  return values;
}

function checkElement(value: unknown, datatype: string, feature: RawFeature, field: string): void {
  if (value === null && feature.type !== 'image') return;
  if (datatype === 'BYTES') {
    if (typeof value !== 'string') throw badRequest(field, `expected a string (BYTES), got ${kind(value)}`);
    return;
  }
  if (typeof value !== 'number') throw badRequest(field, `expected a number (${datatype}), got ${kind(value)}`);
  if (INTEGER_DATATYPES.has(datatype) && !Number.isInteger(value))
    throw badRequest(field, `expected an integer (${datatype}), got ${value}`);
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
