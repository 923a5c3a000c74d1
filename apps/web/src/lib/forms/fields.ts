/** Names of datasets and models, as the API validates them (it stays the authority). */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const NAME_MAX = 128;

export type FieldErrors = Record<string, string>;

export function checkName(value: string, what: string): string | undefined {
  if (value.trim() === '') return `Name the ${what}`;
  if (value.length > NAME_MAX) return `At most ${NAME_MAX} characters`;
  if (!NAME_PATTERN.test(value)) return 'Letters, digits, “.”, “_” and “-”, starting with a letter or digit';
  return undefined;
}

/** A blank field means "use the API's default"; otherwise it must be an integer in range. */
export function optionalInteger(value: string, min: number, max: number): { value?: number; error?: string } {
  if (value.trim() === '') return {};
  const number = Number(value);
  if (!Number.isInteger(number)) return { error: 'A whole number' };
  if (number < min || number > max) return { error: `Between ${min} and ${max}` };
  return { value: number };
}

export function optionalNumber(
  value: string,
  check: (n: number) => string | undefined,
): { value?: number; error?: string } {
  if (value.trim() === '') return {};
  const number = Number(value);
  if (!Number.isFinite(number)) return { error: 'A number' };
  const error = check(number);
  return error ? { error } : { value: number };
}

/** A file name turned into a dataset name: its base name with other characters replaced. */
export function nameFromFile(fileName: string): string {
  const base = fileName.replace(/\.(csv|tsv|txt|zip|tgz|tar\.gz|gz|tar)$/i, '').replace(/\.(csv|tsv)$/i, '');
  return base
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, NAME_MAX);
}
