import { InferenceError, ModelPool, type ServableModel } from '@lepton/inference';
import type { CatalogDeployment, CatalogRevision } from '@lepton/registry';
import { describe, expect, it } from 'vitest';
import { ServedDeployments } from './served-deployments';

/** Revision `number` of deployment d1, serving model version `number` too. */
function revision(number: number): CatalogRevision {
  return {
    id: `r${number}`,
    number,
    batching: { maxBatchSize: 4, maxQueueDelayMs: 1, maxQueueSize: 16 },
    modelVersion: {
      id: `v${number}`,
      number,
      model: 'm',
      artifactUri: 'file:///x',
      artifactKey: 'x',
      framework: 'tfjs-layers',
      inputSignature: null,
      outputSignature: null,
    },
    trainingDataset: null,
  };
}

function deployment(stable: number, canary?: { number: number; weight: number }): CatalogDeployment {
  return {
    id: 'd1',
    name: 'demo',
    projectId: 'p1',
    logPayloads: false,
    updatedAt: new Date(0),
    stable: revision(stable),
    canary: canary ? { ...revision(canary.number), weight: canary.weight } : null,
  };
}

/** Loads that finish when the test says so, so every intermediate state can be looked at. */
function controlledLoads() {
  const pending = new Map<string, { resolve: () => void; reject: (error: unknown) => void }>();
  const disposed: string[] = [];
  const load = (rev: CatalogRevision) =>
    new Promise<ServableModel>((resolve, reject) => {
      const model = {
        weightBytes: 10,
        backend: { backend: 'cpu', versions: {}, trials: [], reason: 'test' },
        batcher: { queuedRows: 0 },
        dispose: () => disposed.push(rev.id),
      } as unknown as ServableModel;
      pending.set(rev.id, { resolve: () => resolve(model), reject });
    });
  const settle = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return {
    load,
    disposed,
    async finish(id: string) {
      pending.get(id)!.resolve();
      pending.delete(id);
      await settle();
    },
    async fail(id: string, error: unknown) {
      pending.get(id)!.reject(error);
      pending.delete(id);
      await settle();
    },
    loading: () => [...pending.keys()],
  };
}

const served = (loads: ReturnType<typeof controlledLoads>) =>
  new ServedDeployments(new ModelPool<ServableModel>(1000), loads.load, () => undefined);
const ids = (traffic: ReturnType<ServedDeployments['readyTraffic']>) =>
  traffic && {
    stable: traffic.stable.id,
    canary: traffic.canary && [traffic.canary.revision.id, traffic.canary.weight],
  };

describe('ServedDeployments', () => {
  it('routes nowhere until the stable revision is ready, and the canary share to stable until the canary is', async () => {
    const loads = controlledLoads();
    const state = served(loads);
    state.apply('d1', deployment(1));
    expect(state.readyTraffic('d1')).toBeNull();
    expect(state.whyNotReady('d1')).toContain('revision 1 (model version 1) is still loading');
    expect(state.settled()).toBe(false);
    await loads.finish('r1');
    expect(ids(state.readyTraffic('d1'))).toEqual({ stable: 'r1', canary: null });
    expect(state.settled()).toBe(true);

    state.apply('d1', deployment(1, { number: 2, weight: 20 }));
    expect(ids(state.readyTraffic('d1'))).toEqual({ stable: 'r1', canary: null });
    await loads.finish('r2');
    expect(ids(state.readyTraffic('d1'))).toEqual({ stable: 'r1', canary: ['r2', 20] });
    expect(state.idOf('demo')).toBe('d1');
  });

  it('keeps answering with the old stable after a rollback until the target is ready, then unloads the old one', async () => {
    const loads = controlledLoads();
    const state = served(loads);
    state.apply('d1', deployment(2));
    await loads.finish('r2');
    state.apply('d1', deployment(1)); // rollback to revision 1, not loaded here
    expect(ids(state.readyTraffic('d1'))).toEqual({ stable: 'r2', canary: null });
    expect(loads.loading()).toEqual(['r1']);
    await loads.finish('r1');
    expect(ids(state.readyTraffic('d1'))).toEqual({ stable: 'r1', canary: null });
    expect(loads.disposed).toEqual(['r2']);
    expect(state.report().readyRevisionIds).toEqual(['r1']);
  });

  it('promotes a ready canary at once and unloads the replaced stable', async () => {
    const loads = controlledLoads();
    const state = served(loads);
    state.apply('d1', deployment(1, { number: 2, weight: 50 }));
    await loads.finish('r1');
    await loads.finish('r2');
    state.apply('d1', deployment(2));
    expect(ids(state.readyTraffic('d1'))).toEqual({ stable: 'r2', canary: null });
    expect(loads.disposed).toEqual(['r1']);
  });

  it('reports a failed revision with its reason, retries failures that may pass, and not those that will not', async () => {
    const loads = controlledLoads();
    const state = served(loads);
    state.apply('d1', deployment(1));
    await loads.fail('r1', new InferenceError('MODEL_INVALID', 'weights.bin is missing'));
    expect(state.readyTraffic('d1')).toBeNull();
    expect(state.whyNotReady('d1')).toBe('revision 1 could not be loaded: weights.bin is missing');
    expect(state.report().failedRevisions).toEqual([{ revisionId: 'r1', message: 'weights.bin is missing' }]);
    state.replaceAll([deployment(1)]);
    expect(loads.loading()).toEqual([]); // a broken model stays broken

    state.apply('d1', deployment(2));
    await loads.fail('r2', new Error('connect ECONNREFUSED (the store is down)'));
    state.replaceAll([deployment(2)]);
    expect(loads.loading()).toEqual(['r2']); // the store may be back
    await loads.finish('r2');
    expect(ids(state.readyTraffic('d1'))).toEqual({ stable: 'r2', canary: null });
  });

  it('unloads everything of a deleted deployment, also when a full re-read no longer lists it', async () => {
    const loads = controlledLoads();
    const state = served(loads);
    state.apply('d1', deployment(1, { number: 2, weight: 10 }));
    await loads.finish('r1');
    await loads.finish('r2');
    state.replaceAll([]);
    expect(state.deployment('d1')).toBeNull();
    expect(state.idOf('demo')).toBeNull();
    expect(loads.disposed.sort()).toEqual(['r1', 'r2']);
    expect(state.report()).toEqual({ loadedRevisionIds: [], readyRevisionIds: [], failedRevisions: [] });
  });
});
