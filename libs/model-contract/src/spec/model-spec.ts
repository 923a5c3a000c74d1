// No TensorFlow.js here (the lint rules forbid it): the API validates requests without loading tfjs.
import { ModelConfigError } from './model-config-error';

export const ARCHITECTURES = ['mlp', 'cnn-small', 'cnn-tiny'] as const;
export const ACTIVATIONS = ['relu', 'tanh', 'gelu'] as const;
export const OPTIMIZERS = ['adam', 'sgd'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
export type Optimizer = (typeof OPTIMIZERS)[number];

export type ModelSpec =
  | { architecture: 'mlp'; hiddenUnits?: number[]; dropout?: number; activation?: Activation }
  /** Conv2D(32)→MaxPool→Conv2D(64)→MaxPool→Conv2D(64)→Flatten→Dense(64)→Dense(n): the tfjs-examples MNIST network. */
  | { architecture: 'cnn-small'; dropout?: number }
  /** Conv2D(8)→MaxPool→Flatten→Dense(n): small enough for tests and smoke runs. */
  | { architecture: 'cnn-tiny'; dropout?: number };

export type Architecture = (typeof ARCHITECTURES)[number];

export interface Hyperparameters {
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: Optimizer;
  seed: number;
  /**
   * Epochs without a better validation loss (training loss without a validation split) before training stops;
   * the best epoch's weights are the model's. 0: early stopping off.
   */
  earlyStoppingPatience: number;
}

/** What the model needs to know about the data: one example's shape, the number of classes, a validation split. */
export interface DataShape {
  featureShape: number[];
  numClasses: number;
  /** Decides the default of earlyStoppingPatience (on with a validation split, off without one). */
  hasValidationSplit?: boolean;
}

/**
 * The defaults, in one place: validation fills them in (so a stored config says exactly what ran), the GraphQL
 * SDL shows them (a test compares the two), the CLI and the dashboard leave them to the API.
 */
export const SPEC_DEFAULTS = {
  dropout: 0,
  /** mlp only. */
  hiddenUnits: [64, 32] as readonly number[],
  /** mlp only. */
  activation: 'relu' as Activation,
} as const;

export const HYPERPARAMETER_DEFAULTS = {
  batchSize: 32,
  learningRate: 0.001,
  optimizer: 'adam' as Optimizer,
  seed: 42,
  /** With a validation split; without one, early stopping is off (0) unless asked for. */
  earlyStoppingPatience: 5,
} as const;

/**
 * A value's name in a GraphQL enum (`cnn-small` → `CNN_SMALL`). Validation accepts either form and stores the
 * contract's own (lowercase) value.
 */
export function enumName(value: string): string {
  return value.toUpperCase().replace(/-/g, '_');
}

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
  throw new ModelConfigError(`${field}: ${message}`, field);
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
  const match = options.find((option) => option === value || enumName(option) === value);
  if (match === undefined) fail(field, `must be one of ${options.join(', ')}, got ${JSON.stringify(value)}`);
  return match;
}

/** Absent (undefined or null) means "the default". */
const absent = (value: unknown): value is undefined | null => value === undefined || value === null;

function dropoutRate(value: unknown, field: string): number {
  if (absent(value)) return SPEC_DEFAULTS.dropout;
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
  const units = spec['hiddenUnits'] ?? SPEC_DEFAULTS.hiddenUnits;
  if (!Array.isArray(units)) fail('spec.hiddenUnits', 'must be an array of layer widths');
  if (units.length > LIMITS.hiddenLayers) fail('spec.hiddenUnits', `at most ${LIMITS.hiddenLayers} hidden layers`);
  return {
    architecture,
    hiddenUnits: units.map((width, i) => integer(width, `spec.hiddenUnits[${i}]`, 1, LIMITS.hiddenUnits)),
    dropout: dropoutRate(spec['dropout'], 'spec.dropout'),
    activation: absent(spec['activation'])
      ? SPEC_DEFAULTS.activation
      : oneOf(spec['activation'], 'spec.activation', ACTIVATIONS),
  };
}

/**
 * Hyperparameters alone (for callers that receive a model already built), defaults filled in. Early stopping
 * defaults to on (patience HYPERPARAMETER_DEFAULTS.earlyStoppingPatience) when the data has a validation split.
 */
export function validateHyperparameters(raw: unknown, data?: Pick<DataShape, 'hasValidationSplit'>): Hyperparameters {
  const hp = asObject(raw, 'hyperparameters');
  rejectUnknownKeys(hp, 'hyperparameters', ['epochs', 'batchSize', 'learningRate', 'optimizer', 'seed', 'earlyStoppingPatience']);
  const defaults = HYPERPARAMETER_DEFAULTS;
  const given = <T>(key: string, check: (value: unknown) => T, fallback: T): T =>
    absent(hp[key]) ? fallback : check(hp[key]);
  return {
    epochs: integer(hp['epochs'], 'hyperparameters.epochs', 1, LIMITS.epochs),
    batchSize: given('batchSize', (v) => integer(v, 'hyperparameters.batchSize', 1, LIMITS.batchSize), defaults.batchSize),
    learningRate: given('learningRate', learningRate, defaults.learningRate),
    optimizer: given('optimizer', (v) => oneOf(v, 'hyperparameters.optimizer', OPTIMIZERS), defaults.optimizer),
    seed: given('seed', (v) => integer(v, 'hyperparameters.seed', 0, 0xffff_ffff), defaults.seed),
    earlyStoppingPatience: given(
      'earlyStoppingPatience',
      (v) => integer(v, 'hyperparameters.earlyStoppingPatience', 0, LIMITS.epochs),
      data?.hasValidationSplit ? defaults.earlyStoppingPatience : 0,
    ),
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
  const validHyperparameters = validateHyperparameters(hyperparameters, data);
  if (data) validateDataShape(data, validSpec);
  return { spec: validSpec, hyperparameters: validHyperparameters };
}
