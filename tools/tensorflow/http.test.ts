import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bypassesProxy, getText, proxyFor } from './http';

describe('proxy variables', () => {
  it('uses HTTPS_PROXY for https, HTTP_PROXY for http, lower case too', () => {
    const env = { https_proxy: 'proxy.corp:3128', HTTP_PROXY: 'http://plain.corp:8080' };
    expect(proxyFor(new URL('https://pypi.org/simple/'), env)?.toString()).toBe('http://proxy.corp:3128/');
    expect(proxyFor(new URL('http://mirror.local/simple/'), env)?.toString()).toBe('http://plain.corp:8080/');
    expect(proxyFor(new URL('https://pypi.org/simple/'), {})).toBeNull();
  });

  it('honours NO_PROXY hosts, domain suffixes, ports and *', () => {
    const url = new URL('https://files.pythonhosted.org/packages/x.whl');
    expect(bypassesProxy(url, 'pythonhosted.org')).toBe(true);
    expect(bypassesProxy(url, '.pythonhosted.org')).toBe(true);
    expect(bypassesProxy(url, 'localhost, *.pythonhosted.org')).toBe(true);
    expect(bypassesProxy(url, 'hosted.org')).toBe(false);
    expect(bypassesProxy(url, 'files.pythonhosted.org:8443')).toBe(false);
    expect(bypassesProxy(url, 'files.pythonhosted.org:443')).toBe(true);
    expect(bypassesProxy(url, '*')).toBe(true);
    expect(proxyFor(url, { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'pythonhosted.org' })).toBeNull();
  });
});

const folder = mkdtempSync(path.join(tmpdir(), 'lepton-http-'));
const servers: (http.Server | https.Server)[] = [];
const proxyLog: string[] = [];
const tunnels: { destroy(): void }[] = [];
let proxyUrl = '';
let httpsUrl = '';
let certificate = '';

async function listen(server: http.Server | https.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  // A real HTTPS index with a certificate that only PIP_CERT makes trusted.
  const key = path.join(folder, 'key.pem');
  certificate = path.join(folder, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      certificate,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  const index = https.createServer({ key: readFileSync(key), cert: readFileSync(certificate) }, (request, response) =>
    response.end(`secure ${request.url}`),
  );
  httpsUrl = `https://localhost:${await listen(index)}`;
  // A proxy as corporate networks run them: CONNECT tunnels for https, absolute URLs for plain http.
  const proxy = http.createServer((request, response) => {
    proxyLog.push(`${request.method} ${request.url} auth=${request.headers['proxy-authorization'] ?? '-'}`);
    const target = new URL(request.url!);
    http.get(
      { host: target.hostname, port: target.port, path: target.pathname, headers: { 'x-forwarded': 'yes' } },
      (upstream) => upstream.pipe(response),
    );
  });
  proxy.on('connect', (request, client) => {
    proxyLog.push(`CONNECT ${request.url} auth=${request.headers['proxy-authorization'] ?? '-'}`);
    const [host, port] = request.url!.split(':');
    tunnels.push(client);
    const upstream = net.connect(Number(port), host === 'localhost' ? '127.0.0.1' : host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
  });
  proxyUrl = `http://user:secret@127.0.0.1:${await listen(proxy)}`;
});

afterAll(async () => {
  for (const socket of tunnels) socket.destroy();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  rmSync(folder, { recursive: true, force: true });
});

describe('GET through a proxy', () => {
  it('tunnels https with CONNECT and checks the index certificate end to end (PIP_CERT)', async () => {
    const environment = { HTTPS_PROXY: proxyUrl, PIP_CERT: certificate };
    const { text } = await getText(`${httpsUrl}/simple/tensorflow-cpu/`, { environment });
    expect(text).toBe('secure /simple/tensorflow-cpu/');
    const basic = `Basic ${Buffer.from('user:secret').toString('base64')}`;
    expect(proxyLog).toContain(`CONNECT localhost:${new URL(httpsUrl).port} auth=${basic}`);
    // Without PIP_CERT the self-signed certificate is refused: the tunnel does not weaken TLS.
    await expect(getText(`${httpsUrl}/simple/`, { environment: { HTTPS_PROXY: proxyUrl } })).rejects.toThrow(
      /self-signed|certificate/,
    );
  });

  it('asks the proxy for the absolute URL of a plain http index', async () => {
    const plain = http.createServer((request, response) =>
      response.end(`plain ${request.url} via ${request.headers['x-forwarded']}`),
    );
    const port = await listen(plain);
    const { text } = await getText(`http://127.0.0.1:${port}/simple/`, { environment: { HTTP_PROXY: proxyUrl } });
    expect(text).toBe('plain /simple/ via yes');
    expect(proxyLog).toContainEqual(
      expect.stringMatching(new RegExp(`^GET http://127.0.0.1:${port}/simple/ auth=Basic `)),
    );
  });
});

describe('credentials and redirects', () => {
  it('sends the index credentials to the index host only, not to where it redirects', async () => {
    const seen: Record<string, string | undefined> = {};
    const files = http.createServer((request, response) => {
      seen['files'] = request.headers.authorization;
      response.end('wheel bytes');
    });
    const filesPort = await listen(files);
    const index = http.createServer((request, response) => {
      seen['index'] = request.headers.authorization;
      // localhost and 127.0.0.1 are different hosts as far as credentials go.
      response.writeHead(302, { location: `http://localhost:${filesPort}/files/x.whl` }).end();
    });
    const indexPort = await listen(index);
    const { text } = await getText(`http://me:pa%24%24@127.0.0.1:${indexPort}/simple/x/`, { environment: {} });
    expect(text).toBe('wheel bytes');
    expect(seen).toEqual({ index: `Basic ${Buffer.from('me:pa$$').toString('base64')}`, files: undefined });
  });

  it('fails with the status when the index answers an error', async () => {
    const broken = http.createServer((_request, response) => response.writeHead(503).end());
    const port = await listen(broken);
    await expect(getText(`http://127.0.0.1:${port}/simple/x/`, { environment: {} })).rejects.toMatchObject({
      status: 503,
      message: expect.stringContaining('answered HTTP 503'),
    });
  });
});
