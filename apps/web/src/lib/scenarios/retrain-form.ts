import type {
  Activation,
  Architecture,
  HyperparametersInput,
  ModelSpecInput,
  Optimizer,
} from '@/graphql/generated/graphql';
import { optionalInteger, optionalNumber, type FieldErrors } from '@/lib/forms/fields';

export interface RetrainValues {
  epochs: string;
  learningRate: string;
  batchSize: string;
  /** MLP only: "64, 32". */
  hiddenUnits: string;
  canaryWeight: string;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The form starts from what Prepare trained with (Scenario.demos.hyperparameters and spec). */
export function retrainDefaults(hyperparameters: unknown, spec: unknown): RetrainValues {
  const hyper = record(hyperparameters);
  const units = record(spec)['hiddenUnits'];
  const text = (value: unknown) => (typeof value === 'number' ? String(value) : '');
  return {
    epochs: text(hyper['epochs']) || '10',
    learningRate: text(hyper['learningRate']),
    batchSize: text(hyper['batchSize']),
    hiddenUnits: Array.isArray(units) ? units.join(', ') : '',
    canaryWeight: '50',
  };
}

const ARCHITECTURES: readonly Architecture[] = ['MLP', 'CNN_SMALL', 'CNN_TINY'];
const ACTIVATIONS: readonly Activation[] = ['RELU', 'TANH', 'GELU'];
const OPTIMIZERS: readonly Optimizer[] = ['ADAM', 'SGD'];

/** A demo's stored spec names choices as the trainer does ('cnn-small'); the API takes the enum (CNN_SMALL). */
function enumValue<T extends string>(value: unknown, values: readonly T[]): T | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.toUpperCase().replace(/-/g, '_');
  return values.find((candidate) => candidate === name);
}

/** The demo's spec as a ModelSpecInput, with other hidden layers when the form names them. */
function specWith(spec: unknown, hiddenUnits: number[] | undefined): ModelSpecInput | undefined {
  if (!hiddenUnits) return undefined;
  const base = record(spec);
  const activation = enumValue(base['activation'], ACTIVATIONS);
  return {
    architecture: enumValue(base['architecture'], ARCHITECTURES) ?? 'MLP',
    hiddenUnits,
    ...(typeof base['dropout'] === 'number' ? { dropout: base['dropout'] } : {}),
    ...(activation ? { activation } : {}),
  };
}

/** Form text → retrainScenarioDemo's arguments; the API re-checks every value. */
export function validateRetrain(
  values: RetrainValues,
  demo: { hyperparameters: unknown; spec: unknown },
): {
  errors: FieldErrors;
  input?: { hyperparameters: HyperparametersInput; spec?: ModelSpecInput; canaryWeight: number };
} {
  const errors: FieldErrors = {};
  const epochs = optionalInteger(values.epochs, 1, 1000);
  if (values.epochs.trim() === '') errors['epochs'] = 'How many epochs to train';
  else if (epochs.error) errors['epochs'] = epochs.error;
  const learningRate = optionalNumber(values.learningRate, (n) =>
    n <= 0 || n > 1 ? 'Above 0 and at most 1' : undefined,
  );
  if (learningRate.error) errors['learningRate'] = learningRate.error;
  const batchSize = optionalInteger(values.batchSize, 1, 8192);
  if (batchSize.error) errors['batchSize'] = batchSize.error;
  let hiddenUnits: number[] | undefined;
  if (values.hiddenUnits.trim() !== '') {
    const parts = values.hiddenUnits.split(',').map((part) => part.trim());
    const numbers = parts.map(Number);
    if (parts.some((part) => part === '') || numbers.some((n) => !Number.isInteger(n) || n < 1 || n > 4096))
      errors['hiddenUnits'] = 'Comma-separated layer sizes, each 1–4096, e.g. 64, 32';
    else if (numbers.length > 8) errors['hiddenUnits'] = 'At most 8 hidden layers';
    else hiddenUnits = numbers;
  }
  const canaryWeight = optionalInteger(values.canaryWeight, 1, 99);
  if (values.canaryWeight.trim() === '') errors['canaryWeight'] = 'The share of requests the new version gets, 1–99';
  else if (canaryWeight.error) errors['canaryWeight'] = canaryWeight.error;
  if (Object.keys(errors).length > 0) return { errors };

  const previous = record(demo.hyperparameters);
  const optimizer = enumValue(previous['optimizer'], OPTIMIZERS);
  const hyperparameters: HyperparametersInput = {
    epochs: epochs.value!,
    ...(learningRate.value !== undefined ? { learningRate: learningRate.value } : {}),
    ...(batchSize.value !== undefined ? { batchSize: batchSize.value } : {}),
    // Kept from Prepare so that only what the user changed differs.
    ...(optimizer ? { optimizer } : {}),
    ...(typeof previous['seed'] === 'number' ? { seed: previous['seed'] } : {}),
    ...(typeof previous['earlyStoppingPatience'] === 'number'
      ? { earlyStoppingPatience: previous['earlyStoppingPatience'] }
      : {}),
  };
  const spec = specWith(demo.spec, hiddenUnits);
  return { errors, input: { hyperparameters, ...(spec ? { spec } : {}), canaryWeight: canaryWeight.value! } };
}
