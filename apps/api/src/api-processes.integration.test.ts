import { createClient } from 'graphql-ws';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  processTree,
  sleep,
  startApi,
  stopApi,
  type ApiProcess,
  PROCESS_TEST_TIMEOUTS,
  temporaryFolders,
} from './testing/platform-process';

interface Answer {
  process: string;
  body: { data?: Record<string, unknown>; errors?: unknown[]; status?: string };
}

/** One request on a connection of its own, so the primary may hand it to any API process. */
function onNewConnection(url: string, token: string | undefined, body?: object): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers['authorization'] = `Bearer ${token}`;
    const call = request(url, { method: body ? 'POST' : 'GET', agent: false, headers }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () =>
        resolve({ process: String(response.headers['x-lepton-process']), body: JSON.parse(text) }),
      );
    });
    call.on('error', reject);
    call.end(body ? JSON.stringify(body) : undefined);
  });
}

/** The API processes (cluster workers) under the primary. */
function apiProcessIds(api: ApiProcess): number[] {
  return processTree(api.child.pid!)
    .filter((info) => info.ppid === api.child.pid && info.command.includes('apps/api/src/main.ts'))
    .map((info) => info.pid);
}

describe('npm start with LEPTON_API_PROCESSES=2', PROCESS_TEST_TIMEOUTS, () => {
  const folders = temporaryFolders('lepton-cluster-');
  let api: ApiProcess;
  let token: string;
  beforeAll(async () => {
    const dir = folders.create();
    api = await startApi({ dataDir: dir, env: { LEPTON_API_PROCESSES: '2', LEPTON_WORKERS: '0' } });
    token = readFileSync(path.join(dir, 'admin-token'), 'utf8').trim();
  }, PROCESS_TEST_TIMEOUTS.timeout);
  afterAll(async () => {
    if (api) expect(await stopApi(api)).toBe(0);
    folders.removeAll();
  });

  it('serves /healthz and GraphQL from both processes on one port', async () => {
    // The port opens with the first process; the primary reports once both listen.
    for (let attempt = 0; attempt < 600 && !api.output().includes('served by 2 API process(es)'); attempt += 1)
      await sleep(100);
    expect(api.output()).toContain('served by 2 API process(es)');
    expect(apiProcessIds(api)).toHaveLength(2);
    const seen = new Set<string>();
    for (let attempt = 0; attempt < 50 && seen.size < 2; attempt += 1) {
      const health = await onNewConnection(api.url.replace(/graphql$/, 'healthz'), undefined);
      expect(health.body.status).toBe('ok');
      seen.add(health.process);
    }
    expect(seen.size).toBe(2);
    const viewer = await onNewConnection(api.url, token, { query: '{ viewer { user { name } } }' });
    expect(viewer.body.data).toEqual({ viewer: { user: { name: 'admin' } } });
  });

  it('delivers to a subscriber on one process the metrics logged through the other', async () => {
    const created = await onNewConnection(api.url, token, {
      query: 'mutation { createRun(input: { name: "across-processes" }) { id } } ',
    });
    const runId = (created.body.data as { createRun: { id: string } }).createRun.id;

    let subscriberProcess: string | undefined;
    class TrackedWebSocket extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        this.on('upgrade', (response) => (subscriberProcess = String(response.headers['x-lepton-process'])));
      }
    }
    const client = createClient({
      url: api.url.replace(/^http/, 'ws'),
      webSocketImpl: TrackedWebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    const receivedSteps = new Set<number>();
    const unsubscribe = client.subscribe<{ metricsLogged: { latest: { step: number }[] } }>(
      { query: 'subscription($runId: ID!) { metricsLogged(runId: $runId) { latest { step } } }', variables: { runId } },
      {
        next: (result) => result.data?.metricsLogged.latest.forEach((point) => receivedSteps.add(point.step)),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    try {
      // Batches go out on fresh connections until one handled by the other process has reached
      // the subscriber (the first batches may precede the subscription).
      const handledBy = new Map<number, string>();
      const crossed = () =>
        [...receivedSteps].some(
          (step) => handledBy.get(step) !== undefined && handledBy.get(step) !== subscriberProcess,
        );
      for (let step = 0; step < 200 && !crossed(); step += 1) {
        const logged = await onNewConnection(api.url, token, {
          query:
            'mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { accepted } }',
          variables: { runId, points: [{ key: 'loss', step, value: 1 / (step + 1) }] },
        });
        expect(logged.body.errors).toBeUndefined();
        handledBy.set(step, logged.process);
        await sleep(50);
      }
      expect(subscriberProcess).toMatch(/^\d+$/);
      expect(crossed()).toBe(true);
    } finally {
      unsubscribe();
      await client.dispose();
    }
  });

  it('replaces an API process that dies, and keeps serving meanwhile', async () => {
    const [victim] = apiProcessIds(api);
    process.kill(victim!, 'SIGKILL');
    for (
      let attempt = 0;
      attempt < 300 && !/API process \d+ exited \(SIGKILL\); starting another/.test(api.output());
      attempt += 1
    ) {
      await sleep(100);
    }
    expect(api.output()).toMatch(/API process \d+ exited \(SIGKILL\); starting another/);
    const health = await onNewConnection(api.url.replace(/graphql$/, 'healthz'), undefined);
    expect(health.body.status).toBe('ok');
    // The replacement (cluster id 3) joins the other one behind the port.
    const seen = new Set<string>();
    for (let attempt = 0; attempt < 600 && !seen.has('3'); attempt += 1) {
      seen.add((await onNewConnection(api.url.replace(/graphql$/, 'healthz'), undefined)).process);
      await sleep(50);
    }
    expect(seen.has('3')).toBe(true);
    expect(apiProcessIds(api)).toHaveLength(2);
    expect(apiProcessIds(api)).not.toContain(victim);
  });
});
