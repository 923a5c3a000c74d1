import { jsonLimitMessage, jsonLimitViolation } from '@lepton/util';
import { badInput } from './domain-error';

/** Names of projects, models, datasets, users: start alphanumeric, then [A-Za-z0-9._-]. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ALIAS = /^[A-Za-z][A-Za-z0-9_-]*$/;
const TAG = /^[A-Za-z0-9][A-Za-z0-9._:/=-]*$/;
const SHA256 = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** PostgreSQL text cannot hold NUL; jsonb also rejects unpaired UTF-16 surrogates. */
// eslint-disable-next-line no-control-regex -- finding NUL characters is the point
const NUL = /\u0000/;
// eslint-disable-next-line no-control-regex -- finding NUL characters is the point
const UNSTORABLE_IN_JSON = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const LIMITS = {
  name: 128,
  projectName: 64,
  alias: 64,
  description: 10_000,
  tag: 64,
  tags: 50,
  uri: 2048,
  jsonBytes: 64 * 1024,
} as const;

export function validName(value: string, field: string, maxLength: number = LIMITS.name): string {
  if (value.length === 0) throw badInput(`${field} must not be empty`, { field });
  if (value.length > maxLength) throw badInput(`${field} is longer than ${maxLength} characters`, { field });
  if (!NAME.test(value)) {
    throw badInput(`${field} "${value}" may contain only letters, digits, '.', '_' and '-', and must start with a letter or digit`, {
      field,
    });
  }
  return value;
}

export function validAlias(value: string): string {
  if (value.length === 0 || value.length > LIMITS.alias || !ALIAS.test(value)) {
    throw badInput(`alias "${value}" must start with a letter and contain only letters, digits, '_' and '-' (max ${LIMITS.alias})`, {
      field: 'alias',
    });
  }
  // "latest" is computed, never stored, so it cannot be pinned by accident.
  if (value.toLowerCase() === 'latest') throw badInput('alias "latest" is reserved', { field: 'alias' });
  return value;
}

export function validText(value: string | null | undefined, field: string, maxLength: number = LIMITS.description): string {
  const text = value ?? '';
  if (text.length > maxLength) throw badInput(`${field} is longer than ${maxLength} characters`, { field });
  if (NUL.test(text)) throw badInput(`${field} must not contain NUL characters`, { field });
  return text;
}

export function validTags(tags: readonly string[] | null | undefined): string[] {
  const list = tags ?? [];
  if (list.length > LIMITS.tags) throw badInput(`at most ${LIMITS.tags} tags are allowed`, { field: 'tags' });
  for (const tag of list) {
    if (tag.length === 0 || tag.length > LIMITS.tag || !TAG.test(tag)) {
      throw badInput(`tag "${tag}" is invalid (letters, digits and . _ : / = -, max ${LIMITS.tag})`, { field: 'tags' });
    }
  }
  return [...new Set(list)];
}

export function validUri(value: string, field: string): string {
  if (value.length === 0) throw badInput(`${field} must not be empty`, { field });
  if (value.length > LIMITS.uri) throw badInput(`${field} is longer than ${LIMITS.uri} characters`, { field });
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (/[\u0000-\u001f]/.test(value)) throw badInput(`${field} contains control characters`, { field });
  return value;
}

export function validSha256(value: string, field: string): string {
  if (!SHA256.test(value)) throw badInput(`${field} must be 64 lowercase hex characters`, { field });
  return value;
}

export function validUuid(value: string, field: string): string {
  if (!UUID.test(value)) throw badInput(`${field} "${value}" is not a valid id`, { field });
  return value.toLowerCase();
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function validJsonObject(value: unknown, field: string): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw badInput(`${field} must be a JSON object`, { field });
  // Bounded before JSON.stringify, which recurses: depth and size never reach it unchecked.
  const violation = jsonLimitViolation(value);
  if (violation) throw badInput(jsonLimitMessage(field, violation), { field });
  let unstorable = false;
  const json = JSON.stringify(value, (key: string, item: unknown) => {
    if (UNSTORABLE_IN_JSON.test(key) || (typeof item === 'string' && UNSTORABLE_IN_JSON.test(item))) unstorable = true;
    return item;
  });
  if (json.length > LIMITS.jsonBytes) {
    throw badInput(`${field} is larger than ${LIMITS.jsonBytes} bytes`, { field });
  }
  if (unstorable) throw badInput(`${field} must not contain NUL characters or unpaired surrogates`, { field });
  return value as Record<string, unknown>;
}

export function validNonNegativeInt(value: number, field: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw badInput(`${field} must be an integer between 0 and ${max}`, { field });
  }
  return value;
}
