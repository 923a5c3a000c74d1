import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'lep_';
/** Never fewer than 32 random bytes. */
const TOKEN_BYTES = 32;
export const MIN_TOKEN_LENGTH = 32;

/** `prefix` tells token kinds apart: `lep_` API tokens, `lepd_` deployment invoke keys. */
export function generateToken(prefix = PREFIX): string {
  return prefix + randomBytes(TOKEN_BYTES).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** What is shown in listings so people can tell tokens apart without seeing them. */
export function displayPrefix(token: string): string {
  return token.slice(0, 10);
}

export function bearerToken(authorization: string | undefined | null): string | null {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1] ?? null;
}
