import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';
import { DatasetImportError } from './dataset-import-error';
import type { InputFile } from './input-files';

const gunzipAsync = promisify(gunzip);

export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The first `length` bytes of a file as stored. */
export async function readHead(path: string, length: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The first `length` bytes of the content, gunzipping on the fly, without inflating the rest. */
export async function readContentHead(file: InputFile, length: number): Promise<Uint8Array> {
  const head = await readHead(file.path, length);
  if (!isGzip(head)) return head;
  const source = createReadStream(file.path);
  const inflater = createGunzip();
  source.pipe(inflater);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= length) break;
    }
  } catch (error) {
    throw gzipError(file, error);
  } finally {
    source.destroy();
    inflater.destroy();
  }
  return Buffer.concat(chunks).subarray(0, length);
}

/** The whole content, gunzipped when it is gzip, refusing to inflate beyond `maxBytes`. */
export async function readContent(file: InputFile, maxBytes: number): Promise<Uint8Array> {
  const bytes = await readFile(file.path);
  if (!isGzip(bytes)) return bytes;
  try {
    return await gunzipAsync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    throw gzipError(file, error, maxBytes);
  }
}

function gzipError(file: InputFile, error: unknown, maxBytes?: number): DatasetImportError {
  if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
    return new DatasetImportError(`decompresses to more than ${maxBytes} bytes`, { file: file.name });
  }
  return new DatasetImportError(`is not a valid gzip file (${(error as Error).message})`, { file: file.name });
}
