import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { zipFile, type ZipEntry } from '@lepton/datasets/testing';

export interface FakeWheel {
  filename: string;
  content: Uint8Array;
  /** What the index claims; defaults to the real sha256 of `content`. */
  sha256?: string;
}

export interface FakeIndex {
  /** The simple-API root, for PIP_INDEX_URL. */
  url: string;
  /** Paths requested, in order. */
  requests: string[];
  downloads(filename: string): number;
  close(): Promise<void>;
}

/** A Python package index over real HTTP: PEP 691 JSON pages (or PEP 503 HTML) and the files they list. */
export async function startFakeIndex(
  projects: Record<string, FakeWheel[]>,
  format: 'json' | 'html' = 'json',
): Promise<FakeIndex> {
  const requests: string[] = [];
  const files = new Map(
    Object.values(projects)
      .flat()
      .map((wheel) => [wheel.filename, wheel]),
  );
  const server = http.createServer((request, response) => {
    const url = request.url ?? '/';
    requests.push(url);
    const page = /^\/simple\/([^/]+)\/$/.exec(url);
    if (page) {
      const wheels = projects[page[1]!];
      if (!wheels) return void response.writeHead(404).end('not found');
      const sha = (wheel: FakeWheel) => wheel.sha256 ?? createHash('sha256').update(wheel.content).digest('hex');
      if (format === 'json') {
        const body = {
          meta: { 'api-version': '1.1' },
          name: page[1],
          files: wheels.map((wheel) => ({
            filename: wheel.filename,
            url: `/files/${wheel.filename}`,
            hashes: { sha256: sha(wheel) },
            size: wheel.content.length,
          })),
        };
        return void response
          .writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json' })
          .end(JSON.stringify(body));
      }
      const anchors = wheels.map(
        (wheel) => `<a href="../../files/${wheel.filename}#sha256=${sha(wheel)}">${wheel.filename}</a><br/>`,
      );
      return void response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!DOCTYPE html><html><body>${anchors.join('\n')}</body></html>`);
    }
    const file = /^\/files\/([^/]+)$/.exec(url);
    const wheel = file && files.get(file[1]!);
    if (!wheel) return void response.writeHead(404).end('not found');
    response
      .writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': wheel.content.length })
      .end(Buffer.from(wheel.content));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/simple/`,
    requests,
    downloads: (filename) => requests.filter((path) => path === `/files/${filename}`).length,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A wheel as TensorFlow's: `tensorflow/` with the libraries and C API headers, plus its dist-info METADATA. */
export function fakeWheel(
  filename: string,
  entries: ZipEntry[],
  metadata = 'Metadata-Version: 2.1\nName: fake\n',
): FakeWheel {
  const distInfo = `${filename.split('-').slice(0, 2).join('-')}.dist-info`;
  return {
    filename,
    content: zipFile([
      ...entries,
      { name: `${distInfo}/METADATA`, content: metadata },
      { name: `${distInfo}/RECORD`, content: '' },
    ]),
  };
}
