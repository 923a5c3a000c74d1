import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, startTestApi, tokenFor, type TestApi } from '../testing';

const MAX_UPLOAD = 256 * 1024;

async function post(api: TestApi, body: RequestInit['body'], headers: Record<string, string>, query = '') {
  const response = await fetch(api.url.replace(/\/graphql$/, `/v1/uploads${query}`), { method: 'POST', body, headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('POST /v1/uploads', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ maxUploadBytes: MAX_UPLOAD });
  });
  afterAll(() => api.close());

  const auth = () => ({ authorization: `Bearer ${api.adminToken}` });

  it('streams a raw body to the artifact store and records it', async () => {
    const content = Buffer.alloc(100_000, 7);
    const reply = await post(api, content, { ...auth(), 'content-type': 'application/octet-stream', 'x-filename': 'data.bin' });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ filename: 'data.bin', sizeBytes: 100_000, sha256: createHash('sha256').update(content).digest('hex') });
    const row = await api.db.pool.query('SELECT storage_key FROM upload WHERE id = $1', [reply.body['uploadId']]);
    expect(Buffer.compare(await api.artifacts.get(row.rows[0].storage_key), content)).toBe(0);
  });

  it('accepts multipart/form-data', async () => {
    const form = new FormData();
    form.append('file', new Blob(['a,b,label\n1,2,x\n']), 'tiny.csv');
    const reply = await post(api, form, auth());
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ filename: 'tiny.csv', sizeBytes: 16 });
  });

  it('refuses bodies over the limit and keeps nothing', async () => {
    const before = await api.db.pool.query('SELECT count(*)::int AS n FROM upload');
    const reply = await post(api, Buffer.alloc(MAX_UPLOAD + 1024 * 1024), { ...auth(), 'content-type': 'application/octet-stream', 'x-filename': 'big.bin' });
    expect(reply.status).toBe(413);
    expect(reply.body).toMatchObject({ error: { code: 'BAD_USER_INPUT' } });
    expect((await api.db.pool.query('SELECT count(*)::int AS n FROM upload')).rows[0].n).toBe(before.rows[0].n);
  });

  it('refuses a streamed body that grows over the limit without a Content-Length', async () => {
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 40; i += 1) controller.enqueue(new Uint8Array(16 * 1024));
        controller.close();
      },
    });
    const response = await fetch(api.url.replace(/\/graphql$/, '/v1/uploads'), {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/octet-stream', 'x-filename': 'stream.bin' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await api.artifacts.list('uploads')).not.toEqual(expect.arrayContaining([expect.stringContaining('stream.bin')]));
  });

  it('needs a token, an EDITOR role and a file name', async () => {
    const headers = { 'content-type': 'application/octet-stream', 'x-filename': 'x.csv' };
    expect((await post(api, 'x', headers)).status).toBe(401);
    const project = await createProject(api);
    const viewer = await tokenFor(api, project, 'VIEWER');
    expect((await post(api, 'x', { ...headers, authorization: `Bearer ${viewer}` }, `?project=${project}`)).status).toBe(403);
    expect((await post(api, 'x', { ...auth(), 'content-type': 'application/octet-stream' })).status).toBe(400);
    expect((await post(api, 'x', { ...auth(), 'content-type': 'text/plain', 'x-filename': 'x.csv' })).status).toBe(400);
  });

  it('keeps file names inside the upload folder', async () => {
    const reply = await post(api, 'x', { ...auth(), 'content-type': 'application/octet-stream', 'x-filename': '../../etc/passwd' });
    expect(reply.status).toBe(201);
    expect(reply.body['filename']).toBe('passwd');
    const row = await api.db.pool.query('SELECT storage_key FROM upload WHERE id = $1', [reply.body['uploadId']]);
    expect(row.rows[0].storage_key).toMatch(/^uploads\/[0-9a-f-]{36}\/[0-9a-f-]{36}\/passwd$/);
  });
});
