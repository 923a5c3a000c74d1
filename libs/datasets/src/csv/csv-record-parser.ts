import { DatasetImportError } from '../shared/dataset-import-error';
import type { CsvRecord, Delimiter } from './csv-parser';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

const enum State {
  /** At the start of a field (or, in whitespace mode, of a record). */
  FieldStart,
  Unquoted,
  Quoted,
  /** Saw a quote inside a quoted field: a second one is a literal quote, anything else closes it. */
  QuoteInQuoted,
  /** After a closed quoted field: only a delimiter or the end of the record may follow. */
  AfterQuoted,
  /** Whitespace mode: between fields, in a run of blanks. */
  BetweenFields,
}

export interface RecordParserLimits {
  /** Characters in one field. */
  maxCellLength: number;
  /** Fields in one record. */
  maxColumns: number;
}

/**
 * parseDelimited's grammar (RFC 4180 quoting, CRLF/LF/CR, blank lines skipped) fed text chunk by
 * chunk: a record is handed on once complete and nothing else is kept, so memory is one record
 * whatever the file's size. The caps are checked while a field grows, so a file without a single
 * newline or closing quote stops at the cap instead of filling memory.
 */
export class RecordParser {
  private readonly whitespace: boolean;
  private readonly separator: number;
  private state = State.FieldStart;
  private fields: string[] = [];
  private field = '';
  private line = 1;
  private recordLine = 1;
  private quoteOpenedOn = 1;
  /** The last chunk ended in CR: a LF that starts the next one belongs to it. */
  private pendingCr = false;
  /** Inside a quoted value, the previous character was CR. */
  private crInQuoted = false;

  constructor(
    delimiter: Delimiter,
    private readonly file: string,
    private readonly limits: RecordParserLimits,
  ) {
    this.whitespace = delimiter === 'whitespace';
    this.separator = this.whitespace ? -1 : delimiter.charCodeAt(0);
  }

  /** Parses `text`, calling `onRecord` for every record it completes. */
  push(text: string, onRecord: (record: CsvRecord) => void): void {
    let start = 0;
    let i = 0;
    const length = text.length;
    if (this.pendingCr) {
      this.pendingCr = false;
      if (length > 0 && text.charCodeAt(0) === LF) i = start = 1;
    }
    while (i < length) {
      const code = text.charCodeAt(i);
      switch (this.state) {
        case State.FieldStart:
          if (this.whitespace && (code === SPACE || code === TAB)) {
            i++;
            start = i;
            continue;
          }
          if (code === QUOTE) {
            this.state = State.Quoted;
            this.quoteOpenedOn = this.line;
            this.crInQuoted = false;
            i++;
            start = i;
            continue;
          }
          this.state = State.Unquoted;
          start = i;
          continue;
        case State.Unquoted: {
          // The hot loop: scan to the end of the field within this chunk.
          while (i < length) {
            const c = text.charCodeAt(i);
            if (c === LF || c === CR || this.isSeparator(c)) break;
            i++;
          }
          this.appendField(text, start, i);
          if (i >= length) continue;
          const c = text.charCodeAt(i);
          this.endField();
          if (c === LF || c === CR) {
            i = this.newline(text, i);
            this.endRecord(onRecord);
          } else {
            i++;
            this.state = this.whitespace ? State.BetweenFields : State.FieldStart;
          }
          start = i;
          continue;
        }
        case State.Quoted: {
          while (i < length) {
            const c = text.charCodeAt(i);
            if (c === QUOTE) break;
            // A CRLF inside the value is one line, also when a chunk ends between the two.
            if (c === CR || (c === LF && !this.crInQuoted)) this.line++;
            this.crInQuoted = c === CR;
            i++;
          }
          this.appendField(text, start, i);
          if (i >= length) continue;
          this.state = State.QuoteInQuoted;
          i++;
          start = i;
          continue;
        }
        case State.QuoteInQuoted:
          if (code === QUOTE) {
            this.appendField('"', 0, 1);
            this.state = State.Quoted;
            i++;
            start = i;
            continue;
          }
          this.state = State.AfterQuoted;
          continue;
        case State.AfterQuoted:
          this.endField();
          if (code === LF || code === CR) {
            i = this.newline(text, i);
            this.endRecord(onRecord);
          } else if (this.isSeparator(code)) {
            i++;
            this.state = this.whitespace ? State.BetweenFields : State.FieldStart;
          } else {
            throw new DatasetImportError(
              `line ${this.line}: unexpected ${JSON.stringify(text[i])} after the closing quote of field ${this.fields.length}`,
              { file: this.file, line: this.line, column: this.fields.length },
            );
          }
          start = i;
          continue;
        case State.BetweenFields:
          if (code === SPACE || code === TAB) {
            i++;
            start = i;
            continue;
          }
          if (code === LF || code === CR) {
            i = this.newline(text, i);
            this.endRecord(onRecord);
            start = i;
            continue;
          }
          this.state = State.FieldStart;
          continue;
      }
    }
  }

  /** The end of the input: completes the last record (one without a final newline). */
  end(onRecord: (record: CsvRecord) => void): void {
    switch (this.state) {
      case State.Quoted:
        throw new DatasetImportError(
          `line ${this.quoteOpenedOn}: the quoted value in field ${this.fields.length + 1} is never closed`,
          { file: this.file, line: this.quoteOpenedOn, column: this.fields.length + 1 },
        );
      case State.Unquoted:
      case State.QuoteInQuoted:
      case State.AfterQuoted:
        this.endField();
        this.endRecord(onRecord);
        return;
      case State.FieldStart:
        // "a,b," ends with an empty last field; a record that never started has none.
        if (this.fields.length > 0) {
          this.endField();
          this.endRecord(onRecord);
        }
        return;
      case State.BetweenFields:
        this.endRecord(onRecord);
    }
  }

  private isSeparator(code: number): boolean {
    return this.whitespace ? code === SPACE || code === TAB : code === this.separator;
  }

  /** Consumes the newline at `i` (CRLF as one, also across chunks); returns the index after it. */
  private newline(text: string, i: number): number {
    this.line++;
    if (text.charCodeAt(i) === CR) {
      if (i + 1 >= text.length) {
        this.pendingCr = true;
        return i + 1;
      }
      if (text.charCodeAt(i + 1) === LF) return i + 2;
    }
    return i + 1;
  }

  private appendField(text: string, from: number, to: number): void {
    if (to <= from) return;
    if (this.field.length + (to - from) > this.limits.maxCellLength) {
      const column = this.fields.length + 1;
      throw new DatasetImportError(
        `line ${this.recordLine}: field ${column} is longer than ${this.limits.maxCellLength} characters (LEPTON_IMPORT_MAX_CELL_LENGTH)`,
        { file: this.file, line: this.recordLine, column },
      );
    }
    this.field += text.slice(from, to);
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    if (this.fields.length > this.limits.maxColumns) {
      throw new DatasetImportError(
        `line ${this.recordLine} has more than ${this.limits.maxColumns} fields (LEPTON_IMPORT_MAX_COLUMNS)`,
        { file: this.file, line: this.recordLine },
      );
    }
  }

  private endRecord(onRecord: (record: CsvRecord) => void): void {
    const fields = this.fields;
    const line = this.recordLine;
    this.fields = [];
    this.state = State.FieldStart;
    this.recordLine = this.line;
    const blank = fields.length === 1 && fields[0]!.trim() === '';
    if (!blank) onRecord({ line, fields });
  }
}
