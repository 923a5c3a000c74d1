import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('refuses values JSON cannot represent', () => {
    expect(() => canonicalJson({ stats: { mean: Number.NaN } })).toThrow('$.stats.mean is NaN');
    expect(() => canonicalJson([undefined])).toThrow('$[0] is a undefined');
    expect(() => canonicalJson({ a: new Float32Array(1) })).toThrow('$.a is a object');
  });
});
