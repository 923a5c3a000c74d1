import { readFile } from 'node:fs/promises';
import { assertImageDatasetFits, buildImageDataset } from '../prepared/image-dataset';
import type { PreparedDataset } from '../prepared/prepared-dataset';
import { DatasetImportError } from '../shared/dataset-import-error';
import type { InputFile } from '../shared/input-files';
import { compareNatural } from '../shared/natural-order';
import type { SplitOptions } from '../splits/split-options';
import { decodeImage, type DecodedImage } from './decode-image';

const IMAGE_EXTENSION = /\.(png|jpe?g)$/i;

/**
 * One folder per class holding PNG or JPEG images (nested folders inside a class are fine; other
 * files such as a README are skipped). Every image must share the first image's size and channels.
 */
export async function importImageFolder(files: InputFile[], split: SplitOptions): Promise<PreparedDataset> {
  const byClass = groupByClass(files.filter((file) => IMAGE_EXTENSION.test(file.name)));
  const classes = [...byClass.keys()].sort(compareNatural);
  if (classes.length < 2) {
    throw new DatasetImportError(
      `found only the class folder '${classes[0]}'; classification needs at least two class folders`,
    );
  }
  const images = classes.flatMap((name) => byClass.get(name)!);
  const labels = Int32Array.from(classes.flatMap((name, index) => byClass.get(name)!.map(() => index)));

  let first: { file: InputFile; image: DecodedImage } | undefined;
  let pixels = new Uint8Array(0);
  for (const [index, file] of images.entries()) {
    const image = decodeImage(await readFile(file.path), file.name);
    if (!first) {
      first = { file, image };
      assertImageDatasetFits(images.length, image);
      pixels = new Uint8Array(images.length * image.data.length);
    } else if (
      image.width !== first.image.width ||
      image.height !== first.image.height ||
      image.channels !== first.image.channels
    ) {
      throw new DatasetImportError(
        `is ${describe(image)} but ${first.file.name} is ${describe(first.image)}; all images must share size and channels`,
        { file: file.name },
      );
    }
    pixels.set(image.data, index * image.data.length);
  }
  const shape = { height: first!.image.height, width: first!.image.width, channels: first!.image.channels };
  return buildImageDataset(
    { pixels, labels, shape, classes, format: 'IMAGE_FOLDER', files: images.map((file) => file.name) },
    split,
  );
}

/** The class is the first folder below the root, looking through a single wrapping folder. */
function groupByClass(images: InputFile[]): Map<string, InputFile[]> {
  if (images.length === 0) {
    throw new DatasetImportError('no PNG or JPEG images found; expected one folder of images per class');
  }
  const paths = images.map((file) => file.name.split('/'));
  let depth = 0;
  while (paths.every((path) => path.length >= depth + 3) && new Set(paths.map((path) => path[depth])).size === 1)
    depth++;
  const byClass = new Map<string, InputFile[]>();
  images.forEach((file, index) => {
    const path = paths[index]!;
    if (path.length < depth + 2) {
      throw new DatasetImportError("is not inside a class folder; put each class's images in a folder named after it", {
        file: file.name,
      });
    }
    const name = path[depth]!;
    const members = byClass.get(name);
    if (members) members.push(file);
    else byClass.set(name, [file]);
  });
  return byClass;
}

function describe(image: DecodedImage): string {
  return `${image.width}×${image.height} ${image.channels === 1 ? 'grayscale' : 'RGB'}`;
}
