import type { ArtifactStore } from '@lepton/artifacts';
import { serializePreparedDataset, type PreparedDataset } from '@lepton/datasets';
import { artifactKeys } from '@lepton/model-contract';
import { saveModel } from '@lepton/model-io';
import type * as tf from '@tensorflow/tfjs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServableSource } from '../servable/load-servable-model';

/**
 * Puts a prepared dataset and a model trained on it into `store` the way import and training do (the dataset's
 * serialized files under `datasets/…/<content hash>`, model.json + weights under `models/…`), and returns the
 * source to load them from.
 */
export async function storeServable(
  store: ArtifactStore,
  dataset: PreparedDataset,
  model: tf.LayersModel,
  options: { name?: string; batching?: ServableSource['batching'] } = {},
): Promise<ServableSource & { modelPrefix: string }> {
  const name = options.name ?? 'model';
  const serialized = serializePreparedDataset(dataset);
  const datasetPrefix = artifactKeys.dataset('project', name, serialized.contentSha256);
  for (const [file, bytes] of Object.entries(serialized.files))
    await store.put(`${datasetPrefix}/${file}`, Buffer.from(bytes));
  const modelPrefix = artifactKeys.trainedModel('project', name, 'run', 1);
  const dir = await mkdtemp(path.join(tmpdir(), 'lepton-stored-model-'));
  try {
    await saveModel(model, dir);
    for (const file of await readdir(dir)) await store.putFile(`${modelPrefix}/${file}`, path.join(dir, file));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return {
    artifactUri: store.uri(modelPrefix),
    dataset: { storageUri: store.uri(datasetPrefix), contentSha256: serialized.contentSha256 },
    batching: options.batching ?? { maxBatchSize: 8, maxQueueDelayMs: 2, maxQueueSize: 256 },
    modelPrefix,
  };
}
