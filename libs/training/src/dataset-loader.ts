import type { ArtifactStore } from '@lepton/artifacts';
import { deserializePreparedDataset, type PreparedDataset } from '@lepton/datasets';

/** Reads an imported dataset version (a folder of files in the artifact store) back into memory. */
export async function loadPreparedDataset(artifacts: ArtifactStore, storageUri: string): Promise<PreparedDataset> {
  const prefix = artifacts.keyFromUri(storageUri);
  const keys = await artifacts.list(prefix);
  if (keys.length === 0) throw new Error(`The dataset files at ${storageUri} are missing from the artifact store`);
  const files: Record<string, Uint8Array> = {};
  for (const key of keys) files[key.slice(prefix.length + 1)] = await artifacts.get(key);
  return deserializePreparedDataset(files);
}
