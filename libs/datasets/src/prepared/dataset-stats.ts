import type { Splits } from '../splits/stratified-split';

/** Examples per class name. */
export function classCounts(labels: Int32Array, classes: string[]): Record<string, number> {
  const counts = new Array<number>(classes.length).fill(0);
  for (const label of labels) counts[label]!++;
  // fromEntries defines own properties, so a class named '__proto__' stays an ordinary key.
  return Object.fromEntries(classes.map((name, index) => [name, counts[index]!]));
}

export function splitCounts(splits: Splits): { train: number; validation: number; test: number } {
  return { train: splits.train.length, validation: splits.validation.length, test: splits.test.length };
}
