import { randomUUID } from 'node:crypto';
import { RequestStatsAccumulator, startDeploymentMaintenance, type DeploymentMaintenance } from '@lepton/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDeployableModel, aDeployment, dataOf, startTestApi, type DeployableModel, type TestApi } from '../testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = Record<string, any>;

const SET_CANARY = `mutation($name: String!, $version: Int!, $weight: Int!, $analysis: CanaryAnalysisInput) {
  setDeploymentCanary(name: $name, version: $version, weight: $weight, analysis: $analysis) { name }
}`;
const STATE = `query($name: String!) {
  deployment(name: $name) {
    currentRevision { number }
    traffic { revision { number } weight }
    canary { lastAnalysis { verdict reason at figures { canaryRequests stableRequests canaryErrorRate stableErrorRate errorRateDelta canaryP99Ms stableP99Ms p99Ratio } } }
    events(first: 5) { edges { node { kind message actor details revision { number } } } }
  }
}`;
const ANALYSIS = {
  minRequests: 100,
  maxErrorRateDelta: 0.02,
  maxLatencyP99Ratio: 1.5,
  intervalSeconds: 30,
  windowSeconds: 300,
};

interface Traffic {
  requests: number;
  errors?: number;
  latencyMs: number;
}

describe('automatic canary analysis', () => {
  let api: TestApi;
  let model: DeployableModel;
  beforeAll(async () => {
    api = await startTestApi();
    model = await aDeployableModel(api, { versions: 2 });
  });
  afterAll(() => api.close());

  /** A deployment on v1 with a v2 canary under analysis, started `startedSecondsAgo` ago, and the traffic each revision served. */
  async function canaryWith(
    stable: Traffic,
    canary: Traffic,
    startedSecondsAgo = 60,
    analysis: Record<string, unknown> = ANALYSIS,
  ) {
    const { name, id } = await aDeployment(api, model, { version: 1 });
    dataOf(await api.gql(SET_CANARY, { name, version: 2, weight: 20, analysis }));
    await api.db.pool.query(
      `UPDATE deployment SET canary_started_at = now() - make_interval(secs => $2) WHERE id = $1`,
      [id, startedSecondsAgo],
    );
    const { rows } = await api.db.pool.query<{ stable: string; canary: string }>(
      'SELECT stable_revision_id AS stable, canary_revision_id AS canary FROM deployment WHERE id = $1',
      [id],
    );
    const accumulator = new RequestStatsAccumulator();
    const serve = (revisionId: string, traffic: Traffic) => {
      for (let index = 0; index < traffic.requests; index += 1) {
        const failed = index < (traffic.errors ?? 0);
        accumulator.record({
          deploymentId: id,
          revisionId,
          latencyMs: traffic.latencyMs,
          outcome: failed ? 'error' : 'ok',
          batchSize: 1,
        });
      }
    };
    serve(rows[0]!.stable, stable);
    serve(rows[0]!.canary, canary);
    await api.server.registry.deploymentCatalog.recordStats(accumulator.drain());
    return { name, id };
  }

  const state = async (name: string) => dataOf(await api.gql<Data>(STATE, { name })).deployment;
  const outcomeFor = async (name: string) =>
    (await api.server.registry.canaryAnalysis.runOnce()).find((outcome) => outcome.deployment === name);

  it('promotes a healthy canary by itself, recording the decision and its figures as a deployment event and an audit event', async () => {
    const { name, id } = await canaryWith(
      { requests: 800, errors: 4, latencyMs: 12 },
      { requests: 200, errors: 1, latencyMs: 12 },
    );
    expect((await outcomeFor(name))?.verdict).toBe('PROMOTE');
    const after = await state(name);
    expect(after.currentRevision.number).toBe(2);
    expect(after.traffic).toEqual([{ revision: { number: 2 }, weight: 100 }]);
    const event = after.events.edges[0].node;
    expect(event).toMatchObject({
      kind: 'ANALYSIS_PROMOTED',
      actor: null,
      revision: { number: 2 },
      details: {
        verdict: 'PROMOTE',
        canaryRevision: 2,
        stableRevision: 1,
        figures: { canaryRequests: 200, stableRequests: 800, canaryErrorRate: 0.005, stableErrorRate: 0.005 },
      },
    });
    expect(event.message).toMatch(
      /^Canary revision 2: Promoted after 200 canary requests: error rate 0\.50% \(canary\) vs 0\.50% \(stable\); p99 /,
    );
    const { rows } = await api.db.pool.query(
      'SELECT action, actor_id, details FROM audit_event WHERE target_id = $1 ORDER BY id DESC LIMIT 1',
      [id],
    );
    expect(rows[0]).toMatchObject({
      action: 'deployment.analysisPromote',
      actor_id: null,
      details: expect.objectContaining({ figures: expect.objectContaining({ canaryRequests: 200 }) }),
    });
  });

  it('rolls back a canary that errors more than the stable revision', async () => {
    const { name } = await canaryWith(
      { requests: 800, errors: 8, latencyMs: 12 },
      { requests: 200, errors: 30, latencyMs: 12 },
    );
    expect((await outcomeFor(name))?.verdict).toBe('ROLL_BACK');
    const after = await state(name);
    expect(after.currentRevision.number).toBe(1);
    expect(after.traffic).toEqual([{ revision: { number: 1 }, weight: 100 }]);
    expect(after.events.edges[0].node).toMatchObject({
      kind: 'ANALYSIS_ROLLED_BACK',
      revision: { number: 1 },
      details: { verdict: 'ROLL_BACK', figures: { canaryErrorRate: 0.15, stableErrorRate: 0.01 } },
    });
  });

  it('rolls back a canary much slower than the stable revision', async () => {
    const { name } = await canaryWith({ requests: 800, latencyMs: 12 }, { requests: 200, latencyMs: 140 });
    expect((await outcomeFor(name))?.verdict).toBe('ROLL_BACK');
    expect((await state(name)).events.edges[0].node.details.figures.p99Ratio).toBeGreaterThan(1.5);
  });

  it('does nothing but record its figures while the canary has fewer than minRequests', async () => {
    const { name } = await canaryWith({ requests: 800, latencyMs: 12 }, { requests: 99, errors: 99, latencyMs: 12 });
    expect((await outcomeFor(name))?.verdict).toBe('WAIT');
    const after = await state(name);
    expect(after.traffic).toEqual([
      { revision: { number: 1 }, weight: 80 },
      { revision: { number: 2 }, weight: 20 },
    ]);
    expect(after.canary.lastAnalysis).toMatchObject({
      verdict: 'WAIT',
      figures: { canaryRequests: 99, stableRequests: 800 },
      at: expect.any(String),
    });
    expect(after.events.edges.map((edge: Data) => edge.node.kind)).toEqual(['CANARY_SET', 'CREATED']);
    // The next look comes an interval later, not on the next pass.
    expect(await outcomeFor(name)).toBeUndefined();
  });

  it('waits intervalSeconds after the canary started before its first look', async () => {
    const { name } = await canaryWith({ requests: 800, latencyMs: 12 }, { requests: 200, latencyMs: 12 }, 5);
    expect(await outcomeFor(name)).toBeUndefined();
    expect((await state(name)).canary.lastAnalysis).toBeNull();
  });

  it('rolls back a canary that live serving processes report they cannot load', async () => {
    const { name, id } = await canaryWith({ requests: 800, latencyMs: 12 }, { requests: 0, latencyMs: 12 });
    const { rows } = await api.db.pool.query<{ canary: string; stable: string }>(
      'SELECT canary_revision_id AS canary, stable_revision_id AS stable FROM deployment WHERE id = $1',
      [id],
    );
    const instance = {
      id: randomUUID(),
      host: 'serving-host',
      pid: 7,
      url: 'http://127.0.0.1:1',
      loadedRevisionIds: [rows[0]!.stable],
      readyRevisionIds: [rows[0]!.stable],
      failedRevisions: [
        { revisionId: rows[0]!.canary, message: 'weights are larger than LEPTON_SERVING_MAX_MODEL_MB' },
      ],
    };
    await api.server.registry.deploymentCatalog.heartbeatInstance(instance);
    try {
      expect((await outcomeFor(name))?.verdict).toBe('ROLL_BACK');
      const after = await state(name);
      expect(after.traffic).toEqual([{ revision: { number: 1 }, weight: 100 }]);
      expect(after.events.edges[0].node.message).toBe(
        'Canary revision 2: Rolled back: serving processes could not load the canary (weights are larger than LEPTON_SERVING_MAX_MODEL_MB).',
      );
    } finally {
      await api.server.registry.deploymentCatalog.removeInstance(instance.id);
    }
  });

  it('leaves canaries without an analysis config alone', async () => {
    const { name, id } = await aDeployment(api, model, { version: 1 });
    dataOf(await api.gql(SET_CANARY, { name, version: 2, weight: 20 }));
    await api.db.pool.query(`UPDATE deployment SET canary_started_at = now() - interval '1 hour' WHERE id = $1`, [id]);
    expect(await outcomeFor(name)).toBeUndefined();
  });

  it('ignores a decision about a canary that was replaced meanwhile', async () => {
    const { name, id } = await canaryWith({ requests: 800, latencyMs: 12 }, { requests: 200, latencyMs: 12 });
    const { rows } = await api.db.pool.query<{ canary: string }>(
      'SELECT canary_revision_id AS canary FROM deployment WHERE id = $1',
      [id],
    );
    dataOf(await api.gql(`mutation($name: String!) { rollbackDeployment(name: $name) { name } }`, { name }));
    const decision = {
      verdict: 'PROMOTE' as const,
      reason: 'stale',
      figures: {
        canaryRequests: 200,
        stableRequests: 800,
        canaryErrorRate: 0,
        stableErrorRate: 0,
        errorRateDelta: 0,
        canaryP99Ms: 1,
        stableP99Ms: 1,
        p99Ratio: 1,
      },
    };
    expect(await api.server.registry.deployments.applyAnalysis(id, rows[0]!.canary, decision, new Date())).toBeNull();
    expect((await state(name)).currentRevision.number).toBe(1);
  });

  describe('the maintenance loop', () => {
    const loops: DeploymentMaintenance[] = [];
    afterAll(async () => {
      await Promise.all(loops.map((loop) => loop.stop()));
    });

    async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!(await condition())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    it('runs in exactly one of several processes (advisory lock), which acts on due canaries; another takes over when it stops', async () => {
      const log: string[] = [];
      const first = startDeploymentMaintenance(api.db, api.server.registry, {
        tickMs: 100,
        log: (line) => log.push(`first: ${line}`),
      });
      loops.push(first);
      await until(() => first.isLeader, 'the first loop to take the lock');
      const second = startDeploymentMaintenance(api.db, api.server.registry, {
        tickMs: 100,
        log: (line) => log.push(`second: ${line}`),
      });
      loops.push(second);

      const { name } = await canaryWith({ requests: 500, latencyMs: 12 }, { requests: 150, latencyMs: 12 });
      await until(async () => (await state(name)).currentRevision.number === 2, 'the loop to promote the canary');
      expect(second.isLeader).toBe(false);
      expect(log.filter((line) => line.includes(name))).toEqual([
        expect.stringMatching(new RegExp(`^first: ${name}: Promoted after 150 canary requests`)),
      ]);
      const { rows } = await api.db.pool.query(
        "SELECT count(*)::int AS count FROM deployment_event e JOIN deployment d ON d.id = e.deployment_id WHERE d.name = $1 AND e.kind = 'ANALYSIS_PROMOTED'",
        [name],
      );
      expect(rows[0].count).toBe(1);

      await first.stop();
      await until(() => second.isLeader, 'the second loop to take over');
      const next = await canaryWith(
        { requests: 500, errors: 0, latencyMs: 12 },
        { requests: 150, errors: 50, latencyMs: 12 },
      );
      await until(async () => (await state(next.name)).canary === null, 'the second loop to roll the canary back');
      expect((await state(next.name)).events.edges[0].node.kind).toBe('ANALYSIS_ROLLED_BACK');
    });
  });
});
