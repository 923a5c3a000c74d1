/** Delimiters the API's CSV importer detects (README: comma, semicolon, tab, whitespace). */
export const DELIMITERS = [
  { value: ',', label: 'Comma' },
  { value: ';', label: 'Semicolon' },
  { value: '\t', label: 'Tab' },
] as const;

export interface CsvPreview {
  delimiter: string;
  header: string[];
  rows: string[][];
}

/** Splits CSV text into records (RFC 4180 quoting); a trailing record cut off mid-file is dropped. */
export function parseRecords(text: string, delimiter: string, complete: boolean): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 2;
        continue;
      }
      if (char === '"') quoted = false;
      else cell += char;
      index += 1;
      continue;
    }
    if (char === '"' && cell === '') quoted = true;
    else if (char === delimiter) {
      record.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      if (char === '\r' && text[index + 1] === '\n') index += 1;
    } else cell += char;
    index += 1;
  }
  if (complete && (cell !== '' || record.length > 0)) {
    record.push(cell);
    records.push(record);
  }
  return records.filter((fields) => !(fields.length === 1 && fields[0] === ''));
}

/** The delimiter that splits the first lines into the most, equally many, fields. */
export function detectDelimiter(text: string): string {
  const sample = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .slice(0, 20)
    .join('\n');
  let best: { delimiter: string; score: number } = { delimiter: ',', score: -1 };
  for (const { value } of DELIMITERS) {
    const widths = parseRecords(sample, value, true).map((fields) => fields.length);
    if (widths.length === 0) continue;
    const consistent = widths.every((width) => width === widths[0]);
    const score = consistent && widths[0]! > 1 ? widths[0]! : 0;
    if (score > best.score) best = { delimiter: value, score };
  }
  return best.delimiter;
}

/**
 * The first rows of a CSV file for the import preview, from the beginning of the file only (the
 * browser reads a slice, never the whole upload).
 */
export function previewCsv(
  text: string,
  options: { delimiter?: string | undefined; header: boolean; complete: boolean; maxRows?: number },
): CsvPreview {
  const delimiter = options.delimiter || detectDelimiter(text);
  const records = parseRecords(text.replace(/^\uFEFF/, ''), delimiter, options.complete);
  const width = Math.max(0, ...records.slice(0, 50).map((fields) => fields.length));
  const header = options.header
    ? (records[0] ?? [])
    : Array.from({ length: width }, (_, index) => `column ${index + 1}`);
  const body = options.header ? records.slice(1) : records;
  return { delimiter, header, rows: body.slice(0, options.maxRows ?? 10) };
}
