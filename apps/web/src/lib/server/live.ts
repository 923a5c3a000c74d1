import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { TypedDocumentString } from '@/graphql/generated/graphql';
import { apiEndpoints } from './config';

export interface LiveSubscription {
  /** The SSE event name the browser listens for. */
  event: string;
  document: TypedDocumentString<unknown, Record<string, unknown>>;
  variables: Record<string, unknown>;
}

const KEEPALIVE_MS = 15_000;
const encoder = new TextEncoder();

function sse(event: string, data: unknown): Uint8Array {
  return encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * Opens one graphql-ws connection to the API with the user's token (server side) and relays each
 * subscription's events as server-sent events. The browser never sees the token; closing the
 * EventSource (or the page) closes the WebSocket.
 */
export function liveEventStream(
  token: string,
  subscriptions: LiveSubscription[],
  abort: AbortSignal,
): ReadableStream<Uint8Array> {
  let client: Client | undefined;
  let keepalive: ReturnType<typeof setInterval> | undefined;
  const disposers: (() => void)[] = [];
  const close = () => {
    clearInterval(keepalive);
    for (const dispose of disposers.splice(0)) dispose();
    void client?.dispose();
    client = undefined;
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (chunk: Uint8Array) => {
        if (!open) return;
        try {
          controller.enqueue(chunk);
        } catch {
          open = false;
        }
      };
      const finish = () => {
        if (!open) return;
        open = false;
        close();
        try {
          controller.close();
        } catch {
          // already closed by the consumer
        }
      };
      abort.addEventListener('abort', finish, { once: true });
      client = createClient({
        url: apiEndpoints().websocket,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 5,
        shouldRetry: () => true,
      });
      for (const subscription of subscriptions) {
        disposers.push(
          client.subscribe(
            { query: subscription.document.toString(), variables: subscription.variables },
            {
              next: (result) => {
                if (result.errors?.length)
                  send(
                    sse('failure', {
                      message: result.errors[0]!.message,
                      code: result.errors[0]!.extensions?.['code'],
                    }),
                  );
                else send(sse(subscription.event, result.data));
              },
              error: (error) => {
                const message = Array.isArray(error)
                  ? String(error[0]?.message ?? 'Subscription refused')
                  : 'The live connection to the API closed';
                send(sse('failure', { message }));
                finish();
              },
              complete: () => undefined,
            },
          ),
        );
      }
      send(encoder.encode(`: connected\n\n`));
      keepalive = setInterval(() => send(encoder.encode(`: keepalive\n\n`)), KEEPALIVE_MS);
    },
    cancel: close,
  });
}
