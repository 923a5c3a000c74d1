import { describe, expect, it } from 'vitest';
import { ModelConfigError } from './model-config-error';
import { ARCHITECTURES, enumName, HYPERPARAMETER_DEFAULTS, validateTrainingConfig } from './model-spec';

const hp = { epochs: 5, batchSize: 32, learningRate: 0.01, optimizer: 'adam', seed: 7 };
const tabular = { featureShape: [4], numClasses: 3 };
const images = { featureShape: [28, 28, 1], numClasses: 10 };

function rejection(run: () => unknown): ModelConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelConfigError);
    return error as ModelConfigError;
  }
  throw new Error('expected a ModelConfigError');
}

describe('validateTrainingConfig', () => {
  it('fills in defaults so the stored config says exactly what ran', () => {
    expect(validateTrainingConfig({ architecture: 'mlp' }, hp, tabular)).toEqual({
      spec: { architecture: 'mlp', hiddenUnits: [64, 32], dropout: 0, activation: 'relu' },
      hyperparameters: { ...hp, earlyStoppingPatience: 0 },
    });
    expect(validateTrainingConfig({ architecture: 'mlp' }, { epochs: 3 }, tabular).hyperparameters).toEqual({
      epochs: 3,
      ...HYPERPARAMETER_DEFAULTS,
      earlyStoppingPatience: 0,
    });
    expect(validateTrainingConfig({ architecture: 'cnn-small', dropout: 0.25 }, { ...hp, earlyStoppingPatience: 3 }, images)).toEqual({
      spec: { architecture: 'cnn-small', dropout: 0.25 },
      hyperparameters: { ...hp, earlyStoppingPatience: 3 },
    });
  });

  it('turns early stopping on by default when the data has a validation split; 0 turns it off', () => {
    const withValidation = { ...tabular, hasValidationSplit: true };
    expect(validateTrainingConfig({ architecture: 'mlp' }, hp, withValidation).hyperparameters.earlyStoppingPatience).toBe(
      HYPERPARAMETER_DEFAULTS.earlyStoppingPatience,
    );
    expect(HYPERPARAMETER_DEFAULTS.earlyStoppingPatience).toBe(5);
    const off = { ...hp, earlyStoppingPatience: 0 };
    expect(validateTrainingConfig({ architecture: 'mlp' }, off, withValidation).hyperparameters.earlyStoppingPatience).toBe(0);
    expect(
      validateTrainingConfig({ architecture: 'mlp' }, { ...hp, earlyStoppingPatience: null }, withValidation).hyperparameters
        .earlyStoppingPatience,
    ).toBe(5);
    expect(validateTrainingConfig({ architecture: 'mlp' }, { ...hp, earlyStoppingPatience: 2 }, tabular).hyperparameters.earlyStoppingPatience).toBe(2);
  });

  it('accepts the GraphQL enum names and stores the contract’s own values', () => {
    const config = validateTrainingConfig({ architecture: 'MLP', activation: 'TANH' }, { ...hp, optimizer: 'SGD' }, tabular);
    expect(config.spec).toMatchObject({ architecture: 'mlp', activation: 'tanh' });
    expect(config.hyperparameters.optimizer).toBe('sgd');
    expect(validateTrainingConfig({ architecture: 'CNN_SMALL' }, hp, images).spec.architecture).toBe('cnn-small');
    expect(ARCHITECTURES.map(enumName)).toEqual(['MLP', 'CNN_SMALL', 'CNN_TINY']);
    expect(rejection(() => validateTrainingConfig({ architecture: 'CNN-SMALL' }, hp, images)).field).toBe('spec.architecture');
  });

  it.each([
    [{ architecture: 'transformer' }, hp, 'spec.architecture'],
    ['mlp', hp, 'spec'],
    [{ architecture: 'mlp', hiddenUnits: [16, 0] }, hp, 'spec.hiddenUnits[1]'],
    [{ architecture: 'mlp', hiddenUnits: 16 }, hp, 'spec.hiddenUnits'],
    [{ architecture: 'mlp', dropout: 1 }, hp, 'spec.dropout'],
    [{ architecture: 'mlp', activation: 'sigmoid' }, hp, 'spec.activation'],
    [{ architecture: 'mlp', hiddenUnit: [8] }, hp, 'spec.hiddenUnit'],
    [{ architecture: 'cnn-tiny', hiddenUnits: [8] }, hp, 'spec.hiddenUnits'],
    [{ architecture: 'mlp' }, { ...hp, epochs: 0 }, 'hyperparameters.epochs'],
    [{ architecture: 'mlp' }, { ...hp, epochs: -3 }, 'hyperparameters.epochs'],
    [{ architecture: 'mlp' }, { ...hp, epochs: 2.5 }, 'hyperparameters.epochs'],
    [{ architecture: 'mlp' }, { ...hp, batchSize: 0 }, 'hyperparameters.batchSize'],
    [{ architecture: 'mlp' }, { ...hp, batchSize: 1_000_000 }, 'hyperparameters.batchSize'],
    [{ architecture: 'mlp' }, { ...hp, learningRate: 0 }, 'hyperparameters.learningRate'],
    [{ architecture: 'mlp' }, { ...hp, learningRate: -0.1 }, 'hyperparameters.learningRate'],
    [{ architecture: 'mlp' }, { ...hp, learningRate: Number.NaN }, 'hyperparameters.learningRate'],
    [{ architecture: 'mlp' }, { ...hp, optimizer: 'rmsprop' }, 'hyperparameters.optimizer'],
    [{ architecture: 'mlp' }, { ...hp, seed: -1 }, 'hyperparameters.seed'],
    [{ architecture: 'mlp' }, { ...hp, earlyStoppingPatience: -1 }, 'hyperparameters.earlyStoppingPatience'],
    [{ architecture: 'mlp' }, { ...hp, earlyStoppingPatience: 1.5 }, 'hyperparameters.earlyStoppingPatience'],
    [{ architecture: 'mlp' }, { ...hp, momentum: 0.9 }, 'hyperparameters.momentum'],
    [{ architecture: 'mlp' }, null, 'hyperparameters'],
  ])('rejects %j with %j at %s', (spec, hyperparameters, field) => {
    const error = rejection(() => validateTrainingConfig(spec, hyperparameters, tabular));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
  });

  it('rejects a CNN on tabular data and images too small for it', () => {
    expect(rejection(() => validateTrainingConfig({ architecture: 'cnn-small' }, hp, tabular))).toMatchObject({
      field: 'spec.architecture',
      message: expect.stringContaining('needs image data'),
    });
    expect(
      rejection(() => validateTrainingConfig({ architecture: 'cnn-small' }, hp, { featureShape: [8, 8, 1], numClasses: 2 })).message,
    ).toContain('at least 18×18');
    expect(validateTrainingConfig({ architecture: 'cnn-tiny' }, hp, { featureShape: [8, 8], numClasses: 2 }).spec).toEqual({
      architecture: 'cnn-tiny',
      dropout: 0,
    });
  });

  it('rejects unusable data shapes', () => {
    expect(rejection(() => validateTrainingConfig({ architecture: 'mlp' }, hp, { featureShape: [], numClasses: 2 })).field).toBe(
      'data.featureShape',
    );
    expect(rejection(() => validateTrainingConfig({ architecture: 'mlp' }, hp, { featureShape: [4, 0], numClasses: 2 })).field).toBe(
      'data.featureShape[1]',
    );
    expect(rejection(() => validateTrainingConfig({ architecture: 'mlp' }, hp, { featureShape: [4], numClasses: 1 })).field).toBe(
      'data.numClasses',
    );
  });
});
