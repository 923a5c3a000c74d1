import {
  ACTIVATIONS,
  ARCHITECTURES,
  enumName,
  HYPERPARAMETER_DEFAULTS,
  OPTIMIZERS,
  SPEC_DEFAULTS,
} from '@lepton/model-contract';
import { valueFromAST, type GraphQLEnumType, type GraphQLInputObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../server/schema';

// The contract (libs/model-contract) owns the training defaults and choices; the SDL shows them. This keeps the two equal.
const schema = buildSchema();
const input = (name: string) => schema.getType(name) as GraphQLInputObjectType;
const enumValues = (name: string) => (schema.getType(name) as GraphQLEnumType).getValues().map((value) => value.name);

function defaultOf(type: string, field: string): unknown {
  const definition = input(type).getFields()[field]!;
  const ast = definition.astNode?.defaultValue;
  return ast ? valueFromAST(ast, definition.type) : undefined;
}

describe('the SDL shows the model contract', () => {
  it('offers exactly the contract’s architectures, activations and optimizers as enums', () => {
    expect(enumValues('Architecture')).toEqual(ARCHITECTURES.map(enumName));
    expect(enumValues('Activation')).toEqual(ACTIVATIONS.map(enumName));
    expect(enumValues('Optimizer')).toEqual(OPTIMIZERS.map(enumName));
  });

  it('has the contract’s hyperparameter defaults as default values', () => {
    expect(defaultOf('HyperparametersInput', 'batchSize')).toBe(HYPERPARAMETER_DEFAULTS.batchSize);
    expect(defaultOf('HyperparametersInput', 'learningRate')).toBe(HYPERPARAMETER_DEFAULTS.learningRate);
    expect(defaultOf('HyperparametersInput', 'seed')).toBe(HYPERPARAMETER_DEFAULTS.seed);
    // Enum default values come back as their (GraphQL) names.
    expect(input('HyperparametersInput').getFields()['optimizer']!.astNode?.defaultValue).toMatchObject({
      kind: 'EnumValue',
      value: enumName(HYPERPARAMETER_DEFAULTS.optimizer),
    });
    expect(defaultOf('ModelSpecInput', 'dropout')).toBe(SPEC_DEFAULTS.dropout);
  });

  it('states the defaults that depend on the architecture or the data in the descriptions', () => {
    // A default value would apply to every architecture (and CNNs take no hiddenUnits or activation).
    const spec = input('ModelSpecInput').getFields();
    expect(spec['hiddenUnits']!.defaultValue).toBeUndefined();
    expect(spec['hiddenUnits']!.description).toContain(`Default [${SPEC_DEFAULTS.hiddenUnits.join(', ')}].`);
    expect(spec['activation']!.defaultValue).toBeUndefined();
    expect(spec['activation']!.description).toContain(`Default ${enumName(SPEC_DEFAULTS.activation)}.`);
    const patience = input('HyperparametersInput').getFields()['earlyStoppingPatience']!;
    expect(patience.defaultValue).toBeUndefined();
    expect(patience.description).toContain(
      `Default ${HYPERPARAMETER_DEFAULTS.earlyStoppingPatience} when the dataset version has a validation split, else 0`,
    );
  });
});
