import { describe, expect, it } from 'vitest';
import { rocPath, rocPoints } from './roc-curve';

describe('ROC curves from threshold curves', () => {
  it('orders thresholds from high to low so both rates grow, adding the missing ends', () => {
    const curve = [
      { threshold: 0.5, fpr: 0.2, tpr: 0.8 },
      { threshold: 1, fpr: 0, tpr: 0.1 },
      { threshold: 0, fpr: 1, tpr: 1 },
      { threshold: 0.75, fpr: 0.1, tpr: 0.5 },
    ];
    expect(rocPoints(curve)).toEqual([
      [0, 0],
      [0, 0.1],
      [0.1, 0.5],
      [0.2, 0.8],
      [1, 1],
    ]);
  });

  it('keeps ends that are already there and draws in SVG coordinates', () => {
    const curve = [
      { threshold: 0, fpr: 1, tpr: 1 },
      { threshold: 1, fpr: 0, tpr: 0 },
      { threshold: 0.5, fpr: 0.25, tpr: 0.75 },
    ];
    expect(rocPath(curve, 200)).toBe('M0,200 L50,50 L200,0');
    expect(rocPoints([])).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });
});
