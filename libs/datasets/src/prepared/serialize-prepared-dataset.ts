import { createHash } from 'node:crypto';
import { DatasetImportError } from '../shared/dataset-import-error';
import { canonicalJson } from './canonical-json';
import type { DatasetFormat, PreparedDataset } from './prepared-dataset';
import { validatePreparedArrays } from './validate-prepared-dataset';

/** Bumped whenever the layout below changes; readers refuse versions they do not know. */
export const FORMAT_VERSION = 1;
const MANIFEST = 'manifest.json';

type DType = 'uint8' | 'int32' | 'float32';
const BYTES_PER_ELEMENT: Record<DType, number> = { uint8: 1, int32: 4, float32: 4 };
const ARRAY_NAMES = ['features', 'labels', 'train', 'validation', 'test'] as const;
type ArrayName = (typeof ARRAY_NAMES)[number];

interface ArrayEntry {
  file: string;
  dtype: DType;
  length: number;
  sha256: string;
  /** uint8 features only: value = byte × scale. */
  scale?: number;
}

interface EncodedArray {
  entry: ArrayEntry;
  bytes: Uint8Array;
}

export interface SerializedDataset {
  /** Relative names (manifest.json, features.u8|features.f32, labels.i32, splits/*.i32) → bytes. */
  files: Record<string, Uint8Array>;
  contentSha256: string;
  sizeBytes: number;
  exampleCount: number;
}

/**
 * Binary arrays are little-endian whatever the machine; the manifest is canonical JSON that records
 * every array's sha256, so the sha256 of the manifest bytes covers the whole dataset.
 */
export function serializePreparedDataset(dataset: PreparedDataset): SerializedDataset {
  validatePreparedArrays(dataset);
  const encoded: Record<ArrayName, EncodedArray> = {
    features: encodeFeatures(dataset),
    labels: encodeInt32('labels.i32', dataset.labels),
    train: encodeInt32('splits/train.i32', dataset.splits.train),
    validation: encodeInt32('splits/validation.i32', dataset.splits.validation),
    test: encodeInt32('splits/test.i32', dataset.splits.test),
  };
  const manifest = {
    formatVersion: FORMAT_VERSION,
    kind: dataset.kind,
    featureShape: dataset.featureShape,
    classes: dataset.classes,
    exampleCount: dataset.labels.length,
    preprocessing: dataset.preprocessing,
    schema: dataset.schema,
    stats: dataset.stats,
    source: dataset.source,
    arrays: Object.fromEntries(ARRAY_NAMES.map((name) => [name, encoded[name].entry])),
  };
  const manifestBytes = new TextEncoder().encode(canonicalJson(manifest));
  const files: Record<string, Uint8Array> = { [MANIFEST]: manifestBytes };
  for (const name of ARRAY_NAMES) files[encoded[name].entry.file] = encoded[name].bytes;
  return {
    files,
    contentSha256: sha256(manifestBytes),
    sizeBytes: Object.values(files).reduce((total, bytes) => total + bytes.length, 0),
    exampleCount: dataset.labels.length,
  };
}

/** The inverse of serializePreparedDataset; refuses unknown versions, wrong sizes and corrupted bytes. */
export function deserializePreparedDataset(files: Record<string, Uint8Array>): PreparedDataset {
  const manifest = readManifest(files);
  const arrays = manifest.arrays;
  const dataset: PreparedDataset = {
    kind: manifest.kind,
    featureShape: manifest.featureShape,
    classes: manifest.classes,
    features: decodeFeatures(arrays.features, readArrayBytes(files, arrays.features)),
    labels: decodeInt32(readArrayBytes(files, arrays.labels)),
    splits: {
      train: decodeInt32(readArrayBytes(files, arrays.train)),
      validation: decodeInt32(readArrayBytes(files, arrays.validation)),
      test: decodeInt32(readArrayBytes(files, arrays.test)),
    },
    preprocessing: manifest.preprocessing,
    schema: manifest.schema,
    stats: manifest.stats,
    source: manifest.source,
  };
  if (dataset.labels.length !== manifest.exampleCount) {
    throw new DatasetImportError(
      `holds ${dataset.labels.length} labels but declares ${manifest.exampleCount} examples`,
      {
        file: MANIFEST,
      },
    );
  }
  validatePreparedArrays(dataset);
  return dataset;
}

/** The name of the manifest among a serialized dataset's files; its sha256 is the dataset's content hash. */
export const DATASET_MANIFEST = MANIFEST;

/** What a dataset version says about its examples, without its arrays: enough to apply its preprocessing. */
export type DatasetDescription = Pick<
  PreparedDataset,
  'kind' | 'featureShape' | 'classes' | 'preprocessing' | 'schema'
>;

/** Reads only the manifest of a serialized dataset (checked as deserializePreparedDataset checks it). */
export function readDatasetDescription(manifestBytes: Uint8Array): DatasetDescription {
  const { kind, featureShape, classes, preprocessing, schema } = readManifest({ [MANIFEST]: manifestBytes });
  return { kind, featureShape, classes, preprocessing, schema };
}

/** Images are 8-bit at heart: store bytes + scale when every value is exactly byte × scale. */
function encodeFeatures(dataset: PreparedDataset): EncodedArray {
  const { features, preprocessing } = dataset;
  if (preprocessing.kind === 'image') {
    const bytes = quantize(features, preprocessing.scale);
    if (bytes)
      return encoded({ file: 'features.u8', dtype: 'uint8', length: bytes.length, scale: preprocessing.scale }, bytes);
  }
  const bytes = new Uint8Array(features.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < features.length; i++) view.setFloat32(i * 4, features[i]!, true);
  return encoded({ file: 'features.f32', dtype: 'float32', length: features.length }, bytes);
}

function quantize(features: Float32Array, scale: number): Uint8Array | null {
  const bytes = new Uint8Array(features.length);
  const restored = new Float32Array(256).map((_, byte) => byte * scale);
  for (let i = 0; i < features.length; i++) {
    const value = features[i]!;
    const byte = Math.round(value / scale);
    if (!(byte >= 0 && byte <= 255) || restored[byte] !== value) return null;
    bytes[i] = byte;
  }
  return bytes;
}

function encodeInt32(file: string, values: Int32Array): EncodedArray {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setInt32(i * 4, values[i]!, true);
  return encoded({ file, dtype: 'int32', length: values.length }, bytes);
}

function encoded(entry: Omit<ArrayEntry, 'sha256'>, bytes: Uint8Array): EncodedArray {
  return { entry: { ...entry, sha256: sha256(bytes) }, bytes };
}

function decodeFeatures(entry: ArrayEntry, bytes: Uint8Array): Float32Array {
  const values = new Float32Array(entry.length);
  if (entry.dtype === 'uint8') {
    const scale = entry.scale!;
    for (let i = 0; i < values.length; i++) values[i] = bytes[i]! * scale;
    return values;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
  return values;
}

function decodeInt32(bytes: Uint8Array): Int32Array {
  const values = new Int32Array(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < values.length; i++) values[i] = view.getInt32(i * 4, true);
  return values;
}

function readArrayBytes(files: Record<string, Uint8Array>, entry: ArrayEntry): Uint8Array {
  const bytes = files[entry.file];
  if (!bytes) throw new DatasetImportError('is missing from the serialized dataset', { file: entry.file });
  const expected = entry.length * BYTES_PER_ELEMENT[entry.dtype];
  if (bytes.length !== expected) {
    throw new DatasetImportError(`has ${bytes.length} bytes, expected ${expected} (${entry.length} × ${entry.dtype})`, {
      file: entry.file,
    });
  }
  if (sha256(bytes) !== entry.sha256) {
    throw new DatasetImportError('does not match the sha256 recorded in the manifest', { file: entry.file });
  }
  return bytes;
}

interface Manifest {
  kind: PreparedDataset['kind'];
  featureShape: number[];
  classes: string[];
  exampleCount: number;
  preprocessing: PreparedDataset['preprocessing'];
  schema: PreparedDataset['schema'];
  stats: Record<string, unknown>;
  source: PreparedDataset['source'];
  arrays: Record<ArrayName, ArrayEntry>;
}

const FORMATS: readonly DatasetFormat[] = ['CSV', 'MNIST_IDX', 'CIFAR10_BINARY', 'IMAGE_FOLDER'];

/** Checks the manifest's structure; array contents are checked once decoded. */
function readManifest(files: Record<string, Uint8Array>): Manifest {
  const bytes = files[MANIFEST];
  if (!bytes) throw new DatasetImportError('is missing from the serialized dataset', { file: MANIFEST });
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new DatasetImportError('is not valid UTF-8 JSON', { file: MANIFEST });
  }
  const manifest = record(parsed, 'the manifest');
  if (manifest['formatVersion'] !== FORMAT_VERSION) {
    throw new DatasetImportError(
      `has format version ${JSON.stringify(manifest['formatVersion'])}; this reader understands version ${FORMAT_VERSION}`,
      { file: MANIFEST },
    );
  }
  const kind = manifest['kind'];
  if (kind !== 'tabular' && kind !== 'image') invalid('kind');
  const preprocessing = record(manifest['preprocessing'], 'preprocessing');
  if (preprocessing['kind'] !== kind) invalid('preprocessing.kind');
  const schema = record(manifest['schema'], 'schema');
  if (!Array.isArray(schema['features'])) invalid('schema.features');
  record(schema['label'], 'schema.label');
  const source = record(manifest['source'], 'source');
  if (!FORMATS.includes(source['format'] as DatasetFormat)) invalid('source.format');
  if (!isStringArray(source['files'])) invalid('source.files');
  const featureShape = manifest['featureShape'];
  if (!Array.isArray(featureShape) || !featureShape.every((size) => Number.isInteger(size) && size > 0)) {
    invalid('featureShape');
  }
  if (!isStringArray(manifest['classes'])) invalid('classes');
  if (!Number.isInteger(manifest['exampleCount'])) invalid('exampleCount');
  const arrays = record(manifest['arrays'], 'arrays');
  for (const name of ARRAY_NAMES) checkArrayEntry(name, arrays[name], name === 'features');
  record(manifest['stats'], 'stats');
  return manifest as unknown as Manifest;
}

function checkArrayEntry(name: ArrayName, value: unknown, isFeatures: boolean): void {
  const entry = record(value, `arrays.${name}`);
  const dtypes: DType[] = isFeatures ? ['uint8', 'float32'] : ['int32'];
  if (typeof entry['file'] !== 'string') invalid(`arrays.${name}.file`);
  if (!dtypes.includes(entry['dtype'] as DType)) invalid(`arrays.${name}.dtype`);
  if (!Number.isInteger(entry['length']) || (entry['length'] as number) < 0) invalid(`arrays.${name}.length`);
  if (typeof entry['sha256'] !== 'string') invalid(`arrays.${name}.sha256`);
  if (entry['dtype'] === 'uint8' && !(typeof entry['scale'] === 'number' && entry['scale'] > 0)) {
    invalid(`arrays.${name}.scale`);
  }
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(what);
  return value as Record<string, unknown>;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function invalid(what: string): never {
  throw new DatasetImportError(`has a missing or invalid ${what}`, { file: MANIFEST });
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
