import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseDelimiterOption } from './delimiter';

describe('detectDelimiter', () => {
  it.each([
    ['comma', 'a,b,c\n1,2,x\n3,4,y\n', ','],
    ['semicolon with decimal commas', 'a;b;c\n1,5;2,25;x\n3,0;4,5;y\n', ';'],
    ['tab', 'a b\tc d\te\n1\t2\t3\n', '\t'],
    ['whitespace', 'a   b  c\n 1.0  2.0  x\n 3.5  4.0  y\n', 'whitespace'],
    ['comma with spaces after commas', 'a, b, c\n1, 2, 3\n', ','],
    ['comma with quoted semicolons and spaces', 'id,text\n1,"a; b c"\n2,"d; e f g"\n', ','],
  ])('detects %s', (_name, text, expected) => {
    expect(detectDelimiter(text, 'f.csv')).toBe(expected);
  });

  it('is not derailed by a ragged row', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n4,5\n6,7,8\n', 'f.csv')).toBe(',');
  });

  it('falls back to comma for a single column', () => {
    expect(detectDelimiter('label\n1\n2\n', 'f.csv')).toBe(',');
  });
});

describe('parseDelimiterOption', () => {
  it('accepts single characters and names', () => {
    expect(parseDelimiterOption('|')).toBe('|');
    expect(parseDelimiterOption('\t')).toBe('\t');
    expect(parseDelimiterOption('TAB')).toBe('\t');
    expect(parseDelimiterOption('\\t')).toBe('\t');
    expect(parseDelimiterOption(' ')).toBe('whitespace');
    expect(parseDelimiterOption('whitespace')).toBe('whitespace');
  });

  it('refuses quotes, newlines and longer strings', () => {
    for (const bad of ['"', '\n', '::', 'constructor'])
      expect(() => parseDelimiterOption(bad)).toThrow('is not supported');
  });
});
