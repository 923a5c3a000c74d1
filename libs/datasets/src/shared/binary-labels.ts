import { DatasetImportError, type ErrorLocation } from './dataset-import-error';

/** The two classes a positiveLabels import produces, in class-index order (scores are the positive's). */
export const BINARY_CLASSES = ['negative', 'positive'] as const;

/**
 * The positiveLabels option: label values in the list become class 1 ("positive"), all others class 0
 * ("negative"), e.g. heart disease `num` 1–4 or phishing `Result` -1. Some listed value and some other
 * value must occur, so both classes exist (a listed value missing from a subset of the data is fine).
 */
export function binarizeLabels(values: readonly string[], positiveLabels: readonly string[], where: ErrorLocation): Int32Array {
  const positives = new Set(positiveLabels.map((label) => label.trim()));
  const present = new Set(values);
  if (positives.size === 0) throw new DatasetImportError('positiveLabels must name at least one label value', where);
  if (![...positives].some((label) => present.has(label))) {
    const listed = (labels: Iterable<string>) => [...labels].sort().slice(0, 20).map((label) => JSON.stringify(label)).join(', ');
    throw new DatasetImportError(`positiveLabels ${listed(positives)}: none is a value of the label (it has ${listed(present)})`, where);
  }
  if ([...present].every((label) => positives.has(label))) {
    throw new DatasetImportError('positiveLabels cover every label value; the negative class would be empty', where);
  }
  return Int32Array.from(values, (value) => (positives.has(value) ? 1 : 0));
}
