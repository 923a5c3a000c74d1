import { DatasetImportError } from '../shared/dataset-import-error';
import type { PreparedDataset } from './prepared-dataset';

/** The invariants the trainer relies on: sizes agree, labels name classes, splits partition the examples. */
export function validatePreparedArrays(dataset: PreparedDataset): void {
  const { features, labels, featureShape, classes, splits } = dataset;
  const perExample = featureShape.reduce((product, size) => product * size, 1);
  if (features.length !== labels.length * perExample) {
    fail(`has ${features.length} feature values for ${labels.length} examples of shape [${featureShape.join(', ')}]`);
  }
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label < 0 || label >= classes.length)
      fail(`has label ${label} at example ${i}, outside the ${classes.length} classes`);
  }
  const seen = new Uint8Array(labels.length);
  for (const [part, indices] of Object.entries(splits)) {
    for (const index of indices) {
      if (index < 0 || index >= labels.length) fail(`has ${part} index ${index} outside 0..${labels.length - 1}`);
      if (seen[index]) fail(`has example ${index} in more than one split`);
      seen[index] = 1;
    }
  }
  const unassigned = seen.indexOf(0);
  if (unassigned !== -1) fail(`has example ${unassigned} in no split`);
}

function fail(message: string): never {
  throw new DatasetImportError(`prepared dataset ${message}`);
}
