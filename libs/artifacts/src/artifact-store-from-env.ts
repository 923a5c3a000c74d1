import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArtifactStore } from './artifact-store';
import { createLocalArtifactStore } from './local-artifact-store';
import { createS3ArtifactStore } from './s3-artifact-store';

/** `<repo>/.data`, the same default as the embedded database (libs/db). */
const DEFAULT_DATA_DIR = path.resolve(__dirname, '../../../.data');

/**
 * LEPTON_ARTIFACT_STORE unset → `<LEPTON_DATA_DIR or <repo>/.data>/artifacts`;
 * `s3://bucket/optional/prefix` → S3 (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, AWS_REGION default
 * us-east-1, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, LEPTON_S3_FORCE_PATH_STYLE=true);
 * `file:///abs/dir` or a path → local.
 */
export function createArtifactStoreFromEnv(env: NodeJS.ProcessEnv = process.env): ArtifactStore {
  const location = env['LEPTON_ARTIFACT_STORE']?.trim();
  if (!location) {
    return createLocalArtifactStore(path.join(path.resolve(env['LEPTON_DATA_DIR'] || DEFAULT_DATA_DIR), 'artifacts'));
  }
  if (location.startsWith('s3://')) {
    const [bucket = '', ...prefix] = location.slice('s3://'.length).split('/');
    return createS3ArtifactStore({
      bucket,
      prefix: prefix.join('/'),
      endpoint: env['AWS_ENDPOINT_URL_S3'] || env['AWS_ENDPOINT_URL'] || undefined,
      region: env['AWS_REGION'] || 'us-east-1',
      forcePathStyle: env['LEPTON_S3_FORCE_PATH_STYLE'] === 'true',
      credentials: credentialsFrom(env),
    });
  }
  if (location.startsWith('file:')) return createLocalArtifactStore(fileURLToPath(location));
  if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(location)) {
    throw new Error(
      `LEPTON_ARTIFACT_STORE: unsupported scheme in ${JSON.stringify(location)} (use s3://, file:// or a path)`,
    );
  }
  return createLocalArtifactStore(path.resolve(location));
}

/** Keys from `env` itself, which need not be process.env; unset → the SDK's default chain. */
function credentialsFrom(env: NodeJS.ProcessEnv) {
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, sessionToken: env['AWS_SESSION_TOKEN'] || undefined };
}
