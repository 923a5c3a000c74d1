import { describe, expect, it } from 'vitest';
import { pickRevision, routingBucket } from './traffic';

describe('pickRevision', () => {
  const traffic = { stable: 'stable', canary: { revision: 'canary', weight: 20 } };

  it('splits requests by weight at random', () => {
    let state = 1;
    const random = () => (state = (state * 48_271) % 2_147_483_647) / 2_147_483_647;
    const picks = Array.from({ length: 20_000 }, () => pickRevision(traffic, 'd1', null, random));
    const share = picks.filter((pick) => pick === 'canary').length / picks.length;
    expect(share).toBeGreaterThan(0.19);
    expect(share).toBeLessThan(0.21);
  });

  it('pins equal routing keys to the same revision, and spreads distinct keys by weight', () => {
    for (let i = 0; i < 200; i++) {
      const key = `user-${i}`;
      const first = pickRevision(traffic, 'd1', key, () => 0);
      for (const random of [() => 0.99, () => 0.01, Math.random])
        expect(pickRevision(traffic, 'd1', key, random)).toBe(first);
    }
    const keys = Array.from({ length: 10_000 }, (_, i) => `key-${i}`);
    const share = keys.filter((key) => pickRevision(traffic, 'd1', key) === 'canary').length / keys.length;
    expect(share).toBeGreaterThan(0.18);
    expect(share).toBeLessThan(0.22);
    // Buckets are per deployment: the same key lands independently elsewhere.
    const moved = keys.filter((key) => routingBucket('d1', key) !== routingBucket('d2', key)).length;
    expect(moved).toBeGreaterThan(9_000);
  });

  it('sends everything to stable without a ready canary or with weight 0', () => {
    expect(pickRevision({ stable: 's', canary: null }, 'd', null, () => 0)).toBe('s');
    expect(pickRevision({ stable: 's', canary: { revision: 'c', weight: 0 } }, 'd', 'k', () => 0)).toBe('s');
    expect(pickRevision({ stable: 's', canary: { revision: 'c', weight: 100 } }, 'd', null, () => 0.999)).toBe('c');
  });
});
