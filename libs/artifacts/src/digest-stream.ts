import { createHash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { ArtifactBody } from './artifact-store';

export interface Digest {
  size: number;
  sha256: string;
}

/** Pass-through that measures what flows through it, so bodies are hashed while being stored. */
export class DigestStream extends Transform {
  readonly #hash = createHash('sha256');
  #size = 0;
  #digest: Digest | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    this.#size += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.#digest = { size: this.#size, sha256: this.#hash.digest('hex') };
    callback();
  }

  /** Available once the stream has ended. */
  result(): Digest {
    if (!this.#digest) throw new Error('DigestStream has not finished');
    return this.#digest;
  }
}

export function bodyStream(body: ArtifactBody): NodeJS.ReadableStream {
  if (typeof body === 'string') return Readable.from([Buffer.from(body, 'utf8')]);
  // One chunk: Readable.from(buffer) would iterate it byte by byte.
  if (body instanceof Uint8Array) return Readable.from([body]);
  return body;
}
