import { lstat, mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ModelFormatError } from './model-format-error';

export const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';
/** Topology and manifest only; real layers-model JSON is kilobytes, so anything huge is not one. */
export const MAX_MODEL_JSON_BYTES = 16 * 1024 * 1024;
// Weight shards are plain file names in the model folder: no separators, no leading dot, `.bin` only.
const WEIGHT_FILE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\.bin$/;
const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Writes to a sibling temp name then renames, so readers never see half a file. */
async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, data);
  await rename(temp, file);
}

/** Saves `model` as a TF.js layers model (model.json + weights.bin) into `dir`; returns the written paths. */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<{ files: string[] }> {
  await mkdir(dir, { recursive: true });
  const files = [path.join(dir, WEIGHTS_BIN), path.join(dir, MODEL_JSON)];
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      // Weights first: a model.json on disk always refers to complete weights.
      await writeAtomically(files[0]!, weights);
      await writeAtomically(files[1]!, JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(modelJson) };
    }),
  );
  return { files };
}

function reject(message: string, field = MODEL_JSON): never {
  throw new ModelFormatError(`Cannot load model: ${message}`, field);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a regular file directly inside `dir`; symlinks are refused because they could point anywhere. */
async function readPlainFile(dir: string, name: string, maxBytes = Infinity): Promise<Buffer> {
  const file = path.join(dir, name);
  const info = await lstat(file).catch(() => null);
  if (!info) {
    const present = await readdir(dir).catch(() => null);
    if (!present) reject(`folder ${dir} does not exist`, 'dir');
    // Without model.json this is most likely another format (SavedModel, Keras, ONNX): say what was found.
    const hint =
      name === MODEL_JSON
        ? ` (found: ${present.join(', ') || 'nothing'}); only TF.js layers models (model.json + .bin weights) are supported`
        : '';
    return reject(`${name} is missing from ${dir}${hint}`, name);
  }
  if (!info.isFile()) reject(`${name} is not a regular file`, name);
  if (info.size > maxBytes) reject(`${name} is ${info.size} bytes, larger than any layers-model JSON`, name);
  return readFile(file);
}

function weightBytes(entry: unknown, field: string): number {
  if (!isRecord(entry) || typeof entry['name'] !== 'string' || !Array.isArray(entry['shape'])) {
    reject(`${field} is not a weight entry`);
  }
  const shape = entry['shape'] as unknown[];
  if (!shape.every((dim) => typeof dim === 'number' && Number.isInteger(dim) && dim >= 0))
    reject(`${field}.shape is invalid`);
  const quantization = entry['quantization'];
  const dtype = isRecord(quantization) ? quantization['dtype'] : entry['dtype'];
  const size = typeof dtype === 'string' ? BYTES_PER_ELEMENT[dtype] : undefined;
  if (size === undefined) reject(`${field} has unsupported dtype ${JSON.stringify(dtype)}`);
  return (shape as number[]).reduce((a, b) => a * b, 1) * size;
}

/** A checked model.json: what to read next, and how many bytes each group of weight files must hold. */
export interface ModelManifest {
  topology: Record<string, unknown>;
  weightSpecs: tf.io.WeightsManifestEntry[];
  /** Per manifest group, in order: plain `.bin` names inside the model folder and the bytes they hold together. */
  groups: { files: string[]; bytes: number }[];
  /** All weight bytes the manifest lists. */
  weightBytes: number;
  userDefinedMetadata?: Record<string, unknown>;
}

/**
 * Parses and checks model.json text: a TF.js layers model (no graph models or other formats), a topology, and a
 * weights manifest whose paths are plain `.bin` file names in the same folder and whose dtypes have known sizes.
 */
export function readModelManifest(text: string): ModelManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    reject(`${MODEL_JSON} is not JSON`);
  }
  if (!isRecord(json)) reject(`${MODEL_JSON} is not a JSON object`);
  if (json['format'] !== undefined && json['format'] !== 'layers-model') {
    reject(`format ${JSON.stringify(json['format'])} is not supported; only TF.js layers models are`);
  }
  const topology = json['modelTopology'];
  if (!isRecord(topology) || (typeof topology['class_name'] !== 'string' && !isRecord(topology['model_config']))) {
    reject(`${MODEL_JSON} has no layers-model topology`);
  }
  const manifest = json['weightsManifest'];
  if (!Array.isArray(manifest)) reject(`${MODEL_JSON} has no weightsManifest`);

  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const groups: ModelManifest['groups'] = [];
  for (const [g, group] of manifest.entries()) {
    const field = `weightsManifest[${g}]`;
    if (!isRecord(group) || !Array.isArray(group['paths']) || !Array.isArray(group['weights']))
      reject(`${field} is malformed`);
    const bytes = group['weights'].reduce<number>(
      (sum, entry, i) => sum + weightBytes(entry, `${field}.weights[${i}]`),
      0,
    );
    const files = group['paths'].map((name, p) => {
      if (typeof name !== 'string' || !WEIGHT_FILE.test(name)) {
        reject(`${field}.paths[${p}] ${JSON.stringify(name)} must be a plain .bin file name inside the model folder`);
      }
      return name;
    });
    groups.push({ files, bytes });
    weightSpecs.push(...(group['weights'] as tf.io.WeightsManifestEntry[]));
  }
  const metadata = json['userDefinedMetadata'];
  return {
    topology,
    weightSpecs,
    groups,
    weightBytes: groups.reduce((sum, group) => sum + group.bytes, 0),
    ...(isRecord(metadata) ? { userDefinedMetadata: metadata } : {}),
  };
}

/**
 * Loads a TF.js layers model from `dir`: model.json plus the weight files its manifest lists. Anything else is
 * refused with a ModelFormatError: graph models and other formats, weight paths that leave the folder or are not
 * `.bin`, symlinks, missing files, and weights whose size disagrees with the manifest.
 */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  const manifest = readModelManifest((await readPlainFile(dir, MODEL_JSON, MAX_MODEL_JSON_BYTES)).toString('utf8'));
  const buffers: Buffer[] = [];
  for (const [g, group] of manifest.groups.entries()) {
    let actual = 0;
    for (const name of group.files) {
      const buffer = await readPlainFile(dir, name);
      actual += buffer.byteLength;
      buffers.push(buffer);
    }
    if (actual !== group.bytes)
      reject(`weightsManifest[${g}] lists ${group.bytes} bytes of weights but its files hold ${actual}`);
  }

  const weightData = new Uint8Array(Buffer.concat(buffers)).buffer;
  try {
    return await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: manifest.topology,
        weightSpecs: manifest.weightSpecs,
        weightData,
        format: 'layers-model',
        ...(manifest.userDefinedMetadata ? { userDefinedMetadata: manifest.userDefinedMetadata } : {}),
      }),
    );
  } catch (error) {
    return reject(`${MODEL_JSON} is not a loadable TF.js layers model (${(error as Error).message})`);
  }
}
