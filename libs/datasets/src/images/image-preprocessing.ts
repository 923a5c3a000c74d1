import type { ImagePreprocessing } from '../prepared/prepared-dataset';
import { scalePixels } from '../prepared/image-dataset';
import { DatasetImportError } from '../shared/dataset-import-error';
import { decodeImage, imageSize, type DecodedImage } from './decode-image';

const describe = (image: { width: number; height: number; channels: number }) =>
  `${image.width}×${image.height} ${image.channels === 1 ? 'grayscale' : image.channels === 3 ? 'RGB' : `${image.channels}-channel`}`;

/**
 * The import-time transform of one image at inference: decoded as the importers decode it (PNG or JPEG, alpha
 * dropped, grayscale kept as one channel), required to have the dataset's size and channels (importers refuse
 * images that differ, so nothing is resized), then scaled as at import. Writes height × width × channels values
 * at `offset`; throws DatasetImportError naming `name` otherwise.
 */
export function applyImagePreprocessing(
  preprocessing: ImagePreprocessing,
  bytes: Uint8Array,
  name: string,
  out: Float32Array,
  offset: number,
): void {
  // Checked from the header first, so a request full of huge (or decompression-bomb) images costs no decoding.
  const size = imageSize(bytes);
  if (size && (size.width !== preprocessing.width || size.height !== preprocessing.height)) {
    throw new DatasetImportError(
      `is ${size.width}×${size.height} but the model takes ${describe(preprocessing)} images`,
      { file: name },
    );
  }
  const image: DecodedImage = decodeImage(bytes, name);
  if (
    image.width !== preprocessing.width ||
    image.height !== preprocessing.height ||
    image.channels !== preprocessing.channels
  ) {
    throw new DatasetImportError(`is ${describe(image)} but the model takes ${describe(preprocessing)} images`, {
      file: name,
    });
  }
  scalePixels(image.data, preprocessing.scale, out, offset);
}
