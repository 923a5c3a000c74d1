import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Platform } from './platform';

/** What one run's `metricsLogged` subscriber saw. */
export interface RunEvents {
  /** Points the events announced (each event's `count`). */
  received: number;
  /** When the first event arrived: from then on the subscription is known to be live. */
  liveSince: number | undefined;
  error: string | undefined;
}

/**
 * `metricsLogged` subscriptions over one WebSocket (to whichever API process accepted it), one per
 * run being written: every batch stored by any API process must reach it through LISTEN/NOTIFY.
 */
export class MetricsSubscriber {
  private readonly client: Client;
  private readonly runs = new Map<string, { events: RunEvents; stop: () => void }>();

  constructor(platform: Platform) {
    this.client = createClient({
      url: platform.graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${platform.adminToken}` },
      lazy: true,
    });
  }

  follow(runId: string): RunEvents {
    const events: RunEvents = { received: 0, liveSince: undefined, error: undefined };
    const stop = this.client.subscribe<{ metricsLogged: { count: number } }>(
      { query: 'subscription($runId: ID!) { metricsLogged(runId: $runId) { count } }', variables: { runId } },
      {
        next: (result) => {
          if (result.errors?.length) events.error = result.errors[0]!.message;
          if (!result.data) return;
          events.liveSince ??= performance.now();
          events.received += result.data.metricsLogged.count;
        },
        error: (error) => (events.error = error instanceof Error ? error.message : JSON.stringify(error)),
        complete: () => undefined,
      },
    );
    this.runs.set(runId, { events, stop });
    return events;
  }

  unfollow(runId: string): void {
    this.runs.get(runId)?.stop();
    this.runs.delete(runId);
  }

  async close(): Promise<void> {
    for (const runId of [...this.runs.keys()]) this.unfollow(runId);
    await this.client.dispose();
  }
}
