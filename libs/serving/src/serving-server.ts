import { createArtifactStoreFromEnv, type ArtifactStore } from '@lepton/artifacts';
import { NotificationBus, openDatabase } from '@lepton/db';
import {
  InferenceRuntime,
  loadServableModel,
  ModelPool,
  nativeTensorflow,
  tfjsBackendSource,
  type AvailableBackends,
  type BackendName,
  type BackendSource,
  type ServableModel,
} from '@lepton/inference';
import { createRegistry, startDeploymentMaintenance } from '@lepton/registry';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { servingRequestHandler } from './http/serving-handler';
import { ServingMetrics } from './metrics/serving-metrics';
import { ServingReporter } from './reporting/serving-reporter';
import { CatalogSync } from './revisions/catalog-sync';
import { ServedDeployments } from './revisions/served-deployments';
import type { ServingConfig } from './serving-config';

export interface ServingOptions extends ServingConfig {
  databaseUrl: string;
  /** Default: LEPTON_ARTIFACT_STORE (the API's store). */
  artifacts?: ArtifactStore;
  /** How backends load; default: the JavaScript backends (and native TensorFlow where libs/backends finds it). */
  backends?: BackendSource;
  /** Run the deployment maintenance loop (canary analysis, retention); one process among all acts. Default true. */
  maintenance?: boolean;
  /** How often the whole catalog is read again, besides notifications. */
  resyncMs?: number;
  /** How often heartbeat, statistics and the request log are flushed. */
  reportEveryMs?: number;
  log?: (line: string) => void;
}

export interface ServingServer {
  url: string;
  instanceId: string;
  backends: AvailableBackends;
  /** Stops taking requests, answers those in flight, flushes statistics and removes the instance row. */
  close(): Promise<void>;
}

/** Answers in flight get this long on close before their connections are cut. */
const CLOSE_GRACE_MS = 10_000;

/**
 * A serving process: reads the deployments from the control plane's catalog (kept fresh by LISTEN/NOTIFY),
 * loads their revisions, and answers OIP v2 and friendly predictions over HTTP. Stateless: any number can run
 * against one database and artifact store.
 */
export async function startServing(options: ServingOptions): Promise<ServingServer> {
  const log = options.log ?? ((line: string) => console.log(`[serving] ${line}`));
  const db = openDatabase(options.databaseUrl, { maxConnections: 5 });
  const bus = new NotificationBus(options.databaseUrl, db.pool);
  try {
    await bus.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const artifacts = options.artifacts ?? createArtifactStoreFromEnv();
  const registry = createRegistry(db, bus, {
    artifacts,
    queue: () => Promise.reject(new Error('A serving process has no training queue')),
  });
  const catalog = registry.deploymentCatalog;

  const runtime = new InferenceRuntime({
    backends: options.backends ?? tfjsBackendSource(nativeTensorflow()),
    candidates: options.backend ? [options.backend] : options.candidates,
    ...(options.backend ? { forcedBy: `LEPTON_TF_BACKEND=${options.backend}` } : {}),
  });
  const backends = await runtime.available();
  for (const skipped of backends.skipped) log(`${skipped.backend} unavailable: ${skipped.reason}`);

  const pool = new ModelPool<ServableModel>(options.memoryCapBytes, (revisionId) =>
    log(
      `revision ${revisionId} unloaded to stay under ${options.memoryCapBytes} bytes of weights; it loads again on its next request`,
    ),
  );
  let metrics: ServingMetrics | null = null;
  const served = new ServedDeployments(
    pool,
    (revision, deployment) =>
      loadServableModel(
        {
          artifactUri: revision.modelVersion.artifactUri,
          dataset: revision.trainingDataset && {
            storageUri: revision.trainingDataset.storageUri,
            contentSha256: revision.trainingDataset.contentSha256,
          },
          batching: revision.batching,
        },
        {
          store: artifacts,
          runtime,
          maxWeightBytes: options.maxModelBytes,
          ...(options.workDir ? { workDir: options.workDir } : {}),
          onBatch: (report) =>
            metrics?.batch(deployment.name, String(revision.number), report.rows, report.durationMs / 1000),
        },
      ),
    log,
  );
  metrics = new ServingMetrics(served);
  const sync = new CatalogSync(catalog, served, log, options.resyncMs);

  const server = createServer();
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const localHost = options.host === '0.0.0.0' || options.host === '::' ? hostname() : options.host;
  const url = options.publicUrl ?? `http://${localHost.includes(':') ? `[${localHost}]` : localHost}:${port}`;
  const instanceId = randomUUID();
  const reporter = new ServingReporter(
    catalog,
    { id: instanceId, host: hostname(), pid: process.pid, url },
    served,
    log,
    options.reportEveryMs,
  );
  server.on(
    'request',
    servingRequestHandler({ served, sync, auth: catalog, reporter, metrics, maxBodyBytes: options.maxBodyBytes, log }),
  );
  // Malformed HTTP gets a plain 400; the process goes on.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  sync.start();
  reporter.start();
  const maintenance =
    options.maintenance === false
      ? null
      : startDeploymentMaintenance(db, registry, { log: (line) => log(`[deployments] ${line}`) });
  log(`instance ${instanceId} on ${url} (backends: ${backends.loaded.join(', ')})`);

  let closing: Promise<void> | null = null;
  return {
    url,
    instanceId,
    backends,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const grace = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
        await closed;
        clearTimeout(grace);
        await sync.stop();
        await maintenance?.stop();
        await reporter.stop();
        await bus.close();
        await db.close();
      })();
      return closing;
    },
  };
}

export type { BackendName };
