import { mulberry32 } from '@lepton/util';
import { validateSplitOptions, type SplitOptions } from './split-options';

export interface Splits {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/**
 * Shuffles each class with a seeded PRNG and holds out round(n × fraction) of it for test and for
 * validation, never the last example: every class with at least one example keeps one in train.
 * The returned index lists are sorted, disjoint and together cover every example.
 */
export function stratifiedSplit(labels: Int32Array, options: SplitOptions): Splits {
  const { testFraction, validationFraction, seed } = validateSplitOptions(options);
  const byClass = new Map<number, number[]>();
  labels.forEach((label, index) => {
    const members = byClass.get(label);
    if (members) members.push(index);
    else byClass.set(label, [index]);
  });

  const random = mulberry32(seed);
  const assignment = new Uint8Array(labels.length); // 0 train, 1 validation, 2 test
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = shuffle(byClass.get(label)!, random);
    const keep = Math.max(members.length - 1, 0);
    const testCount = Math.min(Math.round(members.length * testFraction), keep);
    const validationCount = Math.min(Math.round(members.length * validationFraction), keep - testCount);
    members.forEach((index, position) => {
      assignment[index] = position < testCount ? 2 : position < testCount + validationCount ? 1 : 0;
    });
  }
  return { train: indicesOf(assignment, 0), validation: indicesOf(assignment, 1), test: indicesOf(assignment, 2) };
}

function shuffle(values: number[], random: () => number): number[] {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return values;
}

function indicesOf(assignment: Uint8Array, part: number): Int32Array {
  let count = 0;
  for (const value of assignment) if (value === part) count++;
  const indices = new Int32Array(count);
  let next = 0;
  assignment.forEach((value, index) => {
    if (value === part) indices[next++] = index;
  });
  return indices;
}
