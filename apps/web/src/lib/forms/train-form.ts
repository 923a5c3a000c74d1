import type { Activation, Architecture, Optimizer, StartTrainingInput } from '@/graphql/generated/graphql';
import { enumValues } from '@/graphql/generated/input-hints';
import { checkName, optionalInteger, optionalNumber, type FieldErrors } from './fields';

export interface TrainFormValues {
  model: string;
  datasetVersionId: string;
  name: string;
  architecture: string;
  hiddenUnits: string;
  dropout: string;
  activation: string;
  epochs: string;
  batchSize: string;
  learningRate: string;
  optimizer: string;
  seed: string;
  earlyStoppingPatience: string;
}

/** "MLP only. Default RELU." in an SDL description → "RELU" (for defaults that depend on the architecture or data). */
export function defaultFromDescription(description: string | null): string | null {
  return /Default ([^.\s]+(?:\.\d+)?)\.?/.exec(description ?? '')?.[1] ?? null;
}

/** An SDL default value, for a placeholder ("" when the field has none). */
export function shownDefault(hint: { defaultValue: unknown }): string {
  return hint.defaultValue === null || hint.defaultValue === undefined ? '' : String(hint.defaultValue);
}

// The closed sets are the SDL's enums (the model contract's choices).
export const ARCHITECTURES: readonly Architecture[] = enumValues.Architecture;
export const ACTIVATIONS: readonly Activation[] = enumValues.Activation;
export const OPTIMIZERS: readonly Optimizer[] = enumValues.Optimizer;

const oneOf = <T extends string>(choices: readonly T[], value: string): T | undefined =>
  choices.find((choice) => choice === value);

/** Largest values the trainer accepts (it re-checks them); here only to answer inline. */
const MAX_EPOCHS = 10_000;
const MAX_BATCH = 8192;

export function validateTrain(values: TrainFormValues): { errors: FieldErrors; input: StartTrainingInput | null } {
  const errors: FieldErrors = {};
  const modelError = checkName(values.model, 'model');
  if (modelError) errors['model'] = modelError;
  if (!values.datasetVersionId) errors['datasetVersionId'] = 'Choose the dataset version to train on';
  if (values.name.trim()) {
    const nameError = checkName(values.name.trim(), 'run');
    if (nameError) errors['name'] = nameError;
  }
  const architecture = oneOf(ARCHITECTURES, values.architecture);
  if (!architecture) errors['architecture'] = 'Choose an architecture';
  const mlp = architecture === 'MLP';

  let hiddenUnits: number[] | undefined;
  if (mlp && values.hiddenUnits.trim()) {
    const parts = values.hiddenUnits.split(',').map((part) => part.trim());
    const numbers = parts.map(Number);
    if (parts.some((part) => part === '') || numbers.some((n) => !Number.isInteger(n) || n < 1 || n > 4096))
      errors['hiddenUnits'] = 'Comma-separated layer sizes, each 1–4096, e.g. 64, 32';
    else if (numbers.length > 8) errors['hiddenUnits'] = 'At most 8 hidden layers';
    else hiddenUnits = numbers;
  }
  const dropout = optionalNumber(values.dropout, (n) => (n < 0 || n >= 1 ? 'At least 0 and below 1' : undefined));
  if (dropout.error) errors['dropout'] = dropout.error;

  let epochs: number | undefined;
  if (values.epochs.trim() === '') errors['epochs'] = 'How many epochs to train';
  else {
    const parsed = optionalInteger(values.epochs, 1, MAX_EPOCHS);
    if (parsed.error) errors['epochs'] = parsed.error;
    epochs = parsed.value;
  }
  const batchSize = optionalInteger(values.batchSize, 1, MAX_BATCH);
  if (batchSize.error) errors['batchSize'] = batchSize.error;
  const learningRate = optionalNumber(values.learningRate, (n) =>
    n <= 0 || n > 10 ? 'Above 0 and at most 10' : undefined,
  );
  if (learningRate.error) errors['learningRate'] = learningRate.error;
  const optimizer = oneOf(OPTIMIZERS, values.optimizer);
  if (values.optimizer && !optimizer) errors['optimizer'] = `One of ${OPTIMIZERS.join(', ')}`;
  const activation = oneOf(ACTIVATIONS, values.activation);
  if (mlp && values.activation && !activation) errors['activation'] = `One of ${ACTIVATIONS.join(', ')}`;
  const seed = optionalInteger(values.seed, 0, 2 ** 31 - 1);
  if (seed.error) errors['seed'] = seed.error;
  // 0 turns early stopping off; blank leaves it to the API (on when the data has a validation split).
  const patience = optionalInteger(values.earlyStoppingPatience, 0, MAX_EPOCHS);
  if (patience.error) errors['earlyStoppingPatience'] = patience.error;

  if (Object.keys(errors).length > 0 || epochs === undefined || !architecture) return { errors, input: null };
  // Blank fields are left out: the API applies the contract's defaults.
  return {
    errors,
    input: {
      model: values.model.trim(),
      datasetVersionId: values.datasetVersionId,
      ...(values.name.trim() ? { name: values.name.trim() } : {}),
      spec: {
        architecture,
        ...(hiddenUnits ? { hiddenUnits } : {}),
        ...(dropout.value !== undefined ? { dropout: dropout.value } : {}),
        ...(activation && mlp ? { activation } : {}),
      },
      hyperparameters: {
        epochs,
        ...(batchSize.value !== undefined ? { batchSize: batchSize.value } : {}),
        ...(learningRate.value !== undefined ? { learningRate: learningRate.value } : {}),
        ...(optimizer ? { optimizer } : {}),
        ...(seed.value !== undefined ? { seed: seed.value } : {}),
        ...(patience.value !== undefined ? { earlyStoppingPatience: patience.value } : {}),
      },
    },
  };
}

const FORM_FIELDS = new Set<keyof TrainFormValues>([
  'model',
  'datasetVersionId',
  'name',
  'architecture',
  'hiddenUnits',
  'dropout',
  'activation',
  'epochs',
  'batchSize',
  'learningRate',
  'optimizer',
  'seed',
  'earlyStoppingPatience',
]);

/** The API names a rejected field like "hyperparameters.batchSize" or "spec.hiddenUnits[0]"; find its input. */
export function formFieldOf(apiField: string | undefined): keyof TrainFormValues | null {
  if (!apiField) return null;
  const leaf = apiField
    .replace(/^(input\.)?(spec|hyperparameters)\./, '')
    .replace(/\[.*$/, '')
    .split('.')[0] as keyof TrainFormValues;
  return FORM_FIELDS.has(leaf) ? leaf : null;
}
