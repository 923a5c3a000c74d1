import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export interface EncodedWeights {
  specs: tf.io.WeightsManifestEntry[];
  data: ArrayBuffer;
}

/** What must match for a checkpoint to continue a run; otherwise its weights or step counts would be meaningless. */
export interface RunFingerprint {
  weightShapes: number[][];
  optimizer: string;
  batchSize: number;
  seed: number;
  trainExamples: number;
  numClasses: number;
}

export interface EarlyStoppingState {
  /** Lowest monitored loss so far; null before the first epoch. */
  best: number | null;
  /** 0-based index of the epoch that reached `best`. */
  bestEpoch: number | null;
  /** Epochs since `best` last improved. */
  wait: number;
  stoppedEarly: boolean;
}

export interface CheckpointState {
  /** Epochs completed, i.e. the index of the epoch a resume starts with. */
  epochsCompleted: number;
  /** Global batches completed. */
  step: number;
  fingerprint: RunFingerprint;
  earlyStopping: EarlyStoppingState;
}

export interface Checkpoint {
  state: CheckpointState;
  weights: EncodedWeights;
  optimizer: EncodedWeights;
  /** Weights of the best epoch so far, kept only when early stopping is on. */
  bestWeights: EncodedWeights | null;
}

export interface IgnoredCheckpoint {
  path: string;
  reason: string;
}

const FORMAT = 'lepton-trainer-checkpoint';
const VERSION = 1;
const MANIFEST = 'checkpoint.json';
const BLOB_FILES = { weights: 'weights.bin', optimizer: 'optimizer.bin', bestWeights: 'best-weights.bin' } as const;
type BlobKey = keyof typeof BLOB_FILES;
const CHECKPOINT_DIR = /^epoch-(\d+)$/;
const TEMP_PREFIX = '.tmp-';

interface BlobRecord {
  file: string;
  bytes: number;
  sha256: string;
  specs: tf.io.WeightsManifestEntry[];
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
// Named by epochs completed, zero-padded so names sort in training order.
const checkpointName = (epochsCompleted: number) => `epoch-${String(epochsCompleted).padStart(6, '0')}`;

/** Model weights in `model.weights` order; names carry the position because layer weight names may repeat. */
export async function encodeModelWeights(model: tf.LayersModel): Promise<EncodedWeights> {
  return tf.io.encodeWeights(model.weights.map((weight, i) => ({ name: `${i}/${weight.originalName}`, tensor: weight.read() })));
}

function decodeInOrder(encoded: EncodedWeights): tf.Tensor[] {
  const byName = tf.io.decodeWeights(encoded.data, encoded.specs);
  return encoded.specs.map((spec) => byName[spec.name]!);
}

export function restoreModelWeights(model: tf.LayersModel, encoded: EncodedWeights): void {
  const tensors = decodeInOrder(encoded);
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
}

/** Optimizer slots (iteration count, Adam moments) so a resumed run takes the same steps an uninterrupted one would. */
export async function encodeOptimizer(optimizer: tf.Optimizer): Promise<EncodedWeights> {
  const weights = await optimizer.getWeights();
  try {
    return await tf.io.encodeWeights(weights.map(({ name, tensor }, i) => ({ name: `${i}/${name}`, tensor })));
  } finally {
    // getWeights() makes a fresh iterations scalar (always first); the other entries are the optimizer's live variables.
    weights[0]?.tensor.dispose();
  }
}

export async function restoreOptimizer(optimizer: tf.Optimizer, encoded: EncodedWeights): Promise<void> {
  const tensors = decodeInOrder(encoded);
  try {
    // tfjs matches slots to variables by position, so the original names only need to round-trip.
    const named = encoded.specs.map((spec, i) => ({ name: spec.name.slice(spec.name.indexOf('/') + 1), tensor: tensors[i]! }));
    await optimizer.setWeights(named);
  } finally {
    tf.dispose(tensors);
  }
}

async function removeEntries(dir: string, keep: (name: string) => boolean): Promise<void> {
  const entries = await readdir(dir).catch(() => []);
  await Promise.all(
    entries
      .filter((name) => (CHECKPOINT_DIR.test(name) || name.startsWith(TEMP_PREFIX)) && !keep(name))
      .map((name) => rm(path.join(dir, name), { recursive: true, force: true })),
  );
}

/** Forgets earlier runs' checkpoints, so a fresh run can never be resumed from a stale one. */
export async function clearCheckpoints(dir: string): Promise<void> {
  await removeEntries(dir, () => false);
}

/**
 * Writes the checkpoint into a temporary folder and renames it into place, then drops older checkpoints and
 * leftovers of killed writers. A crash at any point leaves either the previous or the new checkpoint whole.
 */
export async function writeCheckpoint(dir: string, checkpoint: Checkpoint): Promise<string> {
  await mkdir(dir, { recursive: true });
  const name = checkpointName(checkpoint.state.epochsCompleted);
  const temp = path.join(dir, `${TEMP_PREFIX}${name}-${randomBytes(4).toString('hex')}`);
  const target = path.join(dir, name);
  await mkdir(temp);
  try {
    const files: Partial<Record<BlobKey, BlobRecord>> = {};
    for (const key of Object.keys(BLOB_FILES) as BlobKey[]) {
      const blob = checkpoint[key];
      if (!blob) continue;
      const bytes = new Uint8Array(blob.data);
      await writeFile(path.join(temp, BLOB_FILES[key]), bytes);
      files[key] = { file: BLOB_FILES[key], bytes: bytes.byteLength, sha256: sha256(bytes), specs: blob.specs };
    }
    // The manifest goes last and carries checksums, so a folder without a matching one is never trusted.
    await writeFile(path.join(temp, MANIFEST), JSON.stringify({ format: FORMAT, version: VERSION, state: checkpoint.state, files }));
    await rm(target, { recursive: true, force: true });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  await removeEntries(dir, (entry) => entry === name);
  return target;
}

class InvalidCheckpoint extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

async function readBlob(folder: string, record: unknown, key: BlobKey): Promise<EncodedWeights> {
  if (!isRecord(record) || record['file'] !== BLOB_FILES[key] || !Array.isArray(record['specs'])) {
    throw new InvalidCheckpoint(`manifest entry for ${key} is malformed`);
  }
  const bytes = await readFile(path.join(folder, BLOB_FILES[key])).catch(() => {
    throw new InvalidCheckpoint(`${BLOB_FILES[key]} is missing`);
  });
  if (bytes.byteLength !== record['bytes'] || sha256(bytes) !== record['sha256']) {
    throw new InvalidCheckpoint(`${BLOB_FILES[key]} does not match its checksum (torn or corrupted write)`);
  }
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return { specs: record['specs'] as tf.io.WeightsManifestEntry[], data };
}

async function readCheckpoint(folder: string, epochsCompleted: number): Promise<Checkpoint> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(path.join(folder, MANIFEST), 'utf8'));
  } catch (error) {
    throw new InvalidCheckpoint(`${MANIFEST} is missing or not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(manifest) || manifest['format'] !== FORMAT || manifest['version'] !== VERSION) {
    throw new InvalidCheckpoint(`${MANIFEST} is not a ${FORMAT} v${VERSION} manifest`);
  }
  const { state, files } = manifest;
  if (isRecord(state) && state['epochsCompleted'] !== epochsCompleted) {
    throw new InvalidCheckpoint(`${MANIFEST} records ${JSON.stringify(state['epochsCompleted'])} epochs, not ${epochsCompleted}`);
  }
  if (
    !isRecord(state) ||
    !isCount(state['step']) ||
    !isRecord(state['fingerprint']) ||
    !isRecord(state['earlyStopping']) ||
    !isRecord(files)
  ) {
    throw new InvalidCheckpoint(`${MANIFEST} has a malformed state`);
  }
  return {
    state: state as unknown as CheckpointState,
    weights: await readBlob(folder, files['weights'], 'weights'),
    optimizer: await readBlob(folder, files['optimizer'], 'optimizer'),
    bestWeights: files['bestWeights'] === undefined ? null : await readBlob(folder, files['bestWeights'], 'bestWeights'),
  };
}

/**
 * The newest intact checkpoint in `dir`, or null. Damaged ones are skipped (an older intact one is used instead)
 * and listed in `ignored` with the reason, so the caller can report them.
 */
export async function readLatestCheckpoint(
  dir: string,
): Promise<{ checkpoint: (Checkpoint & { path: string }) | null; ignored: IgnoredCheckpoint[] }> {
  const entries = await readdir(dir).catch(() => []);
  const candidates = entries
    .map((name) => ({ name, epochs: Number(CHECKPOINT_DIR.exec(name)?.[1] ?? NaN) }))
    .filter((candidate) => candidate.epochs > 0)
    .sort((a, b) => b.epochs - a.epochs);
  const ignored: IgnoredCheckpoint[] = [];
  for (const { name, epochs } of candidates) {
    const folder = path.join(dir, name);
    try {
      return { checkpoint: { ...(await readCheckpoint(folder, epochs)), path: folder }, ignored };
    } catch (error) {
      if (!(error instanceof InvalidCheckpoint)) throw error;
      ignored.push({ path: folder, reason: error.message });
    }
  }
  return { checkpoint: null, ignored };
}

/** Throws when a checkpoint belongs to a different model, data or batch setup than the run trying to resume it. */
export function assertSameRun(saved: RunFingerprint, current: RunFingerprint, checkpointPath: string): void {
  const differing = (Object.keys(current) as (keyof RunFingerprint)[]).filter(
    (key) => JSON.stringify(saved[key]) !== JSON.stringify(current[key]),
  );
  if (differing.length > 0) {
    throw new Error(
      `Checkpoint ${checkpointPath} was written by a different run (${differing.join(', ')} differ); ` +
        'use a fresh checkpointDir or resume: false',
    );
  }
}
