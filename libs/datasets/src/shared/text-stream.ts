import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { createGunzip } from 'node:zlib';
import { RATIO_FLOOR_BYTES } from '../archive/extraction-budget';
import type { ImportLimits } from '../import/import-limits';
import { DatasetImportError } from './dataset-import-error';
import { isGzip, readHead } from './gzip';
import type { InputFile } from './input-files';

const CHUNK_BYTES = 256 * 1024;
/** NUL never occurs in text; a NUL this early means an image, a zip or the like uploaded as text. */
const BINARY_SNIFF_BYTES = 8192;

export interface TextStreamOptions {
  limits: Pick<ImportLimits, 'maxBytes' | 'maxCompressionRatio'>;
  /** 0..1: the share of the file (as stored) read so far. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/**
 * The file's text, chunk by chunk: gunzipped on the fly when it is gzip, decoded as UTF-8 (a
 * character split between chunks is kept for the next one), never more than one chunk in memory.
 * Stops with a DatasetImportError at the first byte past LEPTON_IMPORT_MAX_BYTES or the compression
 * ratio, and at a binary or non-UTF-8 file.
 */
export async function* readTextChunks(file: InputFile, options: TextStreamOptions): AsyncGenerator<string> {
  const storedBytes = (await stat(file.path)).size;
  const gzip = isGzip(await readHead(file.path, 2));
  const source = createReadStream(file.path, { highWaterMark: CHUNK_BYTES });
  const inflater = gzip ? createGunzip({ chunkSize: CHUNK_BYTES }) : null;
  const content: Readable = inflater ? source.pipe(inflater) : source;
  if (inflater) source.on('error', (error) => inflater.destroy(error));
  const { maxBytes, maxCompressionRatio } = options.limits;
  const maxExpanded = gzip ? Math.max(RATIO_FLOOR_BYTES, maxCompressionRatio * storedBytes) : Infinity;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  try {
    for await (const chunk of iterate(content, file, gzip)) {
      if (options.signal?.aborted) throw new Error('the import was stopped (the worker is shutting down)');
      if (bytes < BINARY_SNIFF_BYTES && chunk.subarray(0, BINARY_SNIFF_BYTES - bytes).includes(0)) {
        throw new DatasetImportError('is a binary file, not delimited text', { file: file.name });
      }
      bytes += chunk.length;
      if (bytes > maxBytes) {
        throw new DatasetImportError(
          `${gzip ? 'decompresses to' : 'has'} more than ${maxBytes} bytes (LEPTON_IMPORT_MAX_BYTES)`,
          { file: file.name },
        );
      }
      if (bytes > maxExpanded) {
        throw new DatasetImportError(
          `expands more than ${maxCompressionRatio} times its ${storedBytes} compressed bytes, as a decompression bomb does ` +
            '(LEPTON_IMPORT_MAX_COMPRESSION_RATIO; raise it if this is real data)',
          { file: file.name },
        );
      }
      options.onProgress?.(storedBytes === 0 ? 1 : Math.min(1, source.bytesRead / storedBytes));
      yield decode(decoder, chunk, file);
    }
    const rest = decode(decoder, undefined, file);
    if (rest) yield rest;
  } finally {
    source.destroy();
    inflater?.destroy();
  }
}

async function* iterate(content: Readable, file: InputFile, gzip: boolean): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of content as AsyncIterable<Buffer>) yield chunk;
  } catch (error) {
    if (error instanceof DatasetImportError || !gzip) throw error;
    throw new DatasetImportError(`is not a valid gzip file (${(error as Error).message})`, { file: file.name });
  }
}

function decode(decoder: TextDecoder, chunk: Buffer | undefined, file: InputFile): string {
  try {
    return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
  } catch {
    throw new DatasetImportError('is not UTF-8 text; save it as UTF-8 and upload it again', { file: file.name });
  }
}
