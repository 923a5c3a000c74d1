import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

/** A failure the CLI reports as one line (and a non-zero exit). */
export class CliError extends Error {}

export interface Connection {
  url: string;
  token: string;
  /** Where the URL came from (a flag, an environment variable, the saved login, the default). */
  urlFrom?: string;
}

/** fetch, with a network failure turned into one line naming the URL tried and how to change it. */
async function reach(connection: Connection, url: URL | string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    const from = connection.urlFrom ? `, URL from ${connection.urlFrom}` : '';
    throw new CliError(
      `Cannot reach the Lepton API at ${connection.url} (${reason}${from}). Start it with \`npm start\`, or point the CLI elsewhere with --url <url> or LEPTON_API_URL=<url>.`,
    );
  }
}

/** GraphQL over HTTP; errors become one clear line with the server's code. */
export async function gql<T>(connection: Connection, query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await reach(connection, connection.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${connection.token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json().catch(() => null)) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] } | null;
  if (!body) throw new CliError(`The API answered HTTP ${response.status} without a GraphQL body`);
  const [error] = body.errors ?? [];
  if (error) throw new CliError(`${error.extensions?.code ?? 'ERROR'}: ${error.message}`);
  return body.data as T;
}

/** A JSON POST to another Lepton endpoint (a deployment's serving URL) with the same token; `{"error"}` answers become one line. */
export async function postJson<T>(connection: Connection, url: string, body: unknown): Promise<T> {
  const response = await reach(connection, url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${connection.token}` },
    body: JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => null)) as (T & { error?: string }) | null;
  if (!response.ok || answer === null) throw new CliError(`${url} answered HTTP ${response.status}${answer?.error ? `: ${answer.error}` : ''}`);
  return answer;
}

/** Streams a file to POST /v1/uploads, reporting bytes sent. */
export async function upload(
  connection: Connection,
  file: string,
  project: string,
  onProgress: (sent: number, total: number) => void,
): Promise<{ uploadId: string; sizeBytes: number }> {
  let total: number;
  try {
    total = statSync(file).size;
  } catch {
    throw new CliError(`No such file: ${file}`);
  }
  let sent = 0;
  const stream = createReadStream(file).on('data', (chunk) => {
    sent += chunk.length;
    onProgress(sent, total);
  });
  const endpoint = new URL('/v1/uploads', connection.url);
  endpoint.searchParams.set('project', project);
  const response = await reach(connection, endpoint, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${connection.token}`,
      'content-type': 'application/octet-stream',
      'content-length': String(total),
      'x-filename': path.basename(file),
    },
    body: Readable.toWeb(stream) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const body = (await response.json().catch(() => null)) as { uploadId?: string; sizeBytes?: number; error?: { code: string; message: string } } | null;
  if (!response.ok || !body?.uploadId) {
    throw new CliError(body?.error ? `${body.error.code}: ${body.error.message}` : `Upload failed with HTTP ${response.status}`);
  }
  return { uploadId: body.uploadId, sizeBytes: body.sizeBytes ?? total };
}
