import { CliError } from './api-client';

/**
 * A CSV file with a header row → one object per row, as the predict endpoint takes instances:
 * numeric-looking cells become numbers, empty cells null, everything else strings. RFC 4180
 * quoting ("a, b" and "" for a quote); rows must have as many cells as the header.
 */
export function csvInstances(text: string, delimiter = ','): Record<string, string | number | null>[] {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''), delimiter).filter((row) => !(row.length === 1 && row[0] === ''));
  const [header, ...body] = rows;
  if (!header || header.length === 0)
    throw new CliError('The CSV file is empty: it needs a header row naming the features');
  return body.map((row, index) => {
    if (row.length !== header.length) {
      throw new CliError(`CSV line ${index + 2} has ${row.length} cells; the header has ${header.length}`);
    }
    return Object.fromEntries(header.map((name, column) => [name, cellValue(row[column]!)]));
  });
}

function cellValue(cell: string): string | number | null {
  const trimmed = cell.trim();
  if (trimmed === '') return null;
  const numeric = Number(trimmed);
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed) && Number.isFinite(numeric) ? numeric : cell;
}

function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell === '') quoted = true;
    else if (char === delimiter) {
      row.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
  }
  if (quoted) throw new CliError('The CSV file ends inside a quoted cell');
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
