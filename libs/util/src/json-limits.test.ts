import { describe, expect, it } from 'vitest';
import { JSON_LIMITS, jsonLimitViolation } from './json-limits';

function nested(depth: number, arrays = false): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level += 1) value = arrays ? [value] : { k: value };
  return value;
}

describe('jsonLimitViolation', () => {
  it('accepts scalars and values nested exactly to the depth limit', () => {
    for (const value of [null, 1, 'text', true, [], {}]) expect(jsonLimitViolation(value)).toBeNull();
    expect(jsonLimitViolation(nested(JSON_LIMITS.maxDepth))).toBeNull();
    expect(jsonLimitViolation(nested(JSON_LIMITS.maxDepth, true))).toBeNull();
  });

  it('names depth one level past the limit, for objects and arrays', () => {
    expect(jsonLimitViolation(nested(JSON_LIMITS.maxDepth + 1))).toBe('depth');
    expect(jsonLimitViolation(nested(JSON_LIMITS.maxDepth + 1, true))).toBe('depth');
  });

  it('walks a value far deeper than the call stack allows without recursing', () => {
    expect(jsonLimitViolation(nested(1_000_000))).toBe('depth');
  });

  it('measures size at least as JSON.stringify does (escapes aside) and stops at the limit', () => {
    const limits = { maxDepth: 32, maxLength: 100 };
    const fits = { a: [1, 2, 3], b: 'x'.repeat(40), c: null };
    expect(JSON.stringify(fits).length).toBeLessThanOrEqual(100);
    expect(jsonLimitViolation(fits, limits)).toBeNull();
    const over = { a: 'x'.repeat(95) };
    expect(JSON.stringify(over).length).toBeGreaterThan(100);
    expect(jsonLimitViolation(over, limits)).toBe('length');
    expect(jsonLimitViolation(Array.from({ length: 10_000_000 }, () => 0), limits)).toBe('length');
  });
});
