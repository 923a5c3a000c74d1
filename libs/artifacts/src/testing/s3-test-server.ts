import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface S3TestServer {
  endpoint: string;
  /** A client for arranging and inspecting buckets behind the store's back. */
  client: S3Client;
  createBucket(): Promise<string>;
  close(): Promise<void>;
}

// Runs s3rver's programmatic API (see its README) and prints the address it listens on. It exits
// when its stdin closes, so it cannot outlive a crashed test process.
const SERVER_SCRIPT = `
const S3rver = require(process.argv[1]);
new S3rver({ address: '127.0.0.1', port: 0, directory: process.argv[2], silent: true })
  .run()
  .then((address) => console.log(JSON.stringify(address)));
process.stdin.on('end', () => process.exit(0)).resume();
`;

/**
 * A real S3-compatible server (s3rver) on an ephemeral loopback port, storing in a temp folder.
 * It runs in a child process because its ListObjectsV2 continuation tokens use DES, which
 * Node's OpenSSL 3 only offers with --openssl-legacy-provider; in-process, every listing of
 * more than 1,000 objects would fail.
 */
export async function startS3TestServer(): Promise<S3TestServer> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'lepton-s3rver-'));
  const s3rverPath = createRequire(import.meta.url).resolve('s3rver');
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', SERVER_SCRIPT, s3rverPath, directory], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const [line] = await Promise.race([
    once(createInterface({ input: child.stdout! }), 'line') as Promise<[string]>,
    exited.then(([code]) => Promise.reject(new Error(`s3rver exited with code ${code} before listening`))),
  ]);
  const { port } = JSON.parse(line) as { port: number };

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  let buckets = 0;
  return {
    endpoint,
    client,
    async createBucket() {
      const bucket = `bucket-${++buckets}`;
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      return bucket;
    },
    async close() {
      client.destroy();
      child.stdin!.end();
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
