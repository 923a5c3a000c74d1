import { mulberry32 } from '@lepton/util';

/** Mixes a seed with extra integers (layer index, epoch) into an independent 32-bit seed (splitmix32-style). */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = seed >>> 0;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x9e3779b1) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

/** A Fisher–Yates permutation of `items` that depends only on `seed`, so a resumed run replays the same order. */
export function seededShuffle(items: Int32Array, seed: number): Int32Array {
  const out = Int32Array.from(items);
  const next = mulberry32(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return out;
}
