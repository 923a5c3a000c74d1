import type { DatasetFormat, DatasetImportOptions } from '@/graphql/generated/graphql';
import { checkName, optionalInteger, optionalNumber, type FieldErrors } from './fields';

export interface ImportFormValues {
  name: string;
  format: DatasetFormat;
  label: string;
  ignore: string[];
  delimiter: string;
  header: boolean;
  testFraction: string;
  validationFraction: string;
  seed: string;
}

const fraction = (n: number) => (n < 0 || n >= 1 ? 'At least 0 and below 1' : undefined);

/**
 * Checks the import form and builds the API's options. Blank fields are left out so that the API
 * applies its own defaults (the form shows them from the SDL).
 */
export function validateImport(
  values: ImportFormValues,
  hasFile: boolean,
): { errors: FieldErrors; options: DatasetImportOptions | null } {
  const errors: FieldErrors = {};
  if (!hasFile) errors['file'] = 'Choose or drop a file to upload';
  const nameError = checkName(values.name, 'dataset');
  if (nameError) errors['name'] = nameError;
  const test = optionalNumber(values.testFraction, fraction);
  const validation = optionalNumber(values.validationFraction, fraction);
  const seed = optionalInteger(values.seed, 0, 2 ** 31 - 1);
  if (test.error) errors['testFraction'] = test.error;
  if (validation.error) errors['validationFraction'] = validation.error;
  if (seed.error) errors['seed'] = seed.error;
  if (!test.error && !validation.error && (test.value ?? 0) + (validation.value ?? 0) >= 1) {
    errors['validationFraction'] = 'Test and validation fractions must leave rows to train on';
  }
  const csv = values.format === 'CSV';
  if (csv && values.label && values.ignore.includes(values.label))
    errors['ignore'] = 'The label column cannot be ignored';
  if (Object.keys(errors).length > 0) return { errors, options: null };
  const options: DatasetImportOptions = {
    ...(csv && values.label ? { label: values.label } : {}),
    ...(csv && values.ignore.length > 0 ? { ignore: values.ignore } : {}),
    ...(csv && values.delimiter ? { delimiter: values.delimiter } : {}),
    ...(csv ? { header: values.header } : {}),
    ...(test.value !== undefined ? { testFraction: test.value } : {}),
    ...(validation.value !== undefined ? { validationFraction: validation.value } : {}),
    ...(seed.value !== undefined ? { seed: seed.value } : {}),
  };
  return { errors, options };
}
