import { ArtifactNotFoundError, type ArtifactStore } from '@lepton/artifacts';
import {
  MAX_MODEL_JSON_BYTES,
  MODEL_JSON,
  readModelManifest,
  ModelFormatError,
  type ModelManifest,
} from '@lepton/model-io';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { invalidModel } from '../inference-error';
import { readCapped, saveCapped } from './capped-read';

async function open(store: ArtifactStore, key: string): Promise<NodeJS.ReadableStream> {
  try {
    return await store.getStream(key);
  } catch (error) {
    if (error instanceof ArtifactNotFoundError) throw invalidModel(`${key} is missing from the artifact store`);
    throw error;
  }
}

/**
 * Copies the TF.js layers model under `prefix` into `dir` (a private temp folder): model.json first, checked by
 * model-io's manifest reader, then exactly the weight files it lists, each stream stopped as soon as it exceeds the
 * bytes the manifest promises. Refuses models whose weights exceed `maxWeightBytes` before reading any weight.
 */
export async function fetchModelFiles(
  store: ArtifactStore,
  prefix: string,
  dir: string,
  maxWeightBytes: number,
): Promise<ModelManifest> {
  const json = await readCapped(await open(store, `${prefix}/${MODEL_JSON}`), MAX_MODEL_JSON_BYTES, MODEL_JSON);
  let manifest: ModelManifest;
  try {
    manifest = readModelManifest(json.toString('utf8'));
  } catch (error) {
    if (error instanceof ModelFormatError) throw invalidModel(error.message);
    throw error;
  }
  if (manifest.weightBytes > maxWeightBytes) {
    throw invalidModel(
      `the model's weights are ${manifest.weightBytes} bytes, more than the ${maxWeightBytes} a served model may have`,
    );
  }
  await writeFile(path.join(dir, MODEL_JSON), json, { flag: 'wx', mode: 0o600 });
  for (const [g, group] of manifest.groups.entries()) {
    let remaining = group.bytes;
    for (const name of group.files) {
      remaining -= await saveCapped(await open(store, `${prefix}/${name}`), path.join(dir, name), remaining, name);
    }
    if (remaining !== 0) {
      throw invalidModel(
        `weightsManifest[${g}] lists ${group.bytes} bytes of weights but its files hold ${group.bytes - remaining}`,
      );
    }
  }
  return manifest;
}
