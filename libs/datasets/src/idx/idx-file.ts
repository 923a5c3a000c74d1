import { DatasetImportError } from '../shared/dataset-import-error';

/** IDX magic: two zero bytes, data type 0x08 (unsigned byte), number of dimensions. */
export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

export function idxMagic(bytes: Uint8Array): number | null {
  if (bytes.length < 4) return null;
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false);
}

/** Checks the magic and that the big-endian dimensions account for every byte of the file. */
export function parseIdx(bytes: Uint8Array, file: string, magic: number): IdxArray {
  const actual = idxMagic(bytes);
  if (actual !== magic) {
    const found = actual === null ? 'is too short for an IDX header' : `starts with 0x${hex(actual)}`;
    throw new DatasetImportError(`${found}, expected the IDX magic number 0x${hex(magic)}`, { file });
  }
  const headerBytes = 4 + 4 * (magic & 0xff);
  if (bytes.length < headerBytes) throw new DatasetImportError('ends inside its IDX header', { file });
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const dims = Array.from({ length: magic & 0xff }, (_, d) => view.getUint32(4 + 4 * d, false));
  const expected = headerBytes + dims.reduce((product, size) => product * size, 1);
  if (bytes.length !== expected) {
    throw new DatasetImportError(
      `its IDX header declares ${dims.join(' × ')} bytes of data (${expected} bytes in all) but it holds ${bytes.length} bytes`,
      { file },
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

function hex(value: number): string {
  return value.toString(16).padStart(8, '0');
}
