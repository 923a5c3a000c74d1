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
  const assignment = new Uint8Array(labels.length); // 0 train, 1 validation, 2 test
  holdOut(labels, assignment, seed, (members) => {
    const keep = Math.max(members.length - 1, 0);
    const testCount = Math.min(Math.round(members.length * testFraction), keep);
    return [testCount, Math.min(Math.round(members.length * validationFraction), keep - testCount)];
  });
  return splitsOf(assignment);
}

/**
 * A dataset that comes with its own test split (CIFAR-10's test_batch, MNIST's t10k files) keeps it:
 * `isTest` marks those examples. Validation is held out of the rest as in stratifiedSplit, with
 * validationFraction of each class's training examples; testFraction does not apply. A dataset that also
 * comes with its own validation split (`isValidation`) keeps that as given too.
 */
export function splitKeepingTest(
  labels: Int32Array,
  isTest: Uint8Array,
  options: Pick<SplitOptions, 'validationFraction' | 'seed'>,
  isValidation?: Uint8Array,
): Splits {
  const { validationFraction, seed } = validateSplitOptions({ ...options, testFraction: 0 });
  const assignment = Uint8Array.from(isTest, (test, index) => (test ? 2 : isValidation?.[index] ? 1 : 0));
  if (isValidation) return splitsOf(assignment);
  const trainLabels = Int32Array.from(labels, (label, index) => (isTest[index] ? -1 : label));
  holdOut(trainLabels, assignment, seed, (members) => [0, Math.min(Math.round(members.length * validationFraction), Math.max(members.length - 1, 0))]);
  return splitsOf(assignment);
}

/**
 * Per class (labels ≥ 0, in label order), shuffles the members with one seeded PRNG and marks the first
 * `test` of them 2 and the next `validation` 1 in `assignment`.
 */
function holdOut(labels: Int32Array, assignment: Uint8Array, seed: number, counts: (members: number[]) => [test: number, validation: number]): void {
  const byClass = new Map<number, number[]>();
  labels.forEach((label, index) => {
    if (label < 0) return;
    const members = byClass.get(label);
    if (members) members.push(index);
    else byClass.set(label, [index]);
  });
  const random = mulberry32(seed);
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = shuffle(byClass.get(label)!, random);
    const [testCount, validationCount] = counts(members);
    members.forEach((index, position) => {
      assignment[index] = position < testCount ? 2 : position < testCount + validationCount ? 1 : 0;
    });
  }
}

function splitsOf(assignment: Uint8Array): Splits {
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
