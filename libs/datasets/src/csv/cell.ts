import { parseDecimal } from '../shared/number';

// Spellings of "no value" in the wild; compared case-insensitively ('NA', 'nan', 'NULL', ...).
const MISSING = new Set(['', 'na', 'nan', 'null', '?']);

/** The trimmed cell, or null when it marks a missing value. */
export function cellValue(raw: string): string | null {
  const value = raw.trim();
  return MISSING.has(value.toLowerCase()) ? null : value;
}

/** A categorical cell that is a number is named by the number ('4.0', '4' and '04' are '4'); text is kept. */
export function numericCode(value: string): string {
  const number = parseDecimal(value);
  return number === null ? value : String(number);
}
