export type { ArtifactBody, ArtifactStore, StoredArtifact } from './artifact-store';
export { ArtifactKeyError, ArtifactNotFoundError } from './artifact-errors';
export { validateArtifactKey, PLATFORM_ARTIFACT_PREFIXES } from './artifact-key';
export { createLocalArtifactStore } from './local-artifact-store';
export { createS3ArtifactStore } from './s3-artifact-store';
export type { S3ArtifactStoreOptions } from './s3-artifact-store';
export { createArtifactStoreFromEnv } from './artifact-store-from-env';
