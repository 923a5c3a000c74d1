import { DatasetImportError } from '../shared/dataset-import-error';

export interface SplitOptions {
  testFraction: number;
  validationFraction: number;
  seed: number;
}

export const DEFAULT_SPLIT: SplitOptions = { testFraction: 0.2, validationFraction: 0.1, seed: 42 };

export function validateSplitOptions(options: SplitOptions): SplitOptions {
  const { testFraction, validationFraction, seed } = options;
  checkFraction('testFraction', testFraction);
  checkFraction('validationFraction', validationFraction);
  if (testFraction + validationFraction >= 1) {
    throw new DatasetImportError(
      `testFraction + validationFraction must be below 1 so that examples remain for training, got ${testFraction} + ${validationFraction}`,
    );
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new DatasetImportError(`seed must be an integer from 0 to 4294967295, got ${seed}`);
  }
  return options;
}

function checkFraction(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0 || value >= 1) {
    throw new DatasetImportError(`${name} must be a number with 0 ≤ ${name} < 1, got ${value}`);
  }
}
