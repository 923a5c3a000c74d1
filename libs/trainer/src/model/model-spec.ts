// No TensorFlow.js imports here: the API validates requests through `@lepton/trainer/spec` without loading tfjs.
import { TrainerConfigError } from '../shared/errors';

export type Activation = 'relu' | 'tanh' | 'gelu';

export type ModelSpec =
  | { architecture: 'mlp'; hiddenUnits?: number[]; dropout?: number; activation?: Activation }
  /** Conv2D(32)→MaxPool→Conv2D(64)→MaxPool→Conv2D(64)→Flatten→Dense(64)→Dense(n): the tfjs-examples MNIST network. */
  | { architecture: 'cnn-small'; dropout?: number }
  /** Conv2D(8)→MaxPool→Flatten→Dense(n): small enough for tests and smoke runs. */
  | { architecture: 'cnn-tiny'; dropout?: number };

export type Architecture = ModelSpec['architecture'];

export interface Hyperparameters {
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: 'adam' | 'sgd';
  seed: number;
  /** Epochs without validation-loss improvement before stopping; null/absent disables early stopping. */
  earlyStoppingPatience?: number | null;
}

/** What the model needs to know about the data: one example's shape and the number of classes. */
export interface DataShape {
  featureShape: number[];
  numClasses: number;
}

const ARCHITECTURES: readonly Architecture[] = ['mlp', 'cnn-small', 'cnn-tiny'];
const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh', 'gelu'];
const OPTIMIZERS: readonly Hyperparameters['optimizer'][] = ['adam', 'sgd'];

const DEFAULT_HIDDEN_UNITS = [64, 32];
const LIMITS = {
  epochs: 10_000,
  batchSize: 8192,
  learningRate: 10,
  hiddenLayers: 8,
  hiddenUnits: 4096,
  classes: 10_000,
};

/** Smallest image side each CNN accepts: its valid 3×3 convolutions and 2×2 pools must leave at least one pixel. */
const MIN_IMAGE_SIDE: Record<Exclude<Architecture, 'mlp'>, number> = { 'cnn-small': 18, 'cnn-tiny': 4 };

type Fields = Record<string, unknown>;

function fail(field: string, message: string): never {
  throw new TrainerConfigError(`${field}: ${message}`, field);
}

function asObject(value: unknown, field: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'must be an object');
  return value as Fields;
}

function rejectUnknownKeys(value: Fields, field: string, allowed: readonly string[]): void {
  // Strict on purpose: a typo such as `hiddenUnit` would otherwise silently train with defaults.
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(`${field}.${key}`, `unknown option (allowed: ${allowed.join(', ')})`);
  }
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(field, `must be an integer, got ${JSON.stringify(value)}`);
  if (value < min || value > max) fail(field, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(value: unknown, field: string, options: readonly T[]): T {
  if (typeof value !== 'string' || !options.includes(value as T)) {
    fail(field, `must be one of ${options.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function dropoutRate(value: unknown, field: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value >= 1) {
    fail(field, `must be a number in [0, 1), got ${JSON.stringify(value)}`);
  }
  return value;
}

function learningRate(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > LIMITS.learningRate) {
    fail('hyperparameters.learningRate', `must be a number in (0, ${LIMITS.learningRate}], got ${JSON.stringify(value)}`);
  }
  return value;
}

function validateSpec(raw: unknown): ModelSpec {
  const spec = asObject(raw, 'spec');
  const architecture = oneOf(spec['architecture'], 'spec.architecture', ARCHITECTURES);
  if (architecture !== 'mlp') {
    rejectUnknownKeys(spec, 'spec', ['architecture', 'dropout']);
    return { architecture, dropout: dropoutRate(spec['dropout'], 'spec.dropout') };
  }
  rejectUnknownKeys(spec, 'spec', ['architecture', 'hiddenUnits', 'dropout', 'activation']);
  const units = spec['hiddenUnits'] ?? DEFAULT_HIDDEN_UNITS;
  if (!Array.isArray(units)) fail('spec.hiddenUnits', 'must be an array of layer widths');
  if (units.length > LIMITS.hiddenLayers) fail('spec.hiddenUnits', `at most ${LIMITS.hiddenLayers} hidden layers`);
  return {
    architecture,
    hiddenUnits: units.map((width, i) => integer(width, `spec.hiddenUnits[${i}]`, 1, LIMITS.hiddenUnits)),
    dropout: dropoutRate(spec['dropout'], 'spec.dropout'),
    activation: spec['activation'] === undefined ? 'relu' : oneOf(spec['activation'], 'spec.activation', ACTIVATIONS),
  };
}

/** Hyperparameters alone, for callers (train) that receive a model already built. */
export function validateHyperparameters(raw: unknown): Hyperparameters {
  const hp = asObject(raw, 'hyperparameters');
  rejectUnknownKeys(hp, 'hyperparameters', ['epochs', 'batchSize', 'learningRate', 'optimizer', 'seed', 'earlyStoppingPatience']);
  const patience = hp['earlyStoppingPatience'];
  return {
    epochs: integer(hp['epochs'], 'hyperparameters.epochs', 1, LIMITS.epochs),
    batchSize: integer(hp['batchSize'], 'hyperparameters.batchSize', 1, LIMITS.batchSize),
    learningRate: learningRate(hp['learningRate']),
    optimizer: oneOf(hp['optimizer'], 'hyperparameters.optimizer', OPTIMIZERS),
    seed: integer(hp['seed'], 'hyperparameters.seed', 0, 0xffff_ffff),
    earlyStoppingPatience:
      patience === undefined || patience === null
        ? null
        : integer(patience, 'hyperparameters.earlyStoppingPatience', 1, LIMITS.epochs),
  };
}

function validateDataShape(data: DataShape, spec: ModelSpec): void {
  const shape = data.featureShape;
  if (!Array.isArray(shape) || shape.length === 0) fail('data.featureShape', 'must be a non-empty array of dimensions');
  shape.forEach((dim, i) => integer(dim, `data.featureShape[${i}]`, 1, Number.MAX_SAFE_INTEGER));
  integer(data.numClasses, 'data.numClasses', 2, LIMITS.classes);
  if (spec.architecture === 'mlp') return;
  // Images arrive as [height, width, channels], or [height, width] for single-channel data.
  if (shape.length !== 2 && shape.length !== 3) {
    fail('spec.architecture', `${spec.architecture} needs image data [height, width, channels]; features have shape [${shape.join(', ')}]`);
  }
  const minSide = MIN_IMAGE_SIDE[spec.architecture];
  if (shape[0]! < minSide || shape[1]! < minSide) {
    fail('spec.architecture', `${spec.architecture} needs images of at least ${minSide}×${minSide}; got ${shape[0]}×${shape[1]}`);
  }
}

/**
 * Checks untrusted training configuration and returns it with defaults filled in, so the stored config says
 * exactly what ran. With `data`, also checks that the architecture fits the data.
 */
export function validateTrainingConfig(
  spec: unknown,
  hyperparameters: unknown,
  data?: DataShape,
): { spec: ModelSpec; hyperparameters: Hyperparameters } {
  const validSpec = validateSpec(spec);
  const validHyperparameters = validateHyperparameters(hyperparameters);
  if (data) validateDataShape(data, validSpec);
  return { spec: validSpec, hyperparameters: validHyperparameters };
}
