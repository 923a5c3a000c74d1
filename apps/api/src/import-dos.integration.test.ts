import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createGzip } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  isHealthy,
  processTree,
  PROCESS_TEST_TIMEOUTS,
  sleep,
  startApi,
  stopApi,
  temporaryFolders,
} from './testing/platform-process';

/** ~100 MB of `x,y,label` rows that gzip to a few hundred KB: what took the API down when it parsed imports itself. */
async function decompressionBomb(megabytes: number): Promise<{ gz: Buffer; rows: number }> {
  const rowsPerChunk = 65_536;
  const chunk = Buffer.from(Array.from({ length: rowsPerChunk }, (_, i) => `${i % 10}.5,${(i * 7) % 10}.25,${i % 2 ? 'a' : 'b'}\n`).join(''));
  const gzip = createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gzip.on('data', (part: Buffer) => parts.push(part));
  const ended = new Promise((resolve) => gzip.on('end', resolve));
  gzip.write('x,y,label\n');
  const chunks = Math.ceil((megabytes * 1024 ** 2) / chunk.length);
  for (let index = 0; index < chunks; index += 1) {
    if (!gzip.write(chunk)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await ended;
  return { gz: Buffer.concat(parts), rows: chunks * rowsPerChunk };
}

describe('importing a decompression bomb through the API (issue 6 §1)', PROCESS_TEST_TIMEOUTS, () => {
  const folders = temporaryFolders('lepton-import-dos-');
  afterAll(() => folders.removeAll());

  it('answers IMPORTING at once, keeps /healthz answering, and the worker FAILs it at a cap with a bounded heap', async () => {
    const bomb = await decompressionBomb(100);
    expect(bomb.gz.length).toBeLessThan(400 * 1024);
    const dir = folders.create();
    const api = await startApi({
      dataDir: dir,
      env: {
        LEPTON_API_PROCESSES: '1',
        LEPTON_WORKERS: '1',
        // Every process of the platform gets a heap far smaller than the file: the API parsing it, as
        // it did, dies; a worker streaming it stays within it.
        NODE_OPTIONS: '--max-old-space-size=256',
        // Past the ratio check (the bomb expands ~500 times), so that the worker parses rows until the row cap.
        LEPTON_IMPORT_MAX_COMPRESSION_RATIO: '2000',
        LEPTON_IMPORT_MAX_ROWS: '1000000',
      },
    });
    const token = readFileSync(path.join(dir, 'admin-token'), 'utf8').trim();
    const gql = async <T>(query: string, variables: Record<string, unknown>) => {
      const response = await fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: T; errors?: unknown };
      if (!body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
      return body.data;
    };
    try {
      const upload = await fetch(api.url.replace(/\/graphql$/, '/v1/uploads'), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'x-filename': 'bomb.csv.gz' },
        body: bomb.gz,
      });
      expect(upload.status).toBe(201);
      const { uploadId } = (await upload.json()) as { uploadId: string };

      let healthChecks = 0;
      let unhealthy = 0;
      let watching = true;
      const watcher = (async () => {
        while (watching) {
          healthChecks += 1;
          if (!(await Promise.race([isHealthy(api.port), sleep(2_000).then(() => false)]))) unhealthy += 1;
          await sleep(100);
        }
      })();

      const { importDataset } = await gql<{ importDataset: { id: string; status: string } }>(
        `mutation($input: ImportDatasetInput!) { importDataset(input: $input) { id status } }`,
        { input: { name: 'bomb', format: 'CSV', uploadId, options: { label: 'label' } } },
      );
      expect(importDataset.status).toBe('IMPORTING');

      let version: { status: string; importProgress: number; importError: { message: string } | null } | undefined;
      const deadline = Date.now() + 180_000;
      while (Date.now() < deadline) {
        const { dataset } = await gql<{ dataset: { version: NonNullable<typeof version> } }>(
          `query { dataset(name: "bomb") { version(number: 1) { status importProgress importError { message } } } }`,
          {},
        );
        version = dataset.version;
        if (version.status !== 'IMPORTING') break;
        await sleep(250);
      }
      watching = false;
      await watcher;

      expect(version?.status, api.output()).toBe('FAILED');
      expect(version!.importError!.message).toMatch(/bomb\.csv: has more than 1000000 rows \(LEPTON_IMPORT_MAX_ROWS\)/);
      expect(healthChecks).toBeGreaterThan(0);
      expect(unhealthy).toBe(0);
      // Every process still runs: none hit its heap limit.
      expect(api.child.exitCode).toBeNull();
      expect(api.output()).not.toMatch(/heap limit|out of memory/i);
      expect(processTree(api.child.pid!).some((info) => info.command.includes('apps/worker/src/main.ts'))).toBe(true);
      // The worker removed what it downloaded.
      const scratch = path.join(dir, 'worker', 'imports');
      expect(readdirSync(scratch, { recursive: true }).filter((entry) => !/^\d+$/.test(String(entry)))).toEqual([]);
    } finally {
      expect(await stopApi(api)).toBe(0);
    }
  });
});
