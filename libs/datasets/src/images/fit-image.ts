import { PNG } from 'pngjs';
import { decodeImage } from './decode-image';

export interface ImageTarget {
  width: number;
  height: number;
  channels: 1 | 3;
}

/**
 * Any PNG or JPEG made into the image a model takes: decoded as the importers decode it, centre-cropped
 * to the target's aspect ratio, averaged down (or sampled up) to its size and converted to grayscale
 * (ITU-R BT.601 luma) when it has one channel. Returns the PNG bytes, which the model's own
 * preprocessing then reads exactly as an imported image. Throws DatasetImportError on unreadable input.
 */
export function fitImage(bytes: Uint8Array, name: string, target: ImageTarget): Buffer {
  const image = decodeImage(bytes, name);
  // The largest centred crop with the target's aspect ratio.
  const scale = Math.min(image.width / target.width, image.height / target.height);
  const cropWidth = target.width * scale;
  const cropHeight = target.height * scale;
  const left = (image.width - cropWidth) / 2;
  const top = (image.height - cropHeight) / 2;
  const out = new Uint8Array(target.width * target.height * target.channels);
  for (let y = 0; y < target.height; y++) {
    for (let x = 0; x < target.width; x++) {
      // Source pixels whose centres fall in this output pixel's box (at least the nearest one).
      const x0 = Math.floor(left + x * scale);
      const y0 = Math.floor(top + y * scale);
      const x1 = Math.max(x0 + 1, Math.floor(left + (x + 1) * scale));
      const y1 = Math.max(y0 + 1, Math.floor(top + (y + 1) * scale));
      const sums = [0, 0, 0];
      let count = 0;
      for (let sy = y0; sy < Math.min(y1, image.height); sy++) {
        for (let sx = x0; sx < Math.min(x1, image.width); sx++) {
          const at = (sy * image.width + sx) * image.channels;
          for (let c = 0; c < 3; c++) sums[c]! += image.data[at + (image.channels === 1 ? 0 : c)]!;
          count++;
        }
      }
      const [r, g, b] = sums.map((sum) => sum / Math.max(count, 1)) as [number, number, number];
      const at = (y * target.width + x) * target.channels;
      if (target.channels === 1) out[at] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      else out.set([Math.round(r), Math.round(g), Math.round(b)], at);
    }
  }
  return encodePng(out, target.width, target.height, target.channels);
}

/** height × width × channels bytes (1: grayscale, 3: RGB) as a PNG. */
export function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 3): Buffer {
  const png = new PNG({ width, height, colorType: channels === 1 ? 0 : 2, inputColorType: channels === 1 ? 0 : 2, inputHasAlpha: false });
  png.data = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  return PNG.sync.write(png, { colorType: channels === 1 ? 0 : 2, inputColorType: channels === 1 ? 0 : 2, inputHasAlpha: false });
}
