import { isGzip, readContentHead, readHead } from '../shared/gzip';
import type { InputFile } from '../shared/input-files';

export type ArchiveKind = 'zip' | 'tar' | 'tar.gz' | 'gz';

/** By magic bytes, never by extension: uploads arrive under temporary names. */
export async function detectArchive(file: InputFile): Promise<ArchiveKind | null> {
  const head = await readHead(file.path, 512);
  if (head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))) {
    return 'zip';
  }
  if (isTar(head)) return 'tar';
  if (isGzip(head)) return isTar(await readContentHead(file, 512)) ? 'tar.gz' : 'gz';
  return null;
}

/** POSIX and GNU tar headers carry 'ustar' at offset 257. */
function isTar(head: Uint8Array): boolean {
  return head.length >= 262 && new TextDecoder().decode(head.subarray(257, 262)) === 'ustar';
}
