import { JSON_LIMITS, jsonLimitMessage, jsonLimitViolation } from '@lepton/util';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, ServingHttpError, tooLarge } from './http-errors';

/** Reads the body up to `maxBytes` (413 beyond, also when Content-Length says so up front). */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw tooLarge('body', `${declared} bytes, more than the ${maxBytes} a request may have`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw tooLarge('body', `more than the ${maxBytes} bytes a request may have`);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    // The client went away mid-body (closed its connection): nobody is left to answer.
    if (request.destroyed && !(error instanceof ServingHttpError))
      throw new ServingHttpError(
        400,
        'BAD_USER_INPUT',
        'the client closed the connection before sending the whole body',
      );
    throw error;
  }
  return Buffer.concat(chunks, size);
}

/** The body as JSON, refused (400) when it is not JSON or nests deeper than anything here walks. */
export function parseJson(body: Buffer): unknown {
  if (body.length === 0) throw badRequest('body', 'empty; send a JSON object');
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw badRequest('body', `not valid JSON (${(error as Error).message})`);
  }
  const violation = jsonLimitViolation(value, { maxDepth: JSON_LIMITS.maxDepth, maxLength: Number.MAX_SAFE_INTEGER });
  if (violation) throw badRequest('body', jsonLimitMessage('the JSON', violation));
  return value;
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(text);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
