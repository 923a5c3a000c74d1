import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../shared/random';
import { type DataShape, type Hyperparameters, type ModelSpec, validateTrainingConfig } from '@lepton/model-contract';

type Layer = tf.layers.Layer;
type MlpSpec = Extract<ModelSpec, { architecture: 'mlp' }>;
type CnnSpec = Exclude<ModelSpec, MlpSpec>;

/** Each weighted layer gets its own seed: one shared seed would start same-shaped layers identical. */
function seeded(seed: number, layerIndex: number) {
  return {
    kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(seed, layerIndex) }),
    biasInitializer: tf.initializers.zeros(),
  };
}

// Dropout layers stay unseeded: tfjs would reuse a fixed seed on every call, i.e. drop the same units each batch.
function dropout(name: string, rate: number | undefined): Layer[] {
  return rate ? [tf.layers.dropout({ name, rate })] : [];
}

function mlpLayers(spec: MlpSpec, input: DataShape, seed: number): Layer[] {
  const units = spec.hiddenUnits ?? [];
  // Only the first layer declares the input shape; tfjs Flatten refuses input that is already flat.
  const inputShape = { inputShape: input.featureShape };
  const layers: Layer[] = input.featureShape.length > 1 ? [tf.layers.flatten({ name: 'flatten', ...inputShape })] : [];
  const first = () => (layers.length === 0 ? inputShape : {});
  units.forEach((width, i) => {
    const activation = spec.activation ?? 'relu';
    layers.push(tf.layers.dense({ name: `hidden${i + 1}`, units: width, activation, ...first(), ...seeded(seed, i) }));
    layers.push(...dropout(`dropout${i + 1}`, spec.dropout));
  });
  const output = { name: 'output', units: input.numClasses, activation: 'softmax' as const };
  layers.push(tf.layers.dense({ ...output, ...first(), ...seeded(seed, units.length) }));
  return layers;
}

function cnnLayers(spec: CnnSpec, input: DataShape, seed: number): Layer[] {
  const [height, width, channels = 1] = input.featureShape;
  const conv = (index: number, filters: number) =>
    tf.layers.conv2d({ name: `conv${index + 1}`, filters, kernelSize: 3, activation: 'relu', ...seeded(seed, index) });
  const pool = (index: number) => tf.layers.maxPooling2d({ name: `pool${index + 1}`, poolSize: 2 });
  // Always reshape to [h, w, c] first: it lets [h, w] grayscale data through and costs no copy.
  const layers: Layer[] = [
    tf.layers.reshape({ name: 'image', inputShape: input.featureShape, targetShape: [height!, width!, channels] }),
  ];
  if (spec.architecture === 'cnn-small') {
    layers.push(conv(0, 32), pool(0), conv(1, 64), pool(1), conv(2, 64), tf.layers.flatten({ name: 'flatten' }));
    layers.push(tf.layers.dense({ name: 'dense1', units: 64, activation: 'relu', ...seeded(seed, 3) }));
  } else {
    layers.push(conv(0, 8), pool(0), tf.layers.flatten({ name: 'flatten' }));
  }
  layers.push(...dropout('dropout', spec.dropout));
  layers.push(tf.layers.dense({ name: 'output', units: input.numClasses, activation: 'softmax', ...seeded(seed, 4) }));
  return layers;
}

function optimizer(hyperparameters: Hyperparameters): tf.Optimizer {
  return hyperparameters.optimizer === 'adam'
    ? tf.train.adam(hyperparameters.learningRate)
    : tf.train.sgd(hyperparameters.learningRate);
}

/**
 * Builds and compiles a fresh classifier: softmax output, categorical cross-entropy on one-hot labels, accuracy.
 * Weights are seeded from `hyperparameters.seed`; layers get fixed names so saved topologies compare across runs.
 */
export function buildModel(spec: ModelSpec, input: DataShape, hyperparameters: Hyperparameters): tf.LayersModel {
  const config = validateTrainingConfig(spec, hyperparameters, input);
  const seed = config.hyperparameters.seed;
  const layers =
    config.spec.architecture === 'mlp' ? mlpLayers(config.spec, input, seed) : cnnLayers(config.spec, input, seed);
  const model = tf.sequential({ name: config.spec.architecture.replace('-', '_'), layers });
  model.compile({ optimizer: optimizer(config.hyperparameters), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
