import { LATENCY_BUCKETS_MS } from '@lepton/registry';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ServedDeployments } from '../revisions/served-deployments';

/** Which API answered: the friendly predict, OIP v2 infer, or OIP metadata/readiness. */
export type Endpoint = 'predict' | 'infer' | 'metadata';

const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

/**
 * Prometheus metrics of one serving process (its own registry, so tests can run several in one process): requests
 * and latency per deployment, revision, endpoint and status; batch sizes; queue depth; which revisions are ready
 * and on which backend. Latency buckets are the same bounds the control plane's request statistics use.
 */
export class ServingMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'deployment' | 'revision' | 'endpoint' | 'code'>;
  private readonly latency: Histogram<'deployment' | 'revision' | 'endpoint'>;
  private readonly batchSize: Histogram<'deployment' | 'revision'>;
  private readonly batchSeconds: Histogram<'deployment' | 'revision'>;

  constructor(served: ServedDeployments) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'lepton_serving_requests_total',
      help: 'Requests answered, by deployment, revision (number; "none" before one was chosen), endpoint and HTTP status.',
      labelNames: ['deployment', 'revision', 'endpoint', 'code'],
      registers,
    });
    this.latency = new Histogram({
      name: 'lepton_serving_request_duration_seconds',
      help: 'Time from request to answer.',
      labelNames: ['deployment', 'revision', 'endpoint'],
      buckets: LATENCY_BUCKETS_MS.map((ms) => ms / 1000),
      registers,
    });
    this.batchSize = new Histogram({
      name: 'lepton_serving_batch_size',
      help: 'Instances per model call (dynamic batching).',
      labelNames: ['deployment', 'revision'],
      buckets: BATCH_SIZE_BUCKETS,
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'lepton_serving_batch_duration_seconds',
      help: 'Time of one model call on a batch.',
      labelNames: ['deployment', 'revision'],
      buckets: LATENCY_BUCKETS_MS.map((ms) => ms / 1000),
      registers,
    });
    new Gauge({
      name: 'lepton_serving_queue_depth',
      help: 'Instances waiting in the batcher.',
      labelNames: ['deployment', 'revision'],
      registers,
      collect() {
        this.reset();
        for (const { deployment, revision, queued } of served.queues()) {
          this.set({ deployment: deployment.name, revision: String(revision.number) }, queued);
        }
      },
    });
    new Gauge({
      name: 'lepton_serving_revision_ready',
      help: '1 when the revision is loaded and ready in this process (with the backend it runs on), else 0.',
      labelNames: ['deployment', 'revision', 'model_version', 'state', 'backend'],
      registers,
      collect() {
        this.reset();
        for (const { deployment, revision, status } of served.tracked()) {
          this.set(
            {
              deployment: deployment.name,
              revision: String(revision.number),
              model_version: String(revision.modelVersion.number),
              state: status.state,
              backend: status.state === 'READY' ? status.backend.backend : '',
            },
            status.state === 'READY' ? 1 : 0,
          );
        }
      },
    });
  }

  request(deployment: string, revision: string, endpoint: Endpoint, status: number, seconds: number): void {
    this.requests.inc({ deployment, revision, endpoint, code: String(status) });
    this.latency.observe({ deployment, revision, endpoint }, seconds);
  }

  batch(deployment: string, revision: string, rows: number, seconds: number): void {
    this.batchSize.observe({ deployment, revision }, rows);
    this.batchSeconds.observe({ deployment, revision }, seconds);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
