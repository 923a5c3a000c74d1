// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RocChart } from './roc-chart';

afterEach(cleanup);

describe('the ROC chart', () => {
  it('draws one path per curve from (0,0) to (1,1), with the AUCs in its label and legend', () => {
    render(
      <RocChart
        positiveLabel="malignant"
        curves={[
          {
            label: 'v1',
            auc: 0.8123,
            points: [
              { threshold: 0, fpr: 1, tpr: 1 },
              { threshold: 0.5, fpr: 0.3, tpr: 0.7 },
              { threshold: 1, fpr: 0, tpr: 0 },
            ],
          },
          { label: 'v2', auc: null, points: [{ threshold: 0.5, fpr: 0.1, tpr: 0.9 }] },
        ]}
      />,
    );
    const chart = screen.getByRole('img');
    expect(chart.getAttribute('aria-label')).toBe('ROC curves (positive class malignant). v1: AUC 0.8123; v2: AUC —');
    const paths = [...chart.querySelectorAll('path')].map((path) => path.getAttribute('d'));
    expect(paths).toEqual(['M0,240 L72,72 L240,0', 'M0,240 L24,24 L240,0']);
    expect(screen.getByText('v1 · AUC 0.8123')).toBeTruthy();
  });
});
