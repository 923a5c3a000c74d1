import { createHash } from 'node:crypto';

/** A routing key header: equal keys go to the same revision while the weights stay the same (sticky A/B). */
export const ROUTING_KEY_HEADER = 'x-lepton-routing-key';

/** What a process can route to right now: revisions loaded and ready in it. */
export interface ReadyTraffic<R> {
  stable: R;
  /** The canary's share (0..100) of requests, when the canary is ready here; else its share goes to stable. */
  canary: { revision: R; weight: number } | null;
}

/** Where a routing key falls in 0..99 for a deployment: uniform over keys, the same for the same key. */
export function routingBucket(deploymentId: string, key: string): number {
  const digest = createHash('sha256').update(deploymentId).update('\0').update(key).digest();
  return Math.floor((digest.readUInt32BE(0) / 2 ** 32) * 100);
}

/**
 * The revision for one request: weighted random between stable and canary, or, with a routing key, by the key's
 * bucket (keys below the canary weight go to the canary), so a key stays on one revision.
 */
export function pickRevision<R>(
  traffic: ReadyTraffic<R>,
  deploymentId: string,
  routingKey: string | null,
  random: () => number = Math.random,
): R {
  const { canary } = traffic;
  if (!canary || canary.weight <= 0) return traffic.stable;
  const bucket = routingKey === null ? random() * 100 : routingBucket(deploymentId, routingKey);
  return bucket < canary.weight ? canary.revision : traffic.stable;
}
