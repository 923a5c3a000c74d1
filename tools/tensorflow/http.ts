/**
 * Just enough HTTP for a Python package index: GET with redirects, basic auth from the index URL, and the
 * proxy variables pip and curl honour (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, lower case too). HTTPS through a
 * proxy is a CONNECT tunnel; the index's certificate is still checked end to end.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import tls from 'node:tls';

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const MAX_REDIRECTS = 10;

function env(name: string, environment: NodeJS.ProcessEnv): string | undefined {
  return environment[name] ?? environment[name.toLowerCase()];
}

/** NO_PROXY: comma- or space-separated hosts or domain suffixes (`.example.com`, `example.com`), `host:port`, or `*`. */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((rawEntry) => {
      const entry = rawEntry.toLowerCase();
      if (entry === '*') return true;
      const [entryHost, entryPort] = entry.startsWith('[')
        ? [entry.slice(1, entry.indexOf(']')), entry.split(']:')[1]]
        : entry.split(':');
      if (entryPort && entryPort !== port) return false;
      const domain = entryHost!.replace(/^\*?\./, '');
      return host === domain || host.endsWith(`.${domain}`);
    });
}

/** The proxy for `url`, or null. */
export function proxyFor(url: URL, environment: NodeJS.ProcessEnv = process.env): URL | null {
  if (bypassesProxy(url, env('NO_PROXY', environment))) return null;
  const value =
    url.protocol === 'https:'
      ? (env('HTTPS_PROXY', environment) ?? env('HTTP_PROXY', environment))
      : env('HTTP_PROXY', environment);
  if (!value) return null;
  return new URL(value.includes('://') ? value : `http://${value}`);
}

/** pip's PIP_CERT (a PEM bundle, e.g. a company's TLS-inspecting proxy CA) is trusted besides Node's own roots. */
function certificateAuthorities(environment: NodeJS.ProcessEnv = process.env): { ca?: string[] } {
  const bundle = environment['PIP_CERT'];
  if (!bundle) return {};
  try {
    return { ca: [...tls.rootCertificates, readFileSync(bundle, 'utf8')] };
  } catch (error) {
    throw new HttpError(`PIP_CERT=${bundle} cannot be read: ${(error as Error).message}`);
  }
}

function basicAuth(url: URL): string | undefined {
  if (!url.username && !url.password) return undefined;
  return `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
}

function withoutCredentials(url: URL): string {
  const copy = new URL(url);
  copy.username = '';
  copy.password = '';
  return copy.toString();
}

/** Opens a CONNECT tunnel to `target` through `proxy` and returns the raw socket. */
function tunnel(proxy: URL, target: URL): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const port = target.port || '443';
    const request = (proxy.protocol === 'https:' ? https : http).request({
      host: proxy.hostname,
      port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: `${target.hostname}:${port}`,
      headers: {
        host: `${target.hostname}:${port}`,
        ...(basicAuth(proxy) ? { 'proxy-authorization': basicAuth(proxy)! } : {}),
      },
    });
    request.once('connect', (response, socket) => {
      if (response.statusCode === 200) return resolve(socket);
      socket.destroy();
      reject(
        new HttpError(
          `proxy ${proxy.host} refused a tunnel to ${target.host}: HTTP ${response.statusCode}`,
          response.statusCode,
        ),
      );
    });
    request.once('error', (error) => reject(new HttpError(`proxy ${proxy.host} unreachable: ${error.message}`)));
    request.end();
  });
}

export interface GetOptions {
  headers?: Record<string, string>;
  environment?: NodeJS.ProcessEnv;
  /** Milliseconds without any data before giving up. */
  idleTimeoutMs?: number;
}

/**
 * GETs `url`, following redirects, and resolves with the 200 response (a readable stream) and the final URL.
 * Credentials in the URL go only to that URL's host, never to a host a redirect leads to.
 */
export async function get(
  url: string,
  options: GetOptions = {},
): Promise<{ response: http.IncomingMessage; url: URL }> {
  let current = new URL(url);
  const origin = current.host;
  const credentials = basicAuth(current);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const proxy = proxyFor(current, options.environment);
    const headers: Record<string, string> = { 'user-agent': 'lepton-tensorflow-install', ...options.headers };
    if (credentials && current.host === origin) headers['authorization'] = credentials;
    const secure = current.protocol === 'https:';
    let requestOptions: https.RequestOptions;
    if (proxy && secure) {
      const socket = await tunnel(proxy, current);
      const secured = tls.connect({
        socket,
        servername: current.hostname,
        ...certificateAuthorities(options.environment),
      });
      requestOptions = {
        host: current.hostname,
        path: current.pathname + current.search,
        headers,
        createConnection: () => secured,
      };
    } else if (proxy) {
      // Plain HTTP through a proxy: ask it for the absolute URL.
      const proxyAuth = basicAuth(proxy);
      requestOptions = {
        host: proxy.hostname,
        port: proxy.port || 80,
        path: withoutCredentials(current),
        headers: { ...headers, host: current.host, ...(proxyAuth ? { 'proxy-authorization': proxyAuth } : {}) },
      };
    } else {
      requestOptions = {
        host: current.hostname,
        port: current.port || (secure ? 443 : 80),
        path: current.pathname + current.search,
        headers,
        ...(secure ? certificateAuthorities(options.environment) : {}),
      };
    }
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      // Through a proxy the request is plain HTTP to the proxy, or HTTP over the TLS socket made above.
      const request = (secure && !proxy ? https : http).get(requestOptions, resolve);
      request.setTimeout(options.idleTimeoutMs ?? 60_000, () =>
        request.destroy(
          new HttpError(`no answer from ${current.host} within ${(options.idleTimeoutMs ?? 60_000) / 1000} s`),
        ),
      );
      request.once('error', (error) =>
        reject(
          error instanceof HttpError
            ? error
            : new HttpError(
                `cannot reach ${current.host}${proxy ? ` through proxy ${proxy.host}` : ''}: ${error.message}`,
              ),
        ),
      );
    });
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      current = new URL(response.headers.location, current);
      continue;
    }
    if (status !== 200) {
      response.resume();
      throw new HttpError(`${withoutCredentials(current)} answered HTTP ${status}`, status);
    }
    return { response, url: current };
  }
  throw new HttpError(`${url}: more than ${MAX_REDIRECTS} redirects`);
}

export async function getText(
  url: string,
  options: GetOptions = {},
): Promise<{ text: string; contentType: string; url: URL }> {
  const { response, url: finalUrl } = await get(url, options);
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return {
    text: Buffer.concat(chunks).toString('utf8'),
    contentType: String(response.headers['content-type'] ?? ''),
    url: finalUrl,
  };
}
