import { describe, expect, it } from 'vitest';
import { summarizeDataset } from './dataset-schema';

describe('reading an imported dataset version for display', () => {
  it('joins feature types with the fitted mean/std and categories, and sorts class counts', () => {
    const summary = summarizeDataset(
      {
        kind: 'tabular',
        format: 'CSV',
        featureShape: [4],
        classes: ['a', 'b'],
        features: [
          { name: 'x', type: 'numeric' },
          { name: 'color', type: 'categorical', categories: ['red', 'blue'] },
        ],
        label: { name: 'label', classes: ['a', 'b'] },
        preprocessing: {
          kind: 'tabular',
          columns: [
            { name: 'x', type: 'numeric', mean: 1.5, std: 0.5, fill: 1.5 },
            { name: 'color', type: 'categorical', categories: ['red', 'blue'] },
          ],
        },
        stats: { classCounts: { a: 10, b: 30 } },
      },
      { train: 28, validation: 4, test: 8, seed: 42, stratified: true },
    );
    expect(summary.features).toEqual([
      { name: 'x', type: 'numeric', mean: 1.5, std: 0.5 },
      { name: 'color', type: 'categorical', categories: ['red', 'blue'] },
    ]);
    expect(summary.classCounts).toEqual([
      { name: 'b', count: 30 },
      { name: 'a', count: 10 },
    ]);
    expect(summary.splits).toEqual([
      { name: 'train', count: 28 },
      { name: 'validation', count: 4 },
      { name: 'test', count: 8 },
    ]);
    expect(summary.seed).toBe(42);
    expect(summary.label).toBe('label');
  });

  it('tolerates versions registered by hand with arbitrary JSON', () => {
    const summary = summarizeDataset({ features: 'nope', stats: [1, 2] }, null);
    expect(summary).toMatchObject({ kind: null, features: [], classCounts: [], splits: [], classes: [] });
  });
});
