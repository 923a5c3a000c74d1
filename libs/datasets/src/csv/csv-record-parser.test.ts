import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDelimited, type CsvRecord, type Delimiter } from './csv-parser';
import { RecordParser } from './csv-record-parser';

const LIMITS = { maxCellLength: 1000, maxColumns: 100 };

/** Feeds `text` in chunks of `size` characters. */
function parseInChunks(text: string, delimiter: Delimiter, size: number, limits = LIMITS): CsvRecord[] {
  const parser = new RecordParser(delimiter, 'f.csv', limits);
  const records: CsvRecord[] = [];
  for (let at = 0; at < text.length; at += size) parser.push(text.slice(at, at + size), (record) => records.push(record));
  parser.end((record) => records.push(record));
  return records;
}

const SAMPLES: [string, Delimiter][] = [
  ['a,b\r\n1,2\n\n3,4\r5,6\n', ','],
  ['a,,c,\n', ','],
  ['a,,c,', ','],
  ['name,text\n"Doe, Jane","She said ""hi""\r\nthen\rleft"\nx,"y"\n', ','],
  ['5"10,a\n', ','],
  ['  a   b\t c  \n"x y"  2 3\n\n   \n4 5 6', 'whitespace'],
  ['a;b\r\n"1;2";3\r\n', ';'],
  ['a\tb\n1\t\n\t2\n', '\t'],
  ['   \n,\n""\n', ','],
];

describe('RecordParser (streaming)', () => {
  it('reads exactly what parseDelimited reads, however the text is cut into chunks', () => {
    for (const [text, delimiter] of SAMPLES) {
      const whole = parseDelimited(text, delimiter, 'f.csv');
      for (let size = 1; size <= text.length; size += 1) {
        expect(parseInChunks(text, delimiter, size), `${JSON.stringify(text)} in chunks of ${size}`).toEqual(whole);
      }
    }
  });

  it('agrees with parseDelimited on any text of delimiters, quotes, blanks and newlines, cut anywhere', () => {
    const outcome = (run: () => CsvRecord[]) => {
      try {
        return { records: run() };
      } catch (error) {
        return { error: (error as Error).message };
      }
    };
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b1', ',', ';', '"', '\n', '\r', ' ', '\t'), { maxLength: 40 }).map((parts) => parts.join('')),
        fc.constantFrom<Delimiter>(',', ';', '\t', 'whitespace'),
        fc.integer({ min: 1, max: 8 }),
        (text, delimiter, size) => {
          expect(outcome(() => parseInChunks(text, delimiter, size))).toEqual(outcome(() => parseDelimited(text, delimiter, 'f.csv')));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reports an unterminated quote and text after a closing quote as parseDelimited does', () => {
    for (const text of ['a,b\n1,2\n3,"oops\n4,5\n', 'a,b\n"x"y,2\n']) {
      let expected: unknown;
      try {
        parseDelimited(text, ',', 'f.csv');
      } catch (error) {
        expected = error;
      }
      for (const size of [1, 3, text.length]) {
        expect(() => parseInChunks(text, ',', size)).toThrow(expect.objectContaining({ message: (expected as Error).message }));
      }
    }
  });

  it('stops at a field longer than the cell cap, before it is all read', () => {
    const parser = new RecordParser(',', 'f.csv', { maxCellLength: 10, maxColumns: 100 });
    const records: CsvRecord[] = [];
    parser.push('a,b\n1,', (record) => records.push(record));
    expect(() => parser.push('x'.repeat(11), () => undefined)).toThrow(
      expect.objectContaining({
        message: 'f.csv: line 2: field 2 is longer than 10 characters (LEPTON_IMPORT_MAX_CELL_LENGTH)',
        line: 2,
        column: 2,
      }),
    );
    // An unterminated quote grows one field: the same cap ends it.
    const quoted = new RecordParser(',', 'f.csv', { maxCellLength: 10, maxColumns: 100 });
    expect(() => quoted.push('"' + 'y\n'.repeat(20), () => undefined)).toThrow(/longer than 10 characters/);
  });

  it('stops at a record with more fields than the column cap', () => {
    expect(() => parseInChunks('a,b,c\n', ',', 2, { maxCellLength: 10, maxColumns: 2 })).toThrow(
      expect.objectContaining({ message: 'f.csv: line 1 has more than 2 fields (LEPTON_IMPORT_MAX_COLUMNS)', line: 1 }),
    );
  });
});
