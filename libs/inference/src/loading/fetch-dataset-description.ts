import { ArtifactNotFoundError, type ArtifactStore } from '@lepton/artifacts';
import {
  DATASET_MANIFEST,
  DatasetImportError,
  readDatasetDescription,
  type DatasetDescription,
} from '@lepton/datasets';
import { createHash } from 'node:crypto';
import { invalidModel } from '../inference-error';
import { artifactKeyOf } from './artifact-location';
import { readCapped } from './capped-read';

/** Manifests hold the fitted preprocessing (categories of every column) and statistics; far below this. */
const MAX_MANIFEST_BYTES = 32 * 1024 * 1024;

/**
 * The training dataset version's own description (kind, feature shape, classes, fitted preprocessing), read from
 * the manifest the importer wrote, the same file training read. With `contentSha256`, the bytes must hash to the
 * dataset version's recorded content hash (the manifest's hash covers every array, so this pins the exact version).
 */
export async function fetchDatasetDescription(
  store: ArtifactStore,
  storageUri: string,
  contentSha256: string | null,
): Promise<DatasetDescription> {
  const key = `${artifactKeyOf(store, storageUri)}/${DATASET_MANIFEST}`;
  let bytes: Buffer;
  try {
    bytes = await readCapped(await store.getStream(key), MAX_MANIFEST_BYTES, DATASET_MANIFEST);
  } catch (error) {
    if (error instanceof ArtifactNotFoundError)
      throw invalidModel(`the training dataset's ${DATASET_MANIFEST} is missing (${key})`);
    throw error;
  }
  if (contentSha256 !== null && createHash('sha256').update(bytes).digest('hex') !== contentSha256) {
    throw invalidModel(`the training dataset's ${DATASET_MANIFEST} does not match the dataset version's content hash`);
  }
  try {
    return readDatasetDescription(bytes);
  } catch (error) {
    if (error instanceof DatasetImportError) throw invalidModel(`the training dataset's ${error.message}`);
    throw error;
  }
}
