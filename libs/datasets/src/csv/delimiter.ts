import { DatasetImportError } from '../shared/dataset-import-error';
import { parseDelimited, type Delimiter } from './csv-parser';

// Order breaks ties: "1, 2, 3" splits evenly on commas and on spaces, and means commas.
const CANDIDATES: Delimiter[] = ['\t', ',', ';', 'whitespace'];
const SAMPLE_RECORDS = 200;

/**
 * Picks the candidate that splits the first records most consistently into at least two fields:
 * highest share of records with the most common field count, then most fields, then CANDIDATES order.
 * A stray ragged row therefore does not derail detection; it is reported by the real parse.
 */
export function detectDelimiter(text: string, file: string): Delimiter {
  let best: { delimiter: Delimiter; share: number; fields: number } | undefined;
  for (const delimiter of CANDIDATES) {
    let records;
    try {
      records = parseDelimited(text, delimiter, file, SAMPLE_RECORDS);
    } catch (error) {
      if (error instanceof DatasetImportError) continue;
      throw error;
    }
    const { value: fields, count } = mostCommon(records.map((record) => record.fields.length));
    if (fields < 2) continue;
    const share = count / records.length;
    if (!best || share > best.share || (share === best.share && fields > best.fields)) {
      best = { delimiter, share, fields };
    }
  }
  // With no better evidence the file has one column; the importer then reports that clearly.
  return best?.delimiter ?? ',';
}

const NAMED = new Map<string, Delimiter>([
  ['tab', '\t'],
  ['\\t', '\t'],
  ['whitespace', 'whitespace'],
  ['space', 'whitespace'],
  [' ', 'whitespace'],
]);

/** Accepts any single character except quotes and newlines, 'tab', '\t', or ' ' / 'whitespace' / 'space' for runs of blanks. */
export function parseDelimiterOption(option: string): Delimiter {
  const named = NAMED.get(option.toLowerCase());
  if (named) return named;
  if (option.length === 1 && !'"\r\n'.includes(option)) return option;
  throw new DatasetImportError(
    `delimiter ${JSON.stringify(option)} is not supported: use one character (not a quote or newline), 'tab' or 'whitespace'`,
  );
}

export function describeDelimiter(delimiter: Delimiter): string {
  return delimiter === '\t' ? 'tab' : delimiter;
}

function mostCommon(values: number[]): { value: number; count: number } {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best = { value: 0, count: 0 };
  for (const [value, count] of counts) {
    if (count > best.count || (count === best.count && value > best.value)) best = { value, count };
  }
  return best;
}
