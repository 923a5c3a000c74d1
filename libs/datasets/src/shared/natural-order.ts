import { parseDecimal } from './number';

const DIGIT_RUNS = /(\d+)/;

/**
 * A total, locale-independent order for labels and categories: numbers by value ('2' < '10'),
 * numbers before text, digit runs inside text by value ('class2' < 'class10'), then code units.
 * Locale collation is avoided on purpose: class indices must not depend on the machine.
 */
export function compareNatural(a: string, b: string): number {
  if (a === b) return 0;
  const numberA = parseDecimal(a);
  const numberB = parseDecimal(b);
  if (numberA !== null && numberB !== null && numberA !== numberB) return numberA - numberB;
  if ((numberA === null) !== (numberB === null)) return numberA === null ? 1 : -1;
  const partsA = a.split(DIGIT_RUNS);
  const partsB = b.split(DIGIT_RUNS);
  const shared = Math.min(partsA.length, partsB.length);
  // split() with a capture group alternates text (even index) and digits (odd index).
  for (let i = 0; i < shared; i++) {
    const partA = partsA[i]!;
    const partB = partsB[i]!;
    if (partA === partB) continue;
    const order = i % 2 === 1 ? compareDigitRuns(partA, partB) : compareCodeUnits(partA, partB);
    if (order !== 0) return order;
  }
  return compareCodeUnits(a, b);
}

/** Distinct values in natural order. */
export function sortedDistinct(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareNatural);
}

function compareDigitRuns(a: string, b: string): number {
  const trimmedA = a.replace(/^0+(?=\d)/, '');
  const trimmedB = b.replace(/^0+(?=\d)/, '');
  if (trimmedA.length !== trimmedB.length) return trimmedA.length - trimmedB.length;
  return compareCodeUnits(trimmedA, trimmedB);
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
