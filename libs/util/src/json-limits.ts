/**
 * Limits for any JSON value a client sends (run params, schemas, signatures, metrics maps), checked
 * before anything walks or serialises it. Each field may cap its size lower (the registry's 64 KiB).
 */
export const JSON_LIMITS = {
  /** Objects and arrays nested at most this deep (a scalar at the top is depth 0). */
  maxDepth: 32,
  /** Serialised size, in characters of JSON text (estimated while walking, so it stops early). */
  maxLength: 1024 * 1024,
} as const;

export type JsonLimitViolation = 'depth' | 'length';

/**
 * Which limit `value` breaks, or null. Walks with an explicit stack (never recursion, so no value
 * can exhaust the call stack) and stops at the first violation, so the cost is bounded by the
 * limits, not by the value. The length counts each string, key and number as JSON would write it
 * (escapes aside) plus separators: never less than the real text minus escapes.
 */
export function jsonLimitViolation(
  value: unknown,
  limits: { maxDepth: number; maxLength: number } = JSON_LIMITS,
): JsonLimitViolation | null {
  let length = 0;
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: item, depth } = stack.pop()!;
    if (typeof item === 'string') length += item.length + 2;
    else if (typeof item === 'number' || typeof item === 'boolean' || typeof item === 'bigint')
      length += String(item).length;
    else if (item === null || item === undefined) length += 4;
    else if (typeof item === 'object') {
      if (depth >= limits.maxDepth) return 'depth';
      length += 2;
      if (Array.isArray(item)) {
        for (const element of item) {
          length += 1;
          stack.push({ value: element, depth: depth + 1 });
          if (length > limits.maxLength) return 'length';
        }
      } else {
        for (const key in item) {
          if (!Object.hasOwn(item, key)) continue;
          length += key.length + 4;
          stack.push({ value: (item as Record<string, unknown>)[key], depth: depth + 1 });
          if (length > limits.maxLength) return 'length';
        }
      }
    }
    if (length > limits.maxLength) return 'length';
  }
  return null;
}

/** A one-line explanation of a violation, naming the field. */
export function jsonLimitMessage(
  field: string,
  violation: JsonLimitViolation,
  limits: { maxDepth: number; maxLength: number } = JSON_LIMITS,
): string {
  return violation === 'depth'
    ? `${field} is nested deeper than ${limits.maxDepth} levels`
    : `${field} is larger than ${limits.maxLength} characters of JSON`;
}
