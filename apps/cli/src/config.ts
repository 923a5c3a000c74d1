import { mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { CliError, type Connection } from './api-client';

const DEFAULT_URL = 'http://localhost:4000/graphql';

export function configFile(): string {
  const base = process.env['XDG_CONFIG_HOME'] ?? path.join(homedir(), '.config');
  return path.join(base, 'lepton', 'config.json');
}

function saved(): Partial<Connection> {
  try {
    return JSON.parse(readFileSync(configFile(), 'utf8')) as Partial<Connection>;
  } catch {
    return {};
  }
}

/** The API URL and where it came from: --url wins over LEPTON_API_URL, which wins over `lepton login`. */
export function apiUrl(flags: { url?: string }): { url: string; urlFrom: string } {
  if (flags.url) return { url: flags.url, urlFrom: '--url' };
  const fromEnvironment = process.env['LEPTON_API_URL'];
  if (fromEnvironment) return { url: fromEnvironment, urlFrom: 'LEPTON_API_URL' };
  const stored = saved().url;
  if (stored) return { url: stored, urlFrom: `saved by lepton login in ${configFile()}` };
  return { url: DEFAULT_URL, urlFrom: 'the default' };
}

/** Flags win over LEPTON_API_URL / LEPTON_TOKEN, which win over what `lepton login` saved. */
export function connection(flags: { url?: string; token?: string }): Connection {
  const token = flags.token ?? process.env['LEPTON_TOKEN'] ?? saved().token;
  if (!token) throw new CliError('No token: pass --token, set LEPTON_TOKEN, or run `lepton login`');
  return { ...apiUrl(flags), token };
}

export function save(connection: Connection): string {
  const file = configFile();
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify({ url: connection.url, token: connection.token }, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
