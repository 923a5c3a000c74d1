import pg from 'pg';

export type Channel = 'lepton_run_updated' | 'lepton_metrics_logged' | 'lepton_deployment_changed' | 'lepton_scenario_changed';
const CHANNELS: readonly Channel[] = ['lepton_run_updated', 'lepton_metrics_logged', 'lepton_deployment_changed', 'lepton_scenario_changed'];
/** A subscriber that stops reading must not grow memory without bound. */
const MAX_BUFFERED = 1000;

interface Subscriber {
  channel: Channel;
  accept: (payload: unknown) => boolean;
  push: (payload: unknown) => void;
}

/**
 * Postgres LISTEN/NOTIFY fan-out: every API process listens, so an event published by any
 * process (API or worker) reaches every subscriber, whichever process it is connected to.
 */
export class NotificationBus {
  private listener?: pg.Client;
  private readonly subscribers = new Set<Subscriber>();
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
  ) {}

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (message) => this.dispatch(message.channel as Channel, message.payload));
    client.on('error', () => this.reconnect());
    await client.connect();
    for (const channel of CHANNELS) await client.query(`LISTEN ${channel}`);
    this.listener = client;
  }

  async publish(channel: Channel, payload: object): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify(payload)]);
  }

  subscribe<T>(channel: Channel, accept: (payload: T) => boolean): AsyncIterableIterator<T> {
    const buffer: T[] = [];
    let wake: ((result: IteratorResult<T>) => void) | undefined;
    const subscriber: Subscriber = {
      channel,
      accept: accept as (payload: unknown) => boolean,
      push: (payload) => {
        if (wake) {
          const resolve = wake;
          wake = undefined;
          resolve({ value: payload as T, done: false });
        } else {
          buffer.push(payload as T);
          if (buffer.length > MAX_BUFFERED) buffer.shift();
        }
      },
    };
    this.subscribers.add(subscriber);
    const finish = (): Promise<IteratorResult<T>> => {
      this.subscribers.delete(subscriber);
      wake?.({ value: undefined, done: true });
      wake = undefined;
      return Promise.resolve({ value: undefined, done: true });
    };
    return {
      next: () => {
        const queued = buffer.shift();
        if (queued !== undefined) return Promise.resolve({ value: queued, done: false });
        if (!this.subscribers.has(subscriber)) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (wake = resolve));
      },
      return: finish,
      throw: finish,
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** Live subscriptions in this process (for health endpoints and tests). */
  subscriberCount(): number {
    return this.subscribers.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const subscriber of this.subscribers) subscriber.push = () => undefined;
    this.subscribers.clear();
    await this.listener?.end().catch(() => undefined);
  }

  private dispatch(channel: Channel, raw: string | undefined): void {
    if (!raw) return;
    let payload: unknown;
    try {
      payload = JSON.parse(raw);
    } catch {
      return;
    }
    for (const subscriber of this.subscribers) {
      if (subscriber.channel === channel && subscriber.accept(payload)) subscriber.push(payload);
    }
  }

  private reconnect(): void {
    if (this.closed) return;
    this.listener?.end().catch(() => undefined);
    this.listener = undefined;
    setTimeout(() => {
      this.start().catch(() => this.reconnect());
    }, 1000).unref();
  }
}
