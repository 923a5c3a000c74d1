import {
  RequestSampler,
  RequestStatsAccumulator,
  SERVING_HEARTBEAT_SECONDS,
  type DeploymentCatalog,
  type RecordedRequest,
  type RequestSample,
} from '@lepton/registry';
import type { ServedDeployments } from '../revisions/served-deployments';

export type ControlPlaneWriter = Pick<
  DeploymentCatalog,
  'recordStats' | 'recordSamples' | 'heartbeatInstance' | 'removeInstance'
>;

export interface InstanceIdentity {
  id: string;
  host: string;
  pid: number;
  url: string;
}

/** Samples waiting for a flush; beyond this the oldest are dropped (a down database must not grow memory). */
const MAX_PENDING_SAMPLES = 2_000;

/**
 * What a serving process tells the control plane every few seconds: its heartbeat (which revisions are loaded,
 * ready or failed here), request statistics per deployment, revision and 10-second bucket, and the sampled request
 * log. A failed flush keeps the statistics for the next one.
 */
export class ServingReporter {
  private readonly stats = new RequestStatsAccumulator();
  private readonly sampler = new RequestSampler();
  private samples: RequestSample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly controlPlane: ControlPlaneWriter,
    private readonly instance: InstanceIdentity,
    private readonly served: ServedDeployments,
    private readonly log: (line: string) => void,
    private readonly everyMs = SERVING_HEARTBEAT_SECONDS * 1000,
  ) {}

  record(request: RecordedRequest): void {
    this.stats.record(request);
  }

  /** Whether this answer goes to the request log; decided before anything is hashed. */
  shouldSample(deploymentId: string, status: number): boolean {
    return this.sampler.shouldSample(deploymentId, status);
  }

  sample(sample: RequestSample): void {
    this.samples.push(sample);
    if (this.samples.length > MAX_PENDING_SAMPLES) this.samples.splice(0, this.samples.length - MAX_PENDING_SAMPLES);
  }

  start(): void {
    const tick = () => {
      this.flushing = this.flush().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.everyMs).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  /** Heartbeat, statistics and samples now. */
  async flush(): Promise<void> {
    try {
      await this.controlPlane.heartbeatInstance({ ...this.instance, ...this.served.report() });
    } catch (error) {
      this.log(`heartbeat failed: ${message(error)}`);
    }
    const rows = this.stats.drain();
    if (rows.length > 0) {
      await this.controlPlane.recordStats(rows).catch((error: unknown) => {
        this.stats.restore(rows);
        this.log(`request statistics not stored yet (${message(error)}); retrying with the next flush`);
      });
    }
    const samples = this.samples;
    this.samples = [];
    if (samples.length > 0) {
      await this.controlPlane
        .recordSamples(samples)
        .catch((error: unknown) => this.log(`request log samples dropped: ${message(error)}`));
    }
  }

  /** Last flush, then the instance row goes (other processes and GraphQL stop counting it at once). */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flushing;
    await this.flush();
    await this.controlPlane
      .removeInstance(this.instance.id)
      .catch((error: unknown) => this.log(`could not remove the instance row: ${message(error)}`));
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
