import { describe, expect, it } from 'vitest';
import { csvInstances } from './csv-rows';

describe('csvInstances', () => {
  it('turns rows into instances named by the header, numbers as numbers and empty cells as null', () => {
    expect(csvInstances('age,plan,score\n41,basic,0.5\n"35","pro, yearly",\r\n')).toEqual([
      { age: 41, plan: 'basic', score: 0.5 },
      { age: 35, plan: 'pro, yearly', score: null },
    ]);
  });

  it('keeps quotes, other delimiters and strings that only look a bit numeric', () => {
    expect(csvInstances('a;b\n"say ""hi""";1e3\n0x10;Infinity\n', ';')).toEqual([
      { a: 'say "hi"', b: 1000 },
      { a: '0x10', b: 'Infinity' },
    ]);
  });

  it('refuses rows with the wrong number of cells, naming the line', () => {
    expect(() => csvInstances('a,b\n1,2\n3\n')).toThrow('CSV line 3 has 1 cells; the header has 2');
  });

  it('refuses an empty file and an unterminated quote', () => {
    expect(() => csvInstances('')).toThrow(/empty/);
    expect(() => csvInstances('a\n"open\n')).toThrow(/inside a quoted cell/);
  });
});
