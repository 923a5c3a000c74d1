import { DatasetImportError } from '../shared/dataset-import-error';
import type { InputFile } from '../shared/input-files';

/**
 * Our own refusals pass through; other errors from the decoders mean a malformed archive.
 * File-system errors (they carry a syscall) are the server's problem, not the user's: they pass through too.
 */
export function archiveError(error: unknown, archive: InputFile, kind: string): unknown {
  if (error instanceof DatasetImportError || (error as { syscall?: unknown }).syscall !== undefined) return error;
  return new DatasetImportError(`is not a valid ${kind} archive (${(error as Error).message})`, { file: archive.name });
}
