import { ApiRequestError } from '@/lib/graphql-errors';

/**
 * Sends a file to /api/uploads (the same-origin proxy of POST /v1/uploads) as a raw body, with
 * progress. XMLHttpRequest, because fetch reports no upload progress.
 */
export function uploadFile(
  file: File,
  project: string,
  onProgress: (fraction: number) => void,
): Promise<{ uploadId: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/uploads?project=${encodeURIComponent(project)}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    // Header values must be Latin-1; the API keeps only [A-Za-z0-9._-] of the name anyway.
    xhr.setRequestHeader('x-filename', file.name.replace(/[^A-Za-z0-9._-]/g, '_'));
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () =>
      reject(new ApiRequestError([{ message: 'The upload was interrupted', extensions: { code: 'NETWORK' } }]));
    xhr.onload = () => {
      let body: { uploadId?: string; error?: { code?: string; message?: string } } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // answered below from the status
      }
      if (xhr.status >= 200 && xhr.status < 300 && body.uploadId) resolve({ uploadId: body.uploadId });
      else
        reject(
          new ApiRequestError([
            {
              message: body.error?.message ?? `The upload failed (${xhr.status})`,
              extensions: { code: body.error?.code ?? 'UPLOAD_FAILED' },
            },
          ]),
        );
    };
    xhr.send(file);
  });
}
