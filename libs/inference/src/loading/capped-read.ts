import { createWriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { invalidModel } from '../inference-error';

/** Fails the stream as soon as more than `maxBytes` pass: an oversized artifact is never read whole. */
function byteCap(maxBytes: number, what: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(invalidModel(`${what} is larger than the ${maxBytes} bytes expected`));
      else done(null, chunk);
    },
  });
}

/** Reads at most `maxBytes` of `source` into memory. */
export async function readCapped(source: NodeJS.ReadableStream, maxBytes: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(source as Readable, byteCap(maxBytes, what), async function (stream: AsyncIterable<Buffer>) {
    for await (const chunk of stream) chunks.push(chunk);
  });
  return Buffer.concat(chunks);
}

/** Streams at most `maxBytes` of `source` into a new file (`wx`: never over an existing one); returns its size. */
export async function saveCapped(
  source: NodeJS.ReadableStream,
  file: string,
  maxBytes: number,
  what: string,
): Promise<number> {
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(
    source as Readable,
    byteCap(maxBytes, what),
    counter,
    createWriteStream(file, { flags: 'wx', mode: 0o600 }),
  );
  return size;
}
