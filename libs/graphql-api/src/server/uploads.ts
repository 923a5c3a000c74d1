import { DomainError, type Registry } from '@lepton/registry';
import busboy from 'busboy';
import type { Request, RequestHandler, Response } from 'express';
import type { Readable } from 'node:stream';
import { errorCode } from './errors';

function sendError(res: Response, error: unknown): void {
  if (error instanceof DomainError) {
    const code = errorCode(error.reason);
    const status = code === 'UNAUTHENTICATED' ? 401 : code === 'FORBIDDEN' ? 403 : code === 'NOT_FOUND' ? 404 : /larger than/.test(error.message) ? 413 : 400;
    res.status(status).json({ error: { code, message: error.message } });
    return;
  }
  console.error('[api] upload failed', error);
  res.status(500).json({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' } });
}

/** The first file part of a multipart/form-data request, as a stream. */
function multipartFile(req: Request): Promise<{ filename: string | undefined; stream: Readable }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1 } });
    } catch (error) {
      reject(new DomainError('BAD_USER_INPUT', `Malformed multipart request: ${(error as Error).message}`));
      return;
    }
    let found = false;
    parser.on('file', (_field, stream, info) => {
      found = true;
      resolve({ filename: info.filename, stream });
    });
    parser.on('error', (error) => reject(new DomainError('BAD_USER_INPUT', `Malformed multipart request: ${(error as Error).message}`)));
    parser.on('close', () => {
      if (!found) reject(new DomainError('BAD_USER_INPUT', 'The multipart request has no file part'));
    });
    req.pipe(parser);
  });
}

/**
 * POST /v1/uploads[?project=NAME]: the file as the raw body (`Content-Type:
 * application/octet-stream` and `X-Filename`) or as multipart/form-data. Streams to the artifact
 * store, never into memory, and answers {"uploadId": "..."}.
 */
export function uploadsHandler(registry: Registry, maxBytes?: number): RequestHandler {
  return async (req, res) => {
    try {
      const principal = await registry.auth.authenticate(req.headers.authorization);
      const project = typeof req.query['project'] === 'string' ? req.query['project'] : (req.header('x-project') ?? null);
      const type = req.header('content-type') ?? '';
      let filename: string | undefined;
      let body: Readable;
      if (type.startsWith('multipart/form-data')) {
        const part = await multipartFile(req);
        filename = part.filename;
        body = part.stream;
      } else if (type.startsWith('application/octet-stream')) {
        filename = req.header('x-filename');
        body = req;
      } else {
        throw new DomainError('BAD_USER_INPUT', 'Send the file as application/octet-stream (with X-Filename) or multipart/form-data');
      }
      const declared = Number(req.header('content-length'));
      if (maxBytes !== undefined && Number.isFinite(declared) && declared > maxBytes + 64 * 1024) {
        throw new DomainError('BAD_USER_INPUT', `The upload is larger than ${maxBytes} bytes`);
      }
      const upload = await registry.uploads.create(principal, { project, filename, body, ...(maxBytes !== undefined ? { maxBytes } : {}) });
      res.status(201).json({ uploadId: upload.id, filename: upload.filename, sizeBytes: Number(upload.sizeBytes), sha256: upload.sha256 });
    } catch (error) {
      // Drain what the client is still sending, so it reads our answer instead of a reset.
      req.resume();
      sendError(res, error);
    }
  };
}
