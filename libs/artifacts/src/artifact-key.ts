import { ArtifactKeyError } from './artifact-errors';

export const MAX_ARTIFACT_KEY_LENGTH = 1024;

// A whitelist, not a blacklist: a segment starts with a letter or digit, so `.`, `..`, empty
// segments, absolute paths, `\`, `%`-escapes, `:` (schemes, drive letters) and control characters
// cannot occur, whichever way a key is later decoded or joined.
const SEGMENT = '[A-Za-z0-9][A-Za-z0-9._-]*';
const KEY = new RegExp(`^${SEGMENT}(?:/${SEGMENT})*$`);

/** Returns the key unchanged, or throws ArtifactKeyError. */
export function validateArtifactKey(key: string): string {
  if (typeof key !== 'string') throw new ArtifactKeyError('Artifact key must be a string');
  if (key.length === 0) throw new ArtifactKeyError('Artifact key must not be empty');
  if (key.length > MAX_ARTIFACT_KEY_LENGTH) {
    throw new ArtifactKeyError(`Artifact key is longer than ${MAX_ARTIFACT_KEY_LENGTH} characters`);
  }
  if (!KEY.test(key)) {
    throw new ArtifactKeyError(
      `Artifact key ${preview(key)} must be '/'-separated segments of letters, digits, '.', '_' and '-', ` +
        'each starting with a letter or digit',
    );
  }
  return key;
}

export function isValidArtifactKey(key: string): boolean {
  return typeof key === 'string' && key.length <= MAX_ARTIFACT_KEY_LENGTH && KEY.test(key);
}

/**
 * A folder-like prefix: a key with an optional trailing `/`, or `''` for the whole store when
 * `allowRoot` is set. Returns it without the trailing `/`.
 */
export function validateArtifactPrefix(prefix: string, { allowRoot }: { allowRoot: boolean }): string {
  if (prefix === '' || prefix === '/') {
    if (allowRoot) return '';
    throw new ArtifactKeyError('Refusing to use the whole store as the prefix');
  }
  return validateArtifactKey(typeof prefix === 'string' && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}

/**
 * The key of `uri` when it is `base` followed by a valid key. A plain string comparison is enough
 * because uri() builds `base + key` and valid keys need no escaping, so `%2e%2e`-style tricks
 * simply fail validation.
 */
export function keyUnderBase(uri: string, base: string, store: string): string {
  if (typeof uri !== 'string' || !uri.startsWith(base)) {
    throw new ArtifactKeyError(`${preview(String(uri))} is not a URI of ${store}`);
  }
  return validateArtifactKey(uri.slice(base.length));
}

/** Quoted and shortened for error messages; JSON escapes control characters. */
function preview(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}

/**
 * The top-level folders Lepton writes in an artifact store (uploads, prepared datasets, training
 * checkpoints, models). `npm run db:reset` empties exactly these: a bucket may hold other data.
 */
export const PLATFORM_ARTIFACT_PREFIXES = ['uploads', 'datasets', 'checkpoints', 'models'] as const;
