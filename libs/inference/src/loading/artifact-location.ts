import { ArtifactKeyError, type ArtifactStore } from '@lepton/artifacts';
import { InferenceError } from '../inference-error';

const MAX_URI_LENGTH = 2048;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const STORE_SCHEMES: Record<ArtifactStore['kind'], string> = { local: 'file', s3: 's3' };

function outside(uri: string, why: string): InferenceError {
  const shown = JSON.stringify(uri.length > 120 ? `${uri.slice(0, 120)}…` : uri);
  return new InferenceError('MODEL_OUTSIDE_STORE', `${shown} is not loadable: ${why}`);
}

/** Decodes %XX escapes repeatedly (double encoding included); an invalid escape counts as a refusal. */
function fullyDecoded(uri: string): string | null {
  let current = uri;
  for (let round = 0; round < 5; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) return current;
    current = next;
  }
  return null;
}

/**
 * The artifact-store key a version's `artifactUri` (or a dataset's `storageUri`) names, checked again at load
 * time whatever the API accepted when it was registered: the URI must be one this store made (its scheme, its
 * root or bucket and prefix), followed by a valid key. Refused, each with its own reason: other schemes
 * (`http(s)://`, another store kind), other roots or buckets, `.`/`..` segments, backslashes and control
 * characters, also when percent-encoded. The store then re-checks the key on every read (a local store
 * also refuses symlinks that leave its root).
 */
export function artifactKeyOf(store: ArtifactStore, uri: unknown): string {
  if (typeof uri !== 'string' || uri.length === 0) throw outside(String(uri), 'it is not a URI');
  if (uri.length > MAX_URI_LENGTH) throw outside(uri, `it is longer than ${MAX_URI_LENGTH} characters`);
  const scheme = SCHEME.exec(uri)?.[1]?.toLowerCase();
  const expected = STORE_SCHEMES[store.kind];
  if (scheme !== expected) {
    throw outside(
      uri,
      `models load only from the platform's artifact store (${expected}://…), not ${scheme ? `${scheme}://` : 'a bare path'}`,
    );
  }
  const decoded = fullyDecoded(uri);
  if (decoded === null) throw outside(uri, 'it has invalid or nested percent-encoding');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(decoded)) throw outside(uri, 'it has control characters or backslashes');
  if (decoded.split('/').some((segment) => segment === '..' || segment === '.')) {
    throw outside(uri, "it has '.' or '..' segments");
  }
  try {
    return store.keyFromUri(uri);
  } catch (error) {
    if (error instanceof ArtifactKeyError)
      throw outside(uri, `it is outside the artifact store root (${error.message})`);
    throw error;
  }
}
