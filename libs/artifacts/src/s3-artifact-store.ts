import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  type CompletedPart,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { ArtifactKeyError, ArtifactNotFoundError } from './artifact-errors';
import { isValidArtifactKey, keyUnderBase, validateArtifactKey, validateArtifactPrefix } from './artifact-key';
import type { ArtifactBody, ArtifactStore, StoredArtifact } from './artifact-store';
import { bodyStream, DigestStream } from './digest-stream';
import { putFile, saveStream } from './file-transfer';

export interface S3ArtifactStoreOptions {
  bucket: string;
  /** Folder inside the bucket, e.g. `lepton/artifacts`. */
  prefix?: string;
  /** For S3-compatible services (MinIO, R2, …). */
  endpoint?: string;
  /** Unset: the AWS SDK's own lookup (AWS_REGION, config files). */
  region?: string;
  forcePathStyle?: boolean;
  /** Unset: the AWS SDK's default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/**
 * Bodies are uploaded in parts of this size, holding at most two in memory (one uploading, one
 * filling). S3 allows 10,000 parts, so one artifact can be up to ~78 GiB.
 */
const PART_SIZE = 8 * 1024 * 1024;
/** DeleteObjects accepts at most 1,000 keys per request. */
const DELETE_BATCH = 1000;
/** S3's limit, in UTF-8 bytes; keys are ASCII, so characters. */
const MAX_OBJECT_KEY_LENGTH = 1024;
/** S3 bucket naming rules; anything else would make s3:// URIs ambiguous. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function createS3ArtifactStore(options: S3ArtifactStoreOptions): ArtifactStore {
  return new S3ArtifactStore(options);
}

class S3ArtifactStore implements ArtifactStore {
  readonly kind = 's3';
  readonly #client: S3Client;
  readonly #bucket: string;
  /** `''` or a valid key followed by `/`. */
  readonly #prefix: string;
  readonly #uriBase: string;

  constructor({ bucket, prefix = '', endpoint, region, forcePathStyle, credentials }: S3ArtifactStoreOptions) {
    if (!BUCKET.test(bucket)) throw new Error(`Invalid S3 bucket name ${JSON.stringify(bucket)}`);
    const folder = prefix.replace(/^\/+|\/+$/g, '');
    this.#bucket = bucket;
    this.#prefix = folder === '' ? '' : `${validateArtifactKey(folder)}/`;
    this.#uriBase = `s3://${bucket}/${this.#prefix}`;
    this.#client = new S3Client({ endpoint, region, forcePathStyle, credentials });
  }

  async put(key: string, body: ArtifactBody): Promise<StoredArtifact> {
    const objectKey = this.#objectKey(key);
    const digest = new DigestStream();
    await pipeline(bodyStream(body), digest, (chunks: AsyncIterable<Buffer>) =>
      this.#upload(objectKey, inParts(chunks, PART_SIZE)),
    );
    return { key, uri: this.uri(key), ...digest.result() };
  }

  putFile(key: string, file: string): Promise<StoredArtifact> {
    return putFile(this, key, file);
  }

  async get(key: string): Promise<Buffer> {
    return buffer(await this.#getObject(key));
  }

  getStream(key: string): Promise<NodeJS.ReadableStream> {
    return this.#getObject(key);
  }

  async download(key: string, file: string): Promise<void> {
    await saveStream(await this.#getObject(key), file);
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#objectKey(key) }));
      return true;
    } catch (error) {
      if (isS3Error(error, 'NotFound')) return false;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const folder = validateArtifactPrefix(prefix, { allowRoot: true });
    const keys: string[] = [];
    for await (const objectKey of this.#objectKeysUnder(folder)) {
      const key = objectKey.slice(this.#prefix.length);
      // Objects written by other tools may have names no key can have; get() could not reach them.
      if (isValidArtifactKey(key)) keys.push(key);
    }
    return keys.sort();
  }

  async deletePrefix(prefix: string): Promise<void> {
    const folder = validateArtifactPrefix(prefix, { allowRoot: false });
    // Listed in full first: deleting while paging could skip objects.
    const objectKeys: string[] = [];
    for await (const objectKey of this.#objectKeysUnder(folder)) objectKeys.push(objectKey);
    for (let start = 0; start < objectKeys.length; start += DELETE_BATCH) {
      const batch = objectKeys.slice(start, start + DELETE_BATCH);
      const { Errors = [] } = await this.#client.send(
        new DeleteObjectsCommand({
          Bucket: this.#bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const [first] = Errors;
      if (first) {
        throw new Error(`Could not delete ${Errors.length} objects under "${folder}": ${first.Code} ${first.Message}`);
      }
    }
  }

  uri(key: string): string {
    return this.#uriBase + validateArtifactKey(key);
  }

  keyFromUri(uri: string): string {
    return keyUnderBase(uri, this.#uriBase, `the S3 artifact store at ${this.#uriBase}`);
  }

  #objectKey(key: string): string {
    const objectKey = this.#prefix + validateArtifactKey(key);
    if (objectKey.length > MAX_OBJECT_KEY_LENGTH) {
      throw new ArtifactKeyError(
        `Artifact key is too long: with the prefix "${this.#prefix}" it would exceed S3's ${MAX_OBJECT_KEY_LENGTH}-byte key limit`,
      );
    }
    return objectKey;
  }

  async *#objectKeysUnder(folder: string): AsyncGenerator<string> {
    const Prefix = this.#prefix + (folder === '' ? '' : `${folder}/`);
    for await (const page of paginateListObjectsV2({ client: this.#client }, { Bucket: this.#bucket, Prefix })) {
      for (const object of page.Contents ?? []) if (object.Key !== undefined) yield object.Key;
    }
  }

  async #getObject(key: string): Promise<Readable> {
    const Key = this.#objectKey(key);
    let body: unknown;
    try {
      body = (await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key }))).Body;
    } catch (error) {
      if (isS3Error(error, 'NoSuchKey')) throw new ArtifactNotFoundError(key);
      throw error;
    }
    if (!(body instanceof Readable)) throw new Error(`S3 returned no readable body for "${Key}"`);
    return body;
  }

  /** A single PutObject when the body fits in one part, otherwise a multipart upload. */
  async #upload(Key: string, parts: AsyncIterable<Buffer>): Promise<void> {
    const Bucket = this.#bucket;
    const completed: CompletedPart[] = [];
    let uploadId: string | undefined;
    const uploadPart = async (Body: Buffer) => {
      if (uploadId === undefined) {
        uploadId = (await this.#client.send(new CreateMultipartUploadCommand({ Bucket, Key }))).UploadId;
        if (uploadId === undefined) throw new Error(`S3 returned no upload id for "${Key}"`);
      }
      const PartNumber = completed.length + 1;
      const { ETag } = await this.#client.send(
        new UploadPartCommand({ Bucket, Key, UploadId: uploadId, PartNumber, Body }),
      );
      completed.push({ PartNumber, ETag });
    };

    let pending: Buffer | undefined;
    try {
      for await (const part of parts) {
        if (pending) await uploadPart(pending);
        pending = part;
      }
      if (uploadId === undefined) {
        await this.#client.send(new PutObjectCommand({ Bucket, Key, Body: pending ?? Buffer.alloc(0) }));
        return;
      }
      await uploadPart(pending!);
      await this.#client.send(
        new CompleteMultipartUploadCommand({ Bucket, Key, UploadId: uploadId, MultipartUpload: { Parts: completed } }),
      );
    } catch (error) {
      // Best effort: the object was never completed, so nothing is visible; this frees the parts.
      if (uploadId !== undefined) {
        await this.#client
          .send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId: uploadId }))
          .catch(() => undefined);
      }
      throw error;
    }
  }
}

/** Re-chunks a byte stream into `size`-byte parts (the last one shorter). */
async function* inParts(chunks: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let buffered: Buffer[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    buffered.push(chunk);
    length += chunk.length;
    while (length >= size) {
      const joined = Buffer.concat(buffered, length);
      yield joined.subarray(0, size);
      buffered = [joined.subarray(size)];
      length -= size;
    }
  }
  if (length > 0) yield Buffer.concat(buffered, length);
}

function isS3Error(error: unknown, name: string): boolean {
  return error instanceof S3ServiceException && error.name === name;
}
