import { InferenceError } from '../inference-error';

/** What the pool keeps: something that knows its size and how to free it. */
export interface Poolable {
  /** Bytes of weights held (what the memory cap counts). */
  readonly weightBytes: number;
  dispose(): void;
}

export interface PoolLease<M> {
  model: M;
  /** Ends this use; an evicted or removed model is disposed once its last lease ends. */
  release(): void;
}

interface Entry<M> {
  key: string;
  loading: Promise<M> | null;
  model: M | null;
  /** Leases not yet released (requests in flight). */
  leases: number;
  lastUsed: number;
  /** Removed or evicted while leased: dispose when the last lease ends. */
  retired: boolean;
}

/**
 * Loaded models under a memory cap (bytes of weights), least recently used first out. A model with requests in
 * flight (an unreleased lease) is never evicted; when a load would exceed the cap, idle models go first, and if
 * only leased ones remain the pool runs over the cap until they are released. Evicted models are disposed and
 * loaded again on their next acquire.
 */
export class ModelPool<M extends Poolable> {
  private readonly entries = new Map<string, Entry<M>>();
  private clock = 0;
  private evictions = 0;

  constructor(
    readonly capBytes: number,
    private readonly onEvict: (key: string) => void = () => undefined,
  ) {}

  /** Bytes of weights of the loaded models. */
  get bytes(): number {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.model?.weightBytes ?? 0;
    return total;
  }

  get evicted(): number {
    return this.evictions;
  }

  /** Keys whose model is loaded now. */
  loadedKeys(): string[] {
    return [...this.entries.values()].filter((entry) => entry.model !== null).map((entry) => entry.key);
  }

  isLoaded(key: string): boolean {
    return this.entries.get(key)?.model != null;
  }

  /** The loaded model for `key` without using it (no lease, no recency): for reports such as queue depth. */
  peek(key: string): M | null {
    return this.entries.get(key)?.model ?? null;
  }

  /** The model for `key`, loaded with `load` unless already loaded (concurrent calls share one load). */
  async acquire(key: string, load: () => Promise<M>): Promise<PoolLease<M>> {
    let entry = this.entries.get(key);
    if (!entry || entry.retired) {
      entry = { key, loading: null, model: null, leases: 0, lastUsed: 0, retired: false };
      this.entries.set(key, entry);
    }
    const current = entry;
    current.leases++;
    current.lastUsed = ++this.clock;
    try {
      if (!current.model) {
        current.loading ??= this.load(current, load);
        await current.loading;
      }
    } catch (error) {
      current.leases--;
      throw error;
    }
    let released = false;
    return {
      model: current.model!,
      release: () => {
        if (released) return;
        released = true;
        current.leases--;
        if (current.leases === 0 && current.retired) this.dispose(current);
        else this.enforceCap(null);
      },
    };
  }

  /** Unloads `key`'s model now if idle, else as soon as its requests are done. */
  remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    entry.retired = true;
    if (entry.leases === 0) this.dispose(entry);
  }

  private async load(entry: Entry<M>, load: () => Promise<M>): Promise<M> {
    try {
      const model = await load();
      if (model.weightBytes > this.capBytes) {
        model.dispose();
        throw new InferenceError(
          'MODEL_INVALID',
          `the model's weights are ${model.weightBytes} bytes, more than this process keeps loaded (${this.capBytes})`,
        );
      }
      if (entry.retired) {
        // Removed while loading: whoever is waiting still gets it, then it goes.
        entry.model = model;
        if (entry.leases === 0) this.dispose(entry);
        return model;
      }
      entry.model = model;
      this.enforceCap(entry);
      return model;
    } catch (error) {
      if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
      throw error;
    } finally {
      entry.loading = null;
    }
  }

  /** Evicts idle models, least recently used first, until the loaded ones fit the cap (never `keep`). */
  private enforceCap(keep: Entry<M> | null): void {
    let total = this.bytes;
    if (total <= this.capBytes) return;
    const idle = [...this.entries.values()]
      .filter((entry) => entry !== keep && entry.model !== null && entry.leases === 0)
      .sort((a, b) => a.lastUsed - b.lastUsed);
    for (const entry of idle) {
      if (total <= this.capBytes) break;
      total -= entry.model!.weightBytes;
      this.entries.delete(entry.key);
      entry.retired = true;
      this.dispose(entry);
      this.evictions++;
      this.onEvict(entry.key);
    }
  }

  private dispose(entry: Entry<M>): void {
    const model = entry.model;
    entry.model = null;
    model?.dispose();
  }
}
