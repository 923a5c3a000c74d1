import { describe, expect, it } from 'vitest';
import { metricOn, pairedBootstrap, type Outcomes } from './paired-bootstrap';

const all = (n: number) => Array.from({ length: n }, (_, i) => i);

/** `n` examples of which the model gets exactly `correct` right (binary targets alternate). */
function outcomes(n: number, correct: number): Outcomes {
  const targets = all(n).map((i) => i % 2);
  return { targets, predictions: targets.map((t, i) => (i < correct ? t : 1 - t)), scores: targets.map((t, i) => (i < correct ? t : 1 - t) * 0.8 + 0.1) };
}

describe('metricOn', () => {
  it('computes accuracy and macro precision/recall/F1 as defined', () => {
    // targets: [0,0,1,1,2], predictions: [0,1,1,1,0]
    const o: Outcomes = { targets: [0, 0, 1, 1, 2], predictions: [0, 1, 1, 1, 0], scores: [] };
    expect(metricOn('accuracy', o, all(5))).toBeCloseTo(3 / 5);
    // precision: c0 1/2, c1 2/3, c2 0 → mean 7/18; recall: c0 1/2, c1 1, c2 0 → 1/2
    expect(metricOn('precision', o, all(5))).toBeCloseTo(7 / 18);
    expect(metricOn('recall', o, all(5))).toBeCloseTo(1 / 2);
    const f1 = [2 * 0.5 * 0.5 / 1, (2 * (2 / 3) * 1) / (2 / 3 + 1), 0];
    expect(metricOn('f1', o, all(5))).toBeCloseTo(f1.reduce((a, b) => a + b) / 3);
  });

  it('computes AUC as the share of correctly ordered positive/negative pairs, ties half', () => {
    const o: Outcomes = { targets: [0, 1, 0, 1, 1], predictions: [], scores: [0.1, 0.9, 0.5, 0.5, 0.3] };
    let wins = 0;
    const positives = [1, 3, 4];
    const negatives = [0, 2];
    for (const p of positives) for (const n of negatives) wins += o.scores[p]! > o.scores[n]! ? 1 : o.scores[p] === o.scores[n] ? 0.5 : 0;
    expect(metricOn('auc', o, all(5))).toBeCloseTo(wins / 6);
  });
});

describe('pairedBootstrap', () => {
  it('finds a clear improvement with an interval above zero', () => {
    const result = pairedBootstrap('accuracy', outcomes(400, 380), outcomes(400, 300), { confidence: 0.95 });
    expect(result.difference).toBeCloseTo(0.2);
    expect(result.ciLow).toBeGreaterThan(0.1);
    expect(result.ciHigh).toBeLessThan(0.3);
  });

  it('gives an interval around zero for identical models', () => {
    const same = outcomes(400, 350);
    const result = pairedBootstrap('accuracy', same, same, { confidence: 0.95 });
    expect(result).toMatchObject({ difference: 0, ciLow: 0, ciHigh: 0 });
  });

  it('is reproducible for a seed and widens with confidence', () => {
    const a = outcomes(300, 260);
    const b = outcomes(300, 250);
    const first = pairedBootstrap('f1', a, b, { confidence: 0.9, seed: 3 });
    expect(pairedBootstrap('f1', a, b, { confidence: 0.9, seed: 3 })).toEqual(first);
    const wider = pairedBootstrap('f1', a, b, { confidence: 0.99, seed: 3 });
    expect(wider.ciLow).toBeLessThanOrEqual(first.ciLow);
    expect(wider.ciHigh).toBeGreaterThanOrEqual(first.ciHigh);
  });
});
