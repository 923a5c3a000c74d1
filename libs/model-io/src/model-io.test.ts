import { mkdir, mkdtemp, readFile, readdir, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFormatError } from './model-format-error';
import { loadModel, readModelManifest, saveModel } from './model-io';

let root: string;
let dirs = 0;
const freshDir = () => path.join(root, `model-${++dirs}`);

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(path.join(tmpdir(), 'lepton-model-io-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A small convolutional classifier like the trainer's cnn-tiny, with seeded weights. */
const tinyCnn = () =>
  tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [8, 8, 1],
        filters: 4,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({
        units: 3,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }),
      }),
    ],
  });

async function savedModelDir(): Promise<string> {
  const dir = freshDir();
  await saveModel(tinyCnn(), dir);
  return dir;
}

async function editModelJson(dir: string, edit: (json: Record<string, unknown>) => void): Promise<void> {
  const file = path.join(dir, 'model.json');
  const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  edit(json);
  await writeFile(file, JSON.stringify(json));
}

async function rejection(dir: string): Promise<ModelFormatError> {
  const error = await loadModel(dir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelFormatError);
  return error as ModelFormatError;
}

describe('saveModel / loadModel', () => {
  it('round-trips a model in TF.js layers format with identical predictions', async () => {
    const model = tinyCnn();
    const dir = freshDir();
    const { files } = await saveModel(model, dir);
    expect(files).toEqual([path.join(dir, 'weights.bin'), path.join(dir, 'model.json')]);
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
    expect(json).toMatchObject({ format: 'layers-model', weightsManifest: [{ paths: ['weights.bin'] }] });

    const loaded = await loadModel(dir);
    const input = tf.randomUniform([5, 8, 8, 1], 0, 1, 'float32', 1);
    const expected = (model.predict(input) as tf.Tensor).arraySync();
    expect((loaded.predict(input) as tf.Tensor).arraySync()).toEqual(expected);
  });

  it.each(['../weights.bin', '/etc/passwd', 'nested/weights.bin', '.hidden.bin', 'weights.bin.sh', '..', 'C:\\w.bin'])(
    'rejects the weight path %j',
    async (badPath) => {
      const dir = await savedModelDir();
      await editModelJson(dir, (json) => {
        (json['weightsManifest'] as { paths: string[] }[])[0]!.paths = [badPath];
      });
      expect((await rejection(dir)).message).toContain('must be a plain .bin file name inside the model folder');
    },
  );

  it('rejects missing files, size mismatches and symlinks', async () => {
    const noWeights = await savedModelDir();
    await unlink(path.join(noWeights, 'weights.bin'));
    expect((await rejection(noWeights)).message).toContain('weights.bin is missing');

    const other = freshDir();
    await mkdir(other);
    await writeFile(path.join(other, 'saved_model.pb'), 'protobuf');
    expect((await rejection(other)).message).toMatch(
      /model.json is missing .*found: saved_model.pb.*only TF.js layers models/,
    );
    expect((await rejection(path.join(root, 'nowhere'))).message).toContain('does not exist');

    const short = await savedModelDir();
    await writeFile(path.join(short, 'weights.bin'), Buffer.alloc(12));
    expect((await rejection(short)).message).toMatch(/lists \d+ bytes of weights but its files hold 12/);

    const linked = await savedModelDir();
    const outside = path.join(root, 'outside.bin');
    await writeFile(outside, await readFile(path.join(linked, 'weights.bin')));
    await unlink(path.join(linked, 'weights.bin'));
    await symlink(outside, path.join(linked, 'weights.bin'));
    expect((await rejection(linked)).message).toContain('weights.bin is not a regular file');
  });

  it('rejects content that is not a TF.js layers model', async () => {
    const notJson = freshDir();
    await mkdir(notJson);
    await writeFile(path.join(notJson, 'model.json'), Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a])); // HDF5 magic
    expect((await rejection(notJson)).message).toContain('model.json is not JSON');

    const graph = await savedModelDir();
    await editModelJson(graph, (json) => {
      json['format'] = 'graph-model';
    });
    expect((await rejection(graph)).message).toContain('format "graph-model" is not supported');

    const noTopology = await savedModelDir();
    await editModelJson(noTopology, (json) => {
      json['modelTopology'] = { node: [] };
    });
    expect((await rejection(noTopology)).message).toContain('no layers-model topology');

    const badDtype = await savedModelDir();
    await editModelJson(badDtype, (json) => {
      (json['weightsManifest'] as { weights: { dtype: string }[] }[])[0]!.weights[0]!.dtype = 'string';
    });
    expect((await rejection(badDtype)).message).toContain('unsupported dtype "string"');

    const unknownLayer = await savedModelDir();
    await editModelJson(unknownLayer, (json) => {
      const topology = json['modelTopology'] as { config: { layers: { class_name: string }[] } };
      topology.config.layers[1]!.class_name = 'PythonLambda';
    });
    expect((await rejection(unknownLayer)).message).toMatch(/not a loadable TF.js layers model .*PythonLambda/);
  });
});

describe('readModelManifest', () => {
  it('lists the weight files and the bytes they must hold, for a reader that fetches them itself', async () => {
    const model = tinyCnn();
    const dir = freshDir();
    await saveModel(model, dir);
    const manifest = readModelManifest(await readFile(path.join(dir, 'model.json'), 'utf8'));
    const expectedBytes = model.weights.reduce(
      (sum, weight) => sum + weight.shape.reduce<number>((a, b) => a * b!, 1) * 4,
      0,
    );
    expect(manifest.groups).toEqual([{ files: ['weights.bin'], bytes: expectedBytes }]);
    expect(manifest.weightBytes).toBe(expectedBytes);
    expect((await readFile(path.join(dir, 'weights.bin'))).byteLength).toBe(expectedBytes);
  });

  it('refuses the same things loadModel refuses, before any weight file is read', () => {
    expect(() => readModelManifest('{"format":"graph-model","modelTopology":{}}')).toThrow(ModelFormatError);
    expect(() => readModelManifest('[]')).toThrow(/not a JSON object/);
    expect(() =>
      readModelManifest(
        JSON.stringify({
          modelTopology: { class_name: 'Sequential' },
          weightsManifest: [{ paths: ['../x.bin'], weights: [] }],
        }),
      ),
    ).toThrow(/must be a plain .bin file name/);
  });
});
