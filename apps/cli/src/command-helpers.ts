/** What every command shares: global options, output as text or --json, progress bars, number flags. */
import { SingleBar } from 'cli-progress';
import { CliError } from './api-client';

export interface GlobalOptions {
  url?: string;
  token?: string;
  project: string;
  json?: boolean;
}

export function output(options: GlobalOptions, value: unknown, human: () => string): void {
  process.stdout.write(options.json ? JSON.stringify(value, null, 2) + '\n' : human() + '\n');
}

export function bar(options: GlobalOptions, format: string): SingleBar | null {
  if (options.json || !process.stderr.isTTY) return null;
  return new SingleBar({ format, stream: process.stderr, hideCursor: true, clearOnComplete: false });
}

export const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
export const integer = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new CliError(`"${value}" is not an integer`);
  return parsed;
};
/**
 * A GraphQL enum value from a flag: the API's own name (CNN_SMALL) or the lowercase one the CLI always took
 * (cnn-small). The API rejects anything else, naming the choices.
 */
export const enumValue = (value: string) => value.trim().toUpperCase().replace(/-/g, '_');

export const number = (value: string) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new CliError(`"${value}" is not a number`);
  return parsed;
};
