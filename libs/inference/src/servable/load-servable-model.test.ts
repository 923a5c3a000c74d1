import { createLocalArtifactStore, type ArtifactStore } from '@lepton/artifacts';
import { importDataset, type PreparedDataset } from '@lepton/datasets';
import * as tf from '@tensorflow/tfjs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InferenceError } from '../inference-error';
import { InferenceRuntime } from '../runtime/inference-runtime';
import { tfjsBackendSource } from '../runtime/backend-source';
import { storeServable } from '../testing/stored-model';
import { loadServableModel, type ServableSource } from './load-servable-model';
import { predictedLabels } from './servable-model';

let root: string;
let store: ArtifactStore;
let tabular: PreparedDataset;
let csvRows: Record<string, string>[];
const backends = tfjsBackendSource();
const runtime = new InferenceRuntime({ backends, candidates: ['wasm', 'cpu'], trialMs: 30 });
const options = () => ({ store, runtime, maxWeightBytes: 1024 * 1024, workDir: path.join(root, 'work') });

/** Three classes along f1, with a categorical column. */
function csv(rows: number): string {
  const lines = ['f1,f2,color,label'];
  for (let i = 0; i < rows; i++) {
    const label = i % 3;
    lines.push(
      `${(label * 2 + (i % 7) / 10).toFixed(2)},${((i * 13) % 11) / 3},${['red', 'green', 'blue'][(i + label) % 3]},c${label}`,
    );
  }
  return lines.join('\n') + '\n';
}

function mlp(inputs: number, classes: number, seed = 1): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [inputs],
        units: 8,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
      }),
      tf.layers.dense({
        units: classes,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
      }),
    ],
  });
}

/** Offline: the model on the imported (already preprocessed) features, on the cpu backend. */
async function offline(model: tf.LayersModel, dataset: PreparedDataset, rows: number[]): Promise<number[][]> {
  await tf.setBackend('cpu');
  const width = dataset.featureShape.reduce((a, b) => a * b, 1);
  const features = new Float32Array(rows.length * width);
  rows.forEach((row, i) => features.set(dataset.features.subarray(row * width, (row + 1) * width), i * width));
  const out = model.predict(tf.tensor(features, [rows.length, ...dataset.featureShape])) as tf.Tensor;
  return out.arraySync() as number[][];
}

function rowsOf(probabilities: Float32Array, width: number): number[][] {
  return Array.from({ length: probabilities.length / width }, (_, row) =>
    Array.from(probabilities.subarray(row * width, (row + 1) * width)),
  );
}

async function refusal(
  source: ServableSource,
  overrides: Partial<ReturnType<typeof options>> = {},
): Promise<InferenceError> {
  const error = await loadServableModel(source, { ...options(), ...overrides }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InferenceError);
  return error as InferenceError;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lepton-servable-'));
  store = createLocalArtifactStore(path.join(root, 'store'));
  await mkdir(path.join(root, 'work'));
  const text = csv(60);
  await writeFile(path.join(root, 'data.csv'), text);
  tabular = await importDataset({ path: path.join(root, 'data.csv') }, 'CSV', {
    testFraction: 0.25,
    validationFraction: 0,
  });
  const [header, ...lines] = text.trim().split('\n');
  csvRows = lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [header!.split(',')[i]!, value])));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('loadServableModel', () => {
  it('serves raw CSV rows with the dataset preprocessing: probabilities equal the model offline on the imported features', async () => {
    await tf.setBackend('cpu');
    const model = mlp(tabular.featureShape[0]!, 3);
    const source = await storeServable(store, tabular, model, { name: 'tabular' });
    const servable = await loadServableModel(source, options());
    try {
      expect(servable.classes).toEqual(['c0', 'c1', 'c2']);
      // Two backends load here (wasm, cpu): both were timed and the choice says why.
      expect(servable.backend.trials.map((trial) => trial.backend)).toEqual(['wasm', 'cpu']);
      expect(servable.backend.trials.every((trial) => trial.rowsPerSecond > 0 && trial.batches >= 3)).toBe(true);
      expect(servable.backend.reason).toMatch(/rows\/s on wasm vs .* on cpu/);
      expect(servable.weightBytes).toBe(
        model.weights.reduce((sum, w) => sum + tf.util.sizeFromShape(w.shape as number[]) * 4, 0),
      );

      const test = Array.from(tabular.splits.test);
      const served = await Promise.all(test.map((row) => servable.predict([csvRows[row]!])));
      const expected = await offline(model, tabular, test);
      served.forEach((predictions, i) => {
        rowsOf(predictions.probabilities, 3)[0]!.forEach((p, c) =>
          expect(Math.abs(p - expected[i]![c]!)).toBeLessThanOrEqual(1e-5),
        );
      });
      const all = await servable.predict(test.map((row) => csvRows[row]!));
      expect(predictedLabels(all)).toEqual(expected.map((row) => `c${row.indexOf(Math.max(...row))}`));
    } finally {
      servable.dispose();
    }
  });

  it('serves base64 PNGs with the importer decoding and scaling: equal to the model offline', async () => {
    const imagesDir = path.join(root, 'images');
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 12; i++) {
      const png = new PNG({ width: 6, height: 5 });
      for (let p = 0; p < 30; p++) {
        const level = (i * 20 + p * 7) % 256;
        png.data.set([level, level, level, 255], p * 4);
      }
      const name = `${i % 2 ? 'cross' : 'dot'}/${i}.png`;
      files[name] = PNG.sync.write(png, { colorType: 0, inputColorType: 6 });
      await mkdir(path.join(imagesDir, path.dirname(name)), { recursive: true });
      await writeFile(path.join(imagesDir, name), files[name]!);
    }
    const images = await importDataset({ path: imagesDir }, 'IMAGE_FOLDER', {
      testFraction: 0.25,
      validationFraction: 0,
    });
    await tf.setBackend('cpu');
    const cnn = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [5, 6, 1],
          filters: 3,
          kernelSize: 3,
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
        }),
        tf.layers.flatten(),
        tf.layers.dense({
          units: 2,
          activation: 'softmax',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }),
        }),
      ],
    });
    const servable = await loadServableModel(await storeServable(store, images, cnn, { name: 'images' }), options());
    try {
      const rows = Array.from({ length: images.source.files.length }, (_, i) => i);
      const served = await servable.predict(images.source.files.map((file) => files[file]!.toString('base64')));
      const expected = await offline(cnn, images, rows);
      rowsOf(served.probabilities, 2).forEach((row, i) =>
        row.forEach((p, c) => expect(Math.abs(p - expected[i]![c]!)).toBeLessThanOrEqual(1e-5)),
      );
    } finally {
      servable.dispose();
    }
  });

  it('refuses models that cannot be served, with the reason', async () => {
    await tf.setBackend('cpu');
    const source = await storeServable(store, tabular, mlp(tabular.featureShape[0]!, 3), { name: 'refusals' });

    expect((await refusal({ ...source, artifactUri: 'file:///etc' })).reason).toBe('MODEL_OUTSIDE_STORE');
    expect((await refusal({ ...source, dataset: null })).message).toContain('names no training dataset version');
    expect(
      (await refusal({ ...source, dataset: { ...source.dataset!, contentSha256: 'f'.repeat(64) } })).message,
    ).toContain("does not match the dataset version's content hash");
    const tooBig = await refusal(source, { maxWeightBytes: 100 });
    expect(tooBig.message).toMatch(/weights are \d+ bytes, more than the 100/);

    const wrongClasses = await storeServable(store, tabular, mlp(tabular.featureShape[0]!, 4), {
      name: 'four-classes',
    });
    expect((await refusal(wrongClasses)).message).toContain('answers 4 values but its training dataset has 3 classes');
    const wrongInputs = await storeServable(store, tabular, mlp(3, 3), { name: 'three-inputs' });
    expect((await refusal(wrongInputs)).message).toMatch(
      /takes inputs of shape \[3\] but its training dataset's features are/,
    );

    // Weights longer than the manifest says: the copy stops at the promised size.
    const padded = await storeServable(store, tabular, mlp(tabular.featureShape[0]!, 3), { name: 'padded' });
    const weightsKey = `${padded.modelPrefix}/weights.bin`;
    await store.put(weightsKey, Buffer.concat([await store.get(weightsKey), Buffer.alloc(16)]));
    expect((await refusal(padded)).message).toContain('weights.bin is larger than the');
    // A graph model (or anything but a layers model) is refused by model-io's reader.
    const graph = await storeServable(store, tabular, mlp(tabular.featureShape[0]!, 3), { name: 'graph' });
    const json = JSON.parse((await store.get(`${graph.modelPrefix}/model.json`)).toString('utf8'));
    await store.put(`${graph.modelPrefix}/model.json`, JSON.stringify({ ...json, format: 'graph-model' }));
    expect((await refusal(graph)).message).toContain('format "graph-model" is not supported');
    await store.deletePrefix(graph.modelPrefix);
    expect((await refusal(graph)).message).toContain('model.json is missing from the artifact store');
    // Successful or not, every load removed its private download folder.
    expect(await readdir(path.join(root, 'work'))).toEqual([]);
  });
});
