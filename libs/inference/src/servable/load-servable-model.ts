import type { ArtifactStore } from '@lepton/artifacts';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BatchingConfig } from '../batching/batching-config';
import type { BatchReport } from '../batching/dynamic-batcher';
import { invalidModel } from '../inference-error';
import { artifactKeyOf } from '../loading/artifact-location';
import { fetchDatasetDescription } from '../loading/fetch-dataset-description';
import { fetchModelFiles } from '../loading/fetch-model-files';
import { instanceEncoder } from '../preprocessing/instance-encoder';
import type { InferenceRuntime } from '../runtime/inference-runtime';
import { ServableModel } from './servable-model';

/** What to serve: a model version's files, the dataset version it was trained on, and the batching to use. */
export interface ServableSource {
  /** The version's artifact URI, checked again here against the store root (whatever the API accepted). */
  artifactUri: string;
  /** The training dataset version (its files hold the fitted preprocessing); null: it cannot be served. */
  dataset: { storageUri: string; contentSha256: string | null } | null;
  batching: BatchingConfig;
}

export interface ServableLoadOptions {
  store: ArtifactStore;
  runtime: InferenceRuntime;
  /** Weights larger than this are refused before they are read. */
  maxWeightBytes: number;
  /** Where the private temp folders for downloads go (default: the OS temp folder); each is removed after the load. */
  workDir?: string;
  onBatch?: (report: BatchReport) => void;
}

/**
 * Loads a deployable model: re-checks its URI, reads the training dataset's manifest (content hash checked), copies
 * model.json and its weights into a private temp folder with size caps, loads them through model-io on the faster
 * backend (warmed up), and checks that the model takes the dataset's features and answers its classes. Throws
 * InferenceError (MODEL_OUTSIDE_STORE, MODEL_INVALID) with the reason.
 */
export async function loadServableModel(source: ServableSource, options: ServableLoadOptions): Promise<ServableModel> {
  const { store, runtime } = options;
  const prefix = artifactKeyOf(store, source.artifactUri);
  if (!source.dataset) {
    throw invalidModel(
      'the model version names no training dataset version, so the preprocessing its inputs need is unknown',
    );
  }
  const description = await fetchDatasetDescription(store, source.dataset.storageUri, source.dataset.contentSha256);
  const encoder = instanceEncoder(description);
  const dir = await mkdtemp(path.join(options.workDir ?? tmpdir(), 'lepton-serving-'));
  let model;
  try {
    await fetchModelFiles(store, prefix, dir, options.maxWeightBytes);
    model = await runtime.load(dir, source.batching.maxBatchSize);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const problem =
    tf.util.sizeFromShape(model.inputShape) !== encoder.featureSize
      ? `the model takes inputs of shape [${model.inputShape.join(', ')}] but its training dataset's features are [${encoder.featureShape.join(', ')}]`
      : model.outputWidth !== description.classes.length
        ? `the model answers ${model.outputWidth} values but its training dataset has ${description.classes.length} classes`
        : null;
  if (problem) {
    model.dispose();
    throw invalidModel(problem);
  }
  return new ServableModel(encoder, description.classes, model, runtime, source.batching, options.onBatch);
}
