import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { aRun, createProject, dataOf, startTestApi, tokenFor, type TestApi } from '../testing';

function wsClient(api: TestApi, token: string | null): Client {
  return createClient({
    url: api.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

/** Resolves once the API process has registered one more live subscription than `before`. */
async function subscribed(api: TestApi, before: number): Promise<void> {
  for (let attempt = 0; attempt < 500 && api.bus.subscriberCount() <= before; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(api.bus.subscriberCount()).toBeGreaterThan(before);
}

/** Subscribes and resolves with the first `count` events. */
function firstEvents<T>(client: Client, query: string, variables: Record<string, unknown>, count: number) {
  const events: T[] = [];
  const done = new Promise<T[]>((resolve, reject) => {
    const unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) return reject(new Error(JSON.stringify(result.errors)));
          events.push(result.data as T);
          if (events.length === count) {
            unsubscribe();
            resolve(events);
          }
        },
        error: reject,
        complete: () => resolve(events),
      },
    );
  });
  return { done };
}

describe('subscriptions over graphql-ws', () => {
  let apiA: TestApi;
  let apiB: TestApi;
  beforeAll(async () => {
    apiA = await startTestApi();
    apiB = await startTestApi({ sameDatabaseAs: apiA });
  });
  afterAll(async () => {
    await apiB.close();
    await apiA.close();
  });

  it('delivers metricsLogged from one API process to a subscriber of another (LISTEN/NOTIFY)', async () => {
    const runId = await aRun(apiA);
    const client = wsClient(apiB, apiA.adminToken);
    const before = apiB.bus.subscriberCount();
    const subscription = firstEvents<{ metricsLogged: { runId: string; count: number; latest: { key: string; step: number; value: number }[] } }>(
      client,
      `subscription($runId: ID!) { metricsLogged(runId: $runId) { runId count latest { key step value } } }`,
      { runId },
      2,
    );
    await subscribed(apiB, before);
    dataOf(await apiA.gql(`mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { accepted } }`, {
      runId,
      points: [
        { key: 'loss', step: 0, value: 1.5 },
        { key: 'loss', step: 1, value: 1.2 },
        { key: 'acc', step: 1, value: 0.4 },
      ],
    }));
    dataOf(await apiA.gql(`mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { accepted } }`, {
      runId,
      points: [{ key: 'loss', step: 2, value: 0.9 }],
    }));
    const events = await subscription.done;
    await client.dispose();
    expect(events[0]!.metricsLogged).toEqual({
      runId,
      count: 3,
      latest: [
        { key: 'loss', step: 1, value: 1.2 },
        { key: 'acc', step: 1, value: 0.4 },
      ],
    });
    expect(events[1]!.metricsLogged.latest).toEqual([{ key: 'loss', step: 2, value: 0.9 }]);
  });

  it('delivers runUpdated with the run as stored after the change', async () => {
    const runId = await aRun(apiA);
    const client = wsClient(apiB, apiA.adminToken);
    const before = apiB.bus.subscriberCount();
    const subscription = firstEvents<{ runUpdated: { id: string; status: string; endedAt: string | null } }>(
      client,
      `subscription($id: ID!) { runUpdated(id: $id) { id status endedAt } }`,
      { id: runId },
      1,
    );
    await subscribed(apiB, before);
    dataOf(await apiA.gql(`mutation($id: ID!) { finishRun(id: $id, status: SUCCEEDED) { id } }`, { id: runId }));
    const [event] = await subscription.done;
    await client.dispose();
    expect(event!.runUpdated.id).toBe(runId);
    expect(event!.runUpdated.status).toBe('SUCCEEDED');
    expect(event!.runUpdated.endedAt).not.toBeNull();
  });

  it('refuses a WebSocket connection without a valid token', async () => {
    const client = wsClient(apiA, 'lep_not_a_real_token_000000000000000000000');
    const runId = await aRun(apiA);
    const outcome = firstEvents(client, `subscription($id: ID!) { runUpdated(id: $id) { id } }`, { id: runId }, 1).done;
    await expect(outcome).rejects.toMatchObject({ code: 4403 });
    await client.dispose();
  });

  it("refuses to subscribe to another project's run, answering as for a run that does not exist", async () => {
    const otherProject = await createProject(apiA);
    const outsider = await tokenFor(apiA, otherProject, 'ADMIN');
    const runId = await aRun(apiA);
    const client = wsClient(apiA, outsider);
    const outcome = firstEvents(client, `subscription($id: ID!) { runUpdated(id: $id) { id } }`, { id: runId }, 1).done;
    await expect(outcome).rejects.toThrow(/NOT_FOUND/);
    await client.dispose();
  });
});
