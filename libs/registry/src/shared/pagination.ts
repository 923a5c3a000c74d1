import { badInput } from './domain-error';
import { isUuid } from './validation';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface PageRequest {
  first?: number | null;
  after?: string | null;
}

export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
  cursorOf(node: T): string;
}

export function pageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, { field: 'first' });
  }
  return size;
}

/** Cursors are opaque to clients: base64url of the sort key. */
export function encodeCursor(key: string | number): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T extends string | number>(cursor: string | null | undefined, kind: 'string' | 'number'): T | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Only what encodeCursor could have produced: names (never containing NUL) or 32-bit version numbers.
    if (kind === 'string' && typeof key === 'string' && !key.includes('\u0000')) return key as T;
    if (kind === 'number' && typeof key === 'number' && Number.isInteger(key) && Math.abs(key) <= 2_147_483_647) return key as T;
  } catch {
    // fall through to the error below
  }
  throw badInput('after is not a cursor returned by this list', { field: 'after' });
}

/** Cursors over bigint ids (audit and deployment events, request log): the id's digits. */
export function decodeBigIntCursor(after: string | null | undefined): bigint | undefined {
  const cursor = decodeCursor<string>(after, 'string');
  if (cursor === undefined) return undefined;
  // A longer digit string would overflow the column type.
  if (!/^\d{1,19}$/.test(cursor) || BigInt(cursor) > 9_223_372_036_854_775_807n) {
    throw badInput('after is not a cursor returned by this list', { field: 'after' });
  }
  return BigInt(cursor);
}

/** Builds a page from `size + 1` fetched rows: the extra row only proves there is a next page. */
export function toPage<T>(rows: T[], size: number, key: (row: T) => string | number): Page<T> {
  return {
    nodes: rows.slice(0, size),
    hasNextPage: rows.length > size,
    cursorOf: (node) => encodeCursor(key(node)),
  };
}

/** Lists sorted by (createdAt, id), newest first: the cursor is `toISOString()|uuid`. */
export function decodeTimeIdCursor(after: string | null | undefined): { createdAt: Date; id: string } | undefined {
  const cursor = decodeCursor<string>(after, 'string');
  if (cursor === undefined) return undefined;
  const [iso, id] = cursor.split('|');
  const createdAt = new Date(iso ?? '');
  // Only what these lists encode: anything else would reach SQL as an invalid uuid or date.
  const encoded = !!id && isUuid(id) && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(iso ?? '');
  if (!encoded || Number.isNaN(createdAt.getTime())) throw badInput('after is not a cursor returned by this list', { field: 'after' });
  return { createdAt, id };
}

export const timeIdKey = (row: { createdAt: Date; id: string }) => `${row.createdAt.toISOString()}|${row.id}`;
