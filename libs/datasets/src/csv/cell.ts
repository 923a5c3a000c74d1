// Spellings of "no value" in the wild; compared case-insensitively ('NA', 'nan', 'NULL', ...).
const MISSING = new Set(['', 'na', 'nan', 'null', '?']);

/** The trimmed cell, or null when it marks a missing value. */
export function cellValue(raw: string): string | null {
  const value = raw.trim();
  return MISSING.has(value.toLowerCase()) ? null : value;
}
