export interface StoredArtifact {
  key: string;
  uri: string;
  size: number;
  /** Lowercase hex SHA-256 of the stored bytes. */
  sha256: string;
}

export type ArtifactBody = Buffer | Uint8Array | string | NodeJS.ReadableStream;

/**
 * Datasets, checkpoints and models by key (see validateArtifactKey). Writes are all-or-nothing:
 * a key shows either its previous content or the complete new one.
 */
export interface ArtifactStore {
  readonly kind: 'local' | 's3';
  /** Streams the body to storage, computing sha256 and size on the way. */
  put(key: string, body: ArtifactBody): Promise<StoredArtifact>;
  putFile(key: string, path: string): Promise<StoredArtifact>;
  get(key: string): Promise<Buffer>;
  getStream(key: string): Promise<NodeJS.ReadableStream>;
  /** Writes the artifact to `path` (creating its folder) atomically. */
  download(key: string, path: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Keys under `prefix` treated as a folder (`''` for all), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Deletes everything under `prefix` treated as a folder; the whole store (`''`) is refused. */
  deletePrefix(prefix: string): Promise<void>;
  /** local: `file:///abs/path`; s3: `s3://bucket/prefix/key`. */
  uri(key: string): string;
  /** Inverse of uri(); URIs of another store or root throw ArtifactKeyError. */
  keyFromUri(uri: string): string;
}
