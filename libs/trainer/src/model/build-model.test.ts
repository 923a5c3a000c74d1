import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Hyperparameters, ModelConfigError } from '@lepton/model-contract';
import { buildModel } from './build-model';

const hp: Hyperparameters = { epochs: 1, batchSize: 8, learningRate: 0.01, optimizer: 'adam', seed: 42, earlyStoppingPatience: 0 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function summary(model: tf.LayersModel) {
  return model.layers.map((layer) => [layer.name, layer.outputShape]);
}

describe('buildModel', () => {
  it('builds the MLP from its spec, flattening image-shaped input', () => {
    const model = buildModel({ architecture: 'mlp', hiddenUnits: [16, 8], dropout: 0.1, activation: 'gelu' }, { featureShape: [4], numClasses: 3 }, hp);
    expect(summary(model)).toEqual([
      ['hidden1', [null, 16]],
      ['dropout1', [null, 16]],
      ['hidden2', [null, 8]],
      ['dropout2', [null, 8]],
      ['output', [null, 3]],
    ]);
    expect(model.optimizer.getClassName()).toBe('Adam');
    const flat = buildModel({ architecture: 'mlp', hiddenUnits: [] }, { featureShape: [2, 3], numClasses: 2 }, { ...hp, optimizer: 'sgd' });
    expect(summary(flat)).toEqual([
      ['flatten', [null, 6]],
      ['output', [null, 2]],
    ]);
    expect(flat.optimizer.getClassName()).toBe('SGD');
  });

  it('builds cnn-small as the MNIST example network', () => {
    const model = buildModel({ architecture: 'cnn-small' }, { featureShape: [28, 28, 1], numClasses: 10 }, hp);
    expect(summary(model)).toEqual([
      ['image', [null, 28, 28, 1]],
      ['conv1', [null, 26, 26, 32]],
      ['pool1', [null, 13, 13, 32]],
      ['conv2', [null, 11, 11, 64]],
      ['pool2', [null, 5, 5, 64]],
      ['conv3', [null, 3, 3, 64]],
      ['flatten', [null, 576]],
      ['dense1', [null, 64]],
      ['output', [null, 10]],
    ]);
    expect(model.countParams()).toBe(320 + 18_496 + 36_928 + 36_928 + 650);
  });

  it('builds cnn-tiny for small grayscale images given as [h, w]', () => {
    const model = buildModel({ architecture: 'cnn-tiny', dropout: 0.2 }, { featureShape: [8, 8], numClasses: 2 }, hp);
    expect(summary(model)).toEqual([
      ['image', [null, 8, 8, 1]],
      ['conv1', [null, 6, 6, 8]],
      ['pool1', [null, 3, 3, 8]],
      ['flatten', [null, 72]],
      ['dropout', [null, 72]],
      ['output', [null, 2]],
    ]);
    const probabilities = tf.tidy(() => (model.predict(tf.zeros([3, 8, 8])) as tf.Tensor).sum(1).arraySync());
    expect(probabilities).toEqual([expect.closeTo(1, 5), expect.closeTo(1, 5), expect.closeTo(1, 5)]);
  });

  it('seeds the weights: same seed, same weights; different seed or layer, different weights', () => {
    const input = { featureShape: [5], numClasses: 2 };
    const spec = { architecture: 'mlp' as const, hiddenUnits: [6, 6] };
    const weights = (seed: number) => buildModel(spec, input, { ...hp, seed }).getWeights().map((w) => Array.from(w.dataSync()));
    const first = weights(1);
    expect(weights(1)).toEqual(first);
    expect(weights(2)[0]).not.toEqual(first[0]);
    expect(first[2]!.slice(0, 6)).not.toEqual(first[0]!.slice(0, 6)); // hidden2 kernel is not a copy of hidden1's
  });

  it('refuses specs that do not fit the data', () => {
    expect(() => buildModel({ architecture: 'cnn-tiny' }, { featureShape: [10], numClasses: 2 }, hp)).toThrow(ModelConfigError);
  });
});
