// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeatureSpec } from '@/lib/scenarios/serve-forms';
import { TabularServePanel, type ServeContext } from './serve-panels';

const XSS = '<img src=x onerror="window.__xss=1">';
const FEATURES: FeatureSpec[] = [
  { name: 'age', description: 'Age in years', categorical: false, min: 29, max: 77, defaultValue: 56 },
  { name: 'cp', description: `Chest pain type ${XSS}`, categorical: true, choices: [1, 2, 3, 4], defaultValue: 4 },
];
const CONTEXT: ServeContext = {
  id: 'demo-heart',
  deployment: 'heart-disease',
  positiveClass: 'positive',
  positiveName: 'disease',
  negativeName: 'no disease',
  threshold: 0.5,
  onAnswer: () => undefined,
};

afterEach(cleanup);

describe('the tabular serve form', () => {
  it('labels one input per feature, offers coded features as choices and shows data text as text', () => {
    render(
      <TabularServePanel
        context={CONTEXT}
        features={FEATURES}
        title="Score a patient"
        samples={[{ id: 'test-3', label: 'positive', positive: true, features: { age: 61, cp: 2 } }]}
      />,
    );
    expect((screen.getByLabelText(/Age in years/) as HTMLInputElement).value).toBe('56');
    const chestPain = screen.getByLabelText(/Chest pain type/) as HTMLSelectElement;
    expect([...chestPain.options].map((option) => option.value)).toEqual(['', '1', '2', '3', '4']);
    expect(chestPain.value).toBe('4');
    expect(document.querySelector('img[src="x"]')).toBeNull();
    expect(screen.getByText(/Chest pain type <img/)).toBeTruthy();
  });

  it('fills from a held-out example and refuses text where a number belongs, before any request', async () => {
    const user = userEvent.setup();
    render(
      <TabularServePanel
        context={CONTEXT}
        features={FEATURES}
        title="Score a patient"
        samples={[{ id: 'test-3', label: 'positive', positive: true, features: { age: 61, cp: 2 } }]}
      />,
    );
    await user.selectOptions(screen.getByLabelText('Fill from a held-out example'), 'test-3');
    expect((screen.getByLabelText(/Age in years/) as HTMLInputElement).value).toBe('61');
    expect((screen.getByLabelText(/Chest pain type/) as HTMLSelectElement).value).toBe('2');
    expect(screen.getByRole('option', { name: 'test-3 (disease)' })).toBeTruthy();

    await user.clear(screen.getByLabelText(/Age in years/));
    await user.type(screen.getByLabelText(/Age in years/), 'old');
    await user.click(screen.getByRole('button', { name: 'Score' }));
    expect(screen.getByRole('alert').textContent).toBe('A number');
    expect(screen.getByLabelText(/Age in years/).getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByText('Asking the deployment…')).toBeNull();
  });
});
