/**
 * Keys that must never reach storage. Absolute ones aim at `outsideFile`, so tests that write
 * point it somewhere harmless and watched, and tests that only read can aim at /etc/passwd.
 */
export function hostileKeys(outsideFile: string): Array<[label: string, key: string]> {
  return [
    ['parent traversal', '../escape'],
    ['nested parent traversal', 'a/../../escape'],
    ['bare dot-dot', '..'],
    ['backslash traversal', '..\\escape'],
    ['leading backslash traversal', '\\..\\escape'],
    ['percent-encoded dots', '%2e%2e/escape'],
    ['double-encoded dots', '%252e%252e/escape'],
    ['percent-encoded slash', '..%2fescape'],
    ['file URI', `file://${outsideFile}`],
    ['s3 URI', 's3://other/escape'],
    ['absolute path', outsideFile],
    ['Windows drive path', 'C:\\escape'],
    ['NUL byte', 'escape\0.txt'],
    ['empty', ''],
    ['overlong', 'a'.repeat(1025)],
    ['dot segment', 'a/./escape'],
    ['empty segment', 'a//escape'],
    ['trailing slash', 'escape/'],
    ['hidden file', '.escape'],
    ['home folder', '~/escape'],
    ['newline', 'escape\n'],
    ['space', 'es cape'],
    ['full-width letters', 'ｅｓｃａｐｅ'],
  ];
}

/** A valid key of exactly `length` characters, in segments short enough for any file system. */
export function longKey(length: number): string {
  return `${'x'.repeat(99)}/`.repeat(Math.ceil(length / 100)).slice(0, length - 1) + 'y';
}
