import { NotificationBus, openDatabase, type Database } from '@lepton/db';
import { createTestDatabase, type TestDatabase } from '@lepton/db/testing';
import { createLocalArtifactStore, type ArtifactStore } from '@lepton/artifacts';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from '@lepton/datasets';
import { lazyJobQueue } from '@lepton/jobs';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApiServer, type ApiServer } from '../server/create-api-server';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [key: string]: unknown } }[];
}

export interface TestApi {
  url: string;
  /** Token of the bootstrap ADMIN (unscoped). */
  adminToken: string;
  db: Database;
  bus: NotificationBus;
  /** The artifact store (a temporary folder) the API writes uploads, datasets and models to. */
  artifacts: ArtifactStore;
  artifactsDir: string;
  server: ApiServer;
  /** POSTs a GraphQL operation over real HTTP. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/**
 * A real API process in-test: its own migrated database, its own LISTEN connection, real HTTP on
 * a free port, and a bootstrap ADMIN token.
 */
export async function startTestApi(
  options: {
    production?: boolean;
    sameDatabaseAs?: TestApi;
    maxUploadBytes?: number;
    /**
     * Whether this process also works the import queue, as a worker would (default true), so that
     * importDataset ends READY or FAILED without a worker process. Off: imports stay IMPORTING.
     */
    importWorker?: boolean;
    importLimits?: Partial<ImportLimits>;
  } = {},
): Promise<TestApi> {
  // A second API process over the same database (as in a multi-replica deployment) shares the
  // first one's admin token and leaves the database to it.
  const shared = options.sameDatabaseAs;
  const database: TestDatabase = shared
    ? { url: shared.db.url, name: '', drop: async () => undefined }
    : await createTestDatabase();
  const db = openDatabase(database.url);
  const bus = new NotificationBus(database.url, db.pool);
  await bus.start();
  const artifactsDir = mkdtempSync(path.join(tmpdir(), 'lepton-test-artifacts-'));
  const queue = lazyJobQueue(database.url);
  const artifacts = createLocalArtifactStore(artifactsDir);
  const importScratch = path.join(artifactsDir, '.import-scratch');
  let importsWorked = false;
  // The import consumer starts with the queue, on the first import.
  const queueWithImports = async () => {
    const started = await queue.get();
    if (options.importWorker !== false && !importsWorked) {
      importsWorked = true;
      started.workImports((job) =>
        server.registry.datasetImportWorker
          .run({ datasetVersionId: job.datasetVersionId, signal: job.signal, scratchRoot: importScratch })
          .then(() => undefined),
      );
    }
    return started;
  };
  const server = await createApiServer({
    db,
    bus,
    port: 0,
    production: options.production ?? false,
    dependencies: {
      artifacts,
      queue: queueWithImports,
      importLimits: { ...DEFAULT_IMPORT_LIMITS, ...options.importLimits },
    },
    ...(options.maxUploadBytes !== undefined ? { maxUploadBytes: options.maxUploadBytes } : {}),
  });
  const adminToken = shared?.adminToken ?? `lep_test_${randomBytes(24).toString('hex')}`;
  if (!shared) await server.registry.auth.bootstrap(adminToken);

  return {
    url: server.url,
    adminToken,
    db,
    bus,
    server,
    gql: (query, variables, token = adminToken) => postGraphQL(server.url, query, variables, token),
    artifacts,
    artifactsDir,
    async close() {
      await server.close();
      await queue.stop();
      await bus.close();
      await db.close();
      await database.drop();
      rmSync(artifactsDir, { recursive: true, force: true });
    },
  };
}

export async function postGraphQL<T>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string | null,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

/** The `extensions.code` of the first error, or undefined when the call succeeded. */
export function errorCode(response: GraphQLResponse<unknown>): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

/** Unwraps `data`, failing loudly (with the server's errors) when the call did not succeed. */
export function dataOf<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length || !response.data) {
    throw new Error(`GraphQL call failed (${response.status}): ${JSON.stringify(response.errors)}`);
  }
  return response.data;
}
