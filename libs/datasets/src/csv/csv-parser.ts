import { DatasetImportError } from '../shared/dataset-import-error';

/** A single delimiter character, or runs of spaces and tabs. */
export type Delimiter = string | 'whitespace';

export interface CsvRecord {
  /** Physical line the record starts on (quoted fields may span lines). */
  line: number;
  fields: string[];
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/**
 * RFC 4180 records: quoted fields may hold delimiters, newlines and doubled quotes; a quote inside
 * an unquoted field is literal. CRLF, LF and lone CR all end a record. Blank lines are skipped.
 */
export function parseDelimited(text: string, delimiter: Delimiter, file: string, maxRecords = Infinity): CsvRecord[] {
  const whitespace = delimiter === 'whitespace';
  const separator = whitespace ? -1 : delimiter.charCodeAt(0);
  const isSeparator = (code: number) => (whitespace ? code === SPACE || code === TAB : code === separator);
  const records: CsvRecord[] = [];
  const length = text.length;
  let i = 0;
  let line = 1;

  const skipBlanks = () => {
    while (i < length && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
  };
  // Consumes a newline at i if there is one; true when the record ends here.
  const endOfRecord = () => {
    if (i >= length) return true;
    const code = text.charCodeAt(i);
    if (code !== LF && code !== CR) return false;
    i += code === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    line++;
    return true;
  };

  while (i < length && records.length < maxRecords) {
    const recordLine = line;
    const fields: string[] = [];
    if (whitespace) skipBlanks();
    for (;;) {
      let value: string;
      if (text.charCodeAt(i) === QUOTE) {
        const openedOn = line;
        value = '';
        let start = ++i;
        for (;;) {
          if (i >= length) {
            throw new DatasetImportError(
              `line ${openedOn}: the quoted value in field ${fields.length + 1} is never closed`,
              { file, line: openedOn, column: fields.length + 1 },
            );
          }
          const code = text.charCodeAt(i);
          if (code === QUOTE) {
            value += text.slice(start, i);
            if (text.charCodeAt(i + 1) !== QUOTE) break;
            value += '"';
            i += 2;
            start = i;
            continue;
          }
          if (code === LF || (code === CR && text.charCodeAt(i + 1) !== LF)) line++;
          i++;
        }
        i++; // closing quote
        const next = text.charCodeAt(i);
        if (i < length && next !== LF && next !== CR && !isSeparator(next)) {
          throw new DatasetImportError(
            `line ${line}: unexpected ${JSON.stringify(text[i])} after the closing quote of field ${fields.length + 1}`,
            { file, line, column: fields.length + 1 },
          );
        }
      } else {
        const start = i;
        while (i < length) {
          const code = text.charCodeAt(i);
          if (code === LF || code === CR || isSeparator(code)) break;
          i++;
        }
        value = text.slice(start, i);
      }
      fields.push(value);
      if (whitespace) skipBlanks();
      else if (i < length && isSeparator(text.charCodeAt(i))) {
        i++;
        continue;
      }
      if (endOfRecord()) break;
    }
    const blank = fields.length === 1 && fields[0]!.trim() === '';
    if (!blank) records.push({ line: recordLine, fields });
  }
  return records;
}
