import jpeg from 'jpeg-js';
import { PNG, type PNGWithMetadata } from 'pngjs';
import { DatasetImportError } from '../shared/dataset-import-error';

export interface DecodedImage {
  width: number;
  height: number;
  /** 1 for grayscale, 3 for colour; alpha is dropped. */
  channels: 1 | 3;
  /** height × width × channels bytes. */
  data: Uint8Array;
}

// Far above any training image, and small enough that one crafted file cannot exhaust memory.
const MAX_PIXELS = 4096 * 4096;

export function isPng(bytes: Uint8Array): boolean {
  return bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
}

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** PNG or JPEG, told apart by content, as 8-bit grayscale or RGB. */
export function decodeImage(bytes: Uint8Array, file: string): DecodedImage {
  if (isPng(bytes)) return decodePng(bytes, file);
  if (isJpeg(bytes)) return decodeJpeg(bytes, file);
  throw new DatasetImportError('is neither a PNG nor a JPEG image', { file });
}

function decodePng(bytes: Uint8Array, file: string): DecodedImage {
  // IHDR is always the first chunk: width and height at bytes 16..24.
  if (bytes.length >= 24) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, 24);
    checkSize(view.getUint32(16, false), view.getUint32(20, false), file);
  }
  let png: PNGWithMetadata;
  try {
    // pngjs rescales 16-bit samples to 8 bits and expands palettes; the output is always RGBA.
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new DatasetImportError(`is not a readable PNG (${(error as Error).message})`, { file });
  }
  return fromInterleaved(png.data, png.width, png.height, 4, png.color ? 3 : 1);
}

function decodeJpeg(bytes: Uint8Array, file: string): DecodedImage {
  const components = jpegComponents(bytes);
  let image: { width: number; height: number; data: Uint8Array };
  try {
    image = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: MAX_PIXELS / 1e6,
      maxMemoryUsageInMB: 512,
    });
  } catch (error) {
    throw new DatasetImportError(`is not a readable JPEG (${(error as Error).message})`, { file });
  }
  checkSize(image.width, image.height, file);
  return fromInterleaved(image.data, image.width, image.height, 3, components === 1 ? 1 : 3);
}

interface JpegFrame {
  height: number;
  width: number;
  components: number;
}

/** The frame header (SOFn): size and number of colour components, so grayscale JPEGs stay one channel. */
function jpegFrame(bytes: Uint8Array): JpegFrame | null {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset++; // fill byte
      continue;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      const height = (bytes[offset + 5]! << 8) | bytes[offset + 6]!;
      const width = (bytes[offset + 7]! << 8) | bytes[offset + 8]!;
      return { height, width, components: bytes[offset + 9]! };
    }
    offset += 2 + ((bytes[offset + 2]! << 8) | bytes[offset + 3]!);
  }
  return null;
}

function jpegComponents(bytes: Uint8Array): number | null {
  return jpegFrame(bytes)?.components ?? null;
}

/**
 * Width and height from the header alone (PNG's IHDR, JPEG's frame header), without decoding: lets a caller that
 * knows the size it needs refuse an image before spending time and memory on its pixels. Null when not found.
 */
export function imageSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (isPng(bytes)) {
    if (bytes.length < 24) return null;
    const view = new DataView(bytes.buffer, bytes.byteOffset, 24);
    return { width: view.getUint32(16, false), height: view.getUint32(20, false) };
  }
  if (isJpeg(bytes)) {
    const frame = jpegFrame(bytes);
    return frame && { width: frame.width, height: frame.height };
  }
  return null;
}

function checkSize(width: number, height: number, file: string): void {
  if (width * height > MAX_PIXELS) {
    throw new DatasetImportError(`is ${width}×${height} pixels, more than the ${MAX_PIXELS} allowed per image`, {
      file,
    });
  }
}

function fromInterleaved(
  source: Uint8Array,
  width: number,
  height: number,
  stride: number,
  channels: 1 | 3,
): DecodedImage {
  const data = new Uint8Array(width * height * channels);
  for (let pixel = 0; pixel < width * height; pixel++) {
    for (let c = 0; c < channels; c++) data[pixel * channels + c] = source[pixel * stride + c]!;
  }
  return { width, height, channels, data };
}
