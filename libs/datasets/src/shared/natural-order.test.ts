import { describe, expect, it } from 'vitest';
import { compareNatural, sortedDistinct } from './natural-order';

describe('compareNatural', () => {
  it('orders numbers by value, before text', () => {
    expect(['10', '9', '-1', '2.5', 'b', '1e1', 'a'].sort(compareNatural)).toEqual([
      '-1',
      '2.5',
      '9',
      '1e1',
      '10',
      'a',
      'b',
    ]);
  });

  it('orders digit runs inside text by value', () => {
    expect(['class10', 'class2', 'class1', 'Class3', 'img007', 'img7'].sort(compareNatural)).toEqual([
      'Class3',
      'class1',
      'class2',
      'class10',
      'img007',
      'img7',
    ]);
  });

  it('is a total order: distinct strings never compare equal', () => {
    expect(compareNatural('1', '1.0')).not.toBe(0);
    expect(compareNatural('a01', 'a1')).not.toBe(0);
    expect(sortedDistinct(['b', 'a', 'b'])).toEqual(['a', 'b']);
  });
});
