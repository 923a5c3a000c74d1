import { DatasetImportError } from '../shared/dataset-import-error';

/**
 * An entry name as relative path segments ([] for the archive root itself). Absolute paths, drive
 * letters and '..' segments are refused outright rather than sanitised: such an archive is either
 * broken or hostile. Backslashes count as separators, as Windows tools write them.
 */
export function safeEntrySegments(name: string, archive: string): string[] {
  const refuse = (why: string) =>
    new DatasetImportError(`entry ${JSON.stringify(name)} ${why}; nothing was extracted outside the upload`, {
      file: archive,
    });
  if (name.includes('\0')) throw refuse('contains a NUL character');
  if (/^([/\\]|[a-zA-Z]:)/.test(name)) throw refuse('is an absolute path');
  const segments = name.split(/[/\\]/).filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw refuse("climbs out of the archive with '..'");
  return segments;
}
