import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseRecords, previewCsv } from './csv-preview';

describe('CSV preview in the browser', () => {
  it('reads quoted cells with delimiters, quotes and newlines inside', () => {
    expect(parseRecords('a,b\n"x, y","say ""hi""\nthere"\n', ',', true)).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
    ]);
  });

  it('drops the last record when the slice ends in the middle of it', () => {
    expect(parseRecords('a,b\n1,2\n3,', ',', false)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('detects semicolons and tabs', () => {
    expect(detectDelimiter('a;b;c\n1;2,5;3\n')).toBe(';');
    expect(detectDelimiter('a\tb\n1\t2\n')).toBe('\t');
    expect(detectDelimiter('a,b\n1,2\n')).toBe(',');
  });

  it('names columns when the file has no header row', () => {
    const preview = previewCsv('1,2,x\n3,4,y\n', { header: false, complete: true });
    expect(preview.header).toEqual(['column 1', 'column 2', 'column 3']);
    expect(preview.rows).toHaveLength(2);
  });

  it('keeps at most maxRows rows and strips a byte-order mark', () => {
    const text = '\uFEFFf,label\n' + Array.from({ length: 50 }, (_, i) => `${i},c${i % 2}`).join('\n');
    const preview = previewCsv(text, { header: true, complete: true, maxRows: 5 });
    expect(preview.header).toEqual(['f', 'label']);
    expect(preview.rows).toHaveLength(5);
  });
});
