import type { DeploymentCatalog } from '@lepton/registry';
import type { ServedDeployments } from './served-deployments';

export type CatalogReader = Pick<DeploymentCatalog, 'loadAll' | 'load' | 'changes'>;

/** A full re-read also catches notifications lost while the LISTEN connection was down. */
const DEFAULT_RESYNC_MS = 30_000;
const RETRY_MS = 2_000;

/**
 * Keeps ServedDeployments equal to the catalog: a full read at start (retried until the database answers), one
 * deployment re-read per `lepton_deployment_changed` notification, and a full re-read every `resyncMs`.
 */
export class CatalogSync {
  private changes: AsyncIterableIterator<{ deploymentId: string }> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private loadedOnce = false;

  constructor(
    private readonly catalog: CatalogReader,
    private readonly served: ServedDeployments,
    private readonly log: (line: string) => void,
    private readonly resyncMs = DEFAULT_RESYNC_MS,
  ) {}

  /** The catalog was read at least once. */
  get synced(): boolean {
    return this.loadedOnce;
  }

  /** Subscribes first (so no change between the read and the subscription is missed), then reads everything. */
  start(): void {
    this.changes = this.catalog.changes();
    void this.follow(this.changes);
    void this.resync();
  }

  /** Re-reads one deployment now (a request named one this process has not heard of yet). */
  async refresh(deploymentId: string): Promise<void> {
    this.served.apply(deploymentId, await this.catalog.load(deploymentId));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.changes?.return?.();
  }

  private async follow(changes: AsyncIterableIterator<{ deploymentId: string }>): Promise<void> {
    for await (const { deploymentId } of changes) {
      if (this.stopped) return;
      await this.refresh(deploymentId).catch((error: unknown) =>
        this.log(
          `catalog: could not re-read deployment ${deploymentId} (${message(error)}); the next full read catches up`,
        ),
      );
    }
  }

  private async resync(): Promise<void> {
    let delay = this.resyncMs;
    try {
      this.served.replaceAll(await this.catalog.loadAll());
      this.loadedOnce = true;
    } catch (error) {
      this.log(`catalog: could not read the deployments (${message(error)}); retrying`);
      if (!this.loadedOnce) delay = RETRY_MS;
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.resync(), delay);
    this.timer.unref();
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
