import { describe, expect, it } from 'vitest';
import { parseDelimited } from './csv-parser';

const fields = (text: string, delimiter = ',') =>
  parseDelimited(text, delimiter, 'f.csv').map((record) => record.fields);

describe('parseDelimited', () => {
  it('splits records on LF, CRLF and lone CR and skips blank lines', () => {
    expect(fields('a,b\r\n1,2\n\n3,4\r5,6\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(fields('a,,c,\n')).toEqual([['a', '', 'c', '']]);
  });

  it('reads quoted fields with delimiters, doubled quotes and newlines (RFC 4180)', () => {
    const records = parseDelimited('name,text\n"Doe, Jane","She said ""hi""\nthen left"\nx,"y"\n', ',', 'f.csv');
    expect(records).toEqual([
      { line: 1, fields: ['name', 'text'] },
      { line: 2, fields: ['Doe, Jane', 'She said "hi"\nthen left'] },
      { line: 4, fields: ['x', 'y'] },
    ]);
  });

  it('treats a quote inside an unquoted field as a literal character', () => {
    expect(fields('5"10,a\n')).toEqual([['5"10', 'a']]);
  });

  it('splits on runs of spaces and tabs in whitespace mode, ignoring leading and trailing blanks', () => {
    expect(fields('  a   b\t c  \n"x y"  2 3\n', 'whitespace')).toEqual([
      ['a', 'b', 'c'],
      ['x y', '2', '3'],
    ]);
  });

  it('names the line and field of an unterminated quote', () => {
    expect(() => parseDelimited('a,b\n1,2\n3,"oops\n4,5\n', ',', 'f.csv')).toThrow(
      expect.objectContaining({
        message: 'f.csv: line 3: the quoted value in field 2 is never closed',
        file: 'f.csv',
        line: 3,
        column: 2,
      }),
    );
  });

  it('names the line and field of text after a closing quote', () => {
    expect(() => parseDelimited('a,b\n"x"y,2\n', ',', 'f.csv')).toThrow(
      expect.objectContaining({
        message: 'f.csv: line 2: unexpected "y" after the closing quote of field 1',
        line: 2,
        column: 1,
      }),
    );
  });

  it('stops after maxRecords', () => {
    expect(parseDelimited('a\nb\nc\n', ',', 'f.csv', 2)).toHaveLength(2);
  });
});
