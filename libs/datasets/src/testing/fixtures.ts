import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import tar from 'tar-stream';

/** Writes relative path → content under root, creating folders. */
export async function writeTree(root: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
}

/** An unsigned-byte IDX file: magic 0x0000080n, big-endian dimensions, then the data. */
export function idxFile(dims: number[], data: ArrayLike<number>): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint32(0, 0x0800 + dims.length, false);
  dims.forEach((size, index) => header.setUint32(4 + 4 * index, size, false));
  return Buffer.concat([new Uint8Array(header.buffer), Uint8Array.from(data)]);
}

/** One CIFAR-10 record: label byte, then the red, green and blue 32×32 planes. */
export function cifarRecord(label: number, pixel: (x: number, y: number, channel: number) => number): Uint8Array {
  const record = new Uint8Array(3073);
  record[0] = label;
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) record[1 + c * 1024 + y * 32 + x] = pixel(x, y, c);
  }
  return record;
}

/** A PNG from RGBA pixels; colorType 0 grayscale, 2 RGB, 4 gray+alpha, 6 RGBA. */
export function pngFile(
  width: number,
  height: number,
  rgba: (x: number, y: number) => number[],
  colorType: 0 | 2 | 4 | 6,
): Uint8Array {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) png.data.set(rgba(x, y), (y * width + x) * 4);
  }
  return PNG.sync.write(png, { colorType, inputColorType: 6 });
}

export function jpegFile(width: number, height: number, rgb: (x: number, y: number) => number[]): Uint8Array {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([...rgb(x, y), 255], (y * width + x) * 4);
  }
  return jpeg.encode({ width, height, data }, 95).data;
}

export interface TarEntry {
  name: string;
  content?: string | Uint8Array;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  linkname?: string;
}

export async function tarFile(entries: TarEntry[], gzip: boolean): Promise<Uint8Array> {
  const pack = tar.pack();
  for (const { name, content = '', type = 'file', linkname } of entries) {
    const body = Buffer.from(content);
    if (type === 'file') pack.entry({ name, type, size: body.length }, body);
    else pack.entry({ name, type, linkname });
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  return gzip ? gzipSync(bytes) : bytes;
}

/**
 * An 8×8 single-component (grayscale) baseline JPEG of uniform value 128, assembled by hand because
 * jpeg-js only encodes colour: quantisation of 1s, one-code Huffman tables, and a scan holding one
 * block with DC difference 0 followed by end-of-block.
 */
export function grayJpegFile(): Uint8Array {
  const oneCodeTable = (tableClass: number) => [0xff, 0xc4, 0, 20, tableClass, 1, ...new Array<number>(15).fill(0), 0];
  return Uint8Array.from([
    ...[0xff, 0xd8],
    ...[0xff, 0xdb, 0, 67, 0, ...new Array<number>(64).fill(1)],
    ...[0xff, 0xc0, 0, 11, 8, 0, 8, 0, 8, 1, 1, 0x11, 0],
    ...oneCodeTable(0x00),
    ...oneCodeTable(0x10),
    ...[0xff, 0xda, 0, 8, 1, 1, 0x00, 0, 63, 0],
    0x3f,
    ...[0xff, 0xd9],
  ]);
}
