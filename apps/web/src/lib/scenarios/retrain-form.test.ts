import { describe, expect, it } from 'vitest';
import { retrainDefaults, validateRetrain } from './retrain-form';

const DEMO = {
  hyperparameters: { epochs: 30, learningRate: 0.003, batchSize: 64, optimizer: 'adam', seed: 7 },
  spec: { architecture: 'mlp', hiddenUnits: [32, 16], dropout: 0.1 },
};

describe('the retrain form', () => {
  it("starts from the demo's own hyperparameters and spec", () => {
    expect(retrainDefaults(DEMO.hyperparameters, DEMO.spec)).toEqual({
      epochs: '30',
      learningRate: '0.003',
      batchSize: '64',
      hiddenUnits: '32, 16',
      canaryWeight: '50',
    });
    expect(retrainDefaults(null, null)).toMatchObject({ epochs: '10', hiddenUnits: '' });
  });

  it('maps changed values to retrainScenarioDemo arguments, keeping what was not changed', () => {
    const { input, errors } = validateRetrain(
      { epochs: '5', learningRate: '0.01', batchSize: '', hiddenUnits: '64,64', canaryWeight: '20' },
      DEMO,
    );
    expect(errors).toEqual({});
    expect(input).toEqual({
      hyperparameters: { epochs: 5, learningRate: 0.01, optimizer: 'ADAM', seed: 7 },
      spec: { architecture: 'MLP', hiddenUnits: [64, 64], dropout: 0.1 },
      canaryWeight: 20,
    });
  });

  it("leaves the spec to the demo's default when no layers are given", () => {
    const { input } = validateRetrain(
      { epochs: '3', learningRate: '', batchSize: '', hiddenUnits: '', canaryWeight: '50' },
      DEMO,
    );
    expect(input).toEqual({ hyperparameters: { epochs: 3, optimizer: 'ADAM', seed: 7 }, canaryWeight: 50 });
  });

  it("names the demo's stored choices as the API's enums", () => {
    const { input } = validateRetrain(
      { epochs: '2', learningRate: '', batchSize: '', hiddenUnits: '8', canaryWeight: '10' },
      { hyperparameters: { epochs: 3, optimizer: 'sgd' }, spec: { architecture: 'cnn-small', activation: 'tanh' } },
    );
    expect(input).toEqual({
      hyperparameters: { epochs: 2, optimizer: 'SGD' },
      spec: { architecture: 'CNN_SMALL', hiddenUnits: [8], activation: 'TANH' },
      canaryWeight: 10,
    });
  });

  it('names every field that is wrong', () => {
    const { input, errors } = validateRetrain(
      { epochs: '', learningRate: '2', batchSize: '0', hiddenUnits: '64,,x', canaryWeight: '100' },
      DEMO,
    );
    expect(input).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual(['batchSize', 'canaryWeight', 'epochs', 'hiddenUnits', 'learningRate']);
    expect(errors['learningRate']).toBe('Above 0 and at most 1');
  });
});
