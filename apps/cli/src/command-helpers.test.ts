import { describe, expect, it } from 'vitest';
import { enumValue } from './command-helpers';

describe('enum flags', () => {
  it('take the lowercase names the CLI always took, and the API’s enum names', () => {
    expect(['mlp', 'cnn-small', 'cnn-tiny', 'CNN_SMALL', ' adam ', 'Gelu'].map(enumValue)).toEqual([
      'MLP',
      'CNN_SMALL',
      'CNN_TINY',
      'CNN_SMALL',
      'ADAM',
      'GELU',
    ]);
  });
});
