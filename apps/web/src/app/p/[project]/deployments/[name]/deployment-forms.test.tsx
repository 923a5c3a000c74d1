// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AppRouterContext } from 'next/dist/shared/lib/app-router-context.shared-runtime';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultTryItValues, tryItInstance, tryItSignature, validateCanary } from '@/lib/forms/try-it-form';
import { TrafficControls } from './traffic-controls';
import { TryItForm } from './try-it-form';

/** The input signature the trainer writes for a CSV data set (see libs/training's training job). */
const TABULAR = {
  shape: [null, 5],
  dtype: 'float32',
  preprocessing: {
    kind: 'tabular',
    labelColumn: 'label',
    columns: [
      { name: 'tenure', type: 'numeric', mean: 12.3456, std: 3, fill: 12.3456 },
      { name: 'spend', type: 'numeric', mean: 3.5, std: 1, fill: 3.5 },
      { name: 'plan', type: 'categorical', categories: ['basic', 'pro', '<b>gold</b>'], missing: 'all-zero' },
    ],
  },
};
const IMAGE = {
  shape: [null, 28, 28, 1],
  dtype: 'float32',
  preprocessing: { kind: 'image', scale: 255, height: 28, width: 28, channels: 1 },
};

const router = {
  push: () => undefined,
  replace: () => undefined,
  refresh: () => undefined,
  back: () => undefined,
  forward: () => undefined,
  prefetch: () => undefined,
};
const withRouter = (children: ReactNode) => (
  <AppRouterContext.Provider value={router as never}>{children}</AppRouterContext.Provider>
);

/** Requests the forms send; answered with a network failure so no test depends on a server. */
let sent: string[];
const realFetch = globalThis.fetch;
beforeEach(() => {
  sent = [];
  globalThis.fetch = (async (_input: unknown, init?: RequestInit) => {
    sent.push(String(init?.body ?? ''));
    throw new TypeError('offline');
  }) as typeof fetch;
});
afterEach(() => {
  globalThis.fetch = realFetch;
  cleanup();
});

describe('the try-it form generated from an input signature', () => {
  it('offers one field per feature: numbers prefilled with the training mean, categories as a choice', () => {
    render(<TryItForm deployment="churn" inputSignature={TABULAR} />);
    expect((screen.getByLabelText('tenure') as HTMLInputElement).value).toBe('12.35');
    expect((screen.getByLabelText('spend') as HTMLInputElement).value).toBe('3.5');
    const plan = screen.getByLabelText('plan');
    expect(
      within(plan)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['(unknown)', 'basic', 'pro', '<b>gold</b>']);
    // A category is text, never markup.
    expect(plan.querySelector('b')).toBeNull();
    expect(screen.queryByLabelText('Image')).toBeNull();
  });

  it('shows a bad number inline, tied to its input, and sends nothing', async () => {
    const user = userEvent.setup();
    render(<TryItForm deployment="churn" inputSignature={TABULAR} />);
    await user.clear(screen.getByLabelText('tenure'));
    await user.type(screen.getByLabelText('tenure'), 'twelve');
    await user.click(screen.getByRole('button', { name: 'Predict' }));
    const tenure = screen.getByLabelText('tenure');
    expect(tenure.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(tenure.getAttribute('aria-describedby')!)!.textContent).toBe(
      'A number, or blank for unknown',
    );
    expect(sent).toEqual([]);
  });

  it('sends one instance of named features, blanks as null, and says when the API cannot be reached', async () => {
    const user = userEvent.setup();
    render(<TryItForm deployment="churn" inputSignature={TABULAR} />);
    await user.clear(screen.getByLabelText('spend'));
    await user.selectOptions(screen.getByLabelText('plan'), 'pro');
    await user.click(screen.getByRole('button', { name: 'Predict' }));
    await screen.findByRole('alert');
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]!).variables).toEqual({
      deployment: 'churn',
      instances: [{ tenure: 12.35, spend: null, plan: 'pro' }],
    });
    expect(screen.getByRole('alert').textContent).toBe('The dashboard did not answer');
  });

  it('asks image models for a PNG or JPEG upload and refuses other files', async () => {
    render(<TryItForm deployment="digits" inputSignature={IMAGE} />);
    const input = screen.getByLabelText('Image') as HTMLInputElement;
    expect(input.type).toBe('file');
    expect(input.accept).toBe('image/png,image/jpeg');
    expect(screen.getByText(/resized to 28×28, greyscale/)).toBeTruthy();
    fireEvent.change(input, { target: { files: [new File(['GIF89a'], 'x.gif', { type: 'image/gif' })] } });
    expect(await screen.findByText('A PNG or JPEG image')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Predict' }));
    expect(screen.getByText('Choose a PNG or JPEG image')).toBeTruthy();
    expect(sent).toEqual([]);
  });

  it('falls back to raw JSON instances for a version without a signature it understands', async () => {
    const user = userEvent.setup();
    render(<TryItForm deployment="x" inputSignature={{ shape: [null, 4] }} />);
    const box = screen.getByLabelText('Instances (JSON)');
    await user.clear(box);
    await user.type(box, '{{"a": ');
    await user.click(screen.getByRole('button', { name: 'Predict' }));
    expect(screen.getByText('Not valid JSON')).toBeTruthy();
    expect(sent).toEqual([]);
  });
});

describe('reading signatures and building instances', () => {
  it('maps the trainer’s preprocessing to fields, and anything else to unknown', () => {
    expect(tryItSignature(TABULAR).fields.map((field) => `${field.kind}:${field.name}`)).toEqual([
      'numeric:tenure',
      'numeric:spend',
      'categorical:plan',
    ]);
    expect(tryItSignature(IMAGE)).toEqual({
      kind: 'image',
      fields: [{ kind: 'image', name: 'image', height: 28, width: 28, channels: 1 }],
    });
    for (const odd of [
      null,
      'x',
      {},
      { preprocessing: { kind: 'audio' } },
      { preprocessing: { kind: 'tabular', columns: [{ type: 'numeric' }] } },
    ])
      expect(tryItSignature(odd).kind).toBe('unknown');
  });

  it('sends an image as its data URL, and numbers as numbers', () => {
    expect(tryItInstance(tryItSignature(IMAGE), { image: 'data:image/png;base64,iVBO' })).toEqual({
      instance: 'data:image/png;base64,iVBO',
      errors: {},
    });
    const tabular = tryItSignature(TABULAR);
    expect(tryItInstance(tabular, { ...defaultTryItValues(tabular), spend: ' 1e2 ' }).instance).toEqual({
      tenure: 12.35,
      spend: 100,
      plan: 'basic',
    });
  });
});

describe('the canary controls', () => {
  const props = {
    name: 'churn',
    stableVersion: 1,
    versions: [3, 2, 1],
    canary: null,
    previousRevisions: [],
  };

  it('offers only versions other than the stable one, with a slider and a number kept in step', async () => {
    render(withRouter(<TrafficControls {...props} />));
    expect(
      within(screen.getByLabelText('Canary version'))
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['v3', 'v2']);
    const slider = screen.getByRole('slider') as HTMLInputElement;
    expect(slider.value).toBe('10');
    fireEvent.change(slider, { target: { value: '35' } });
    expect((screen.getByLabelText('Canary weight in percent') as HTMLInputElement).value).toBe('35');
    expect(screen.getByText('Canary weight: 35%')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Promote canary' })).toBeNull();
  });

  it('refuses a weight outside 0..100 or not whole, inline, and sends nothing', async () => {
    const user = userEvent.setup();
    render(withRouter(<TrafficControls {...props} />));
    const number = screen.getByLabelText('Canary weight in percent');
    for (const [typed, message] of [
      ['150', 'Between 0 and 100 %'],
      ['12.5', 'A whole percentage'],
    ] as const) {
      await user.clear(number);
      await user.type(number, typed);
      await user.click(screen.getByRole('button', { name: 'Start canary' }));
      expect(number.getAttribute('aria-invalid')).toBe('true');
      expect(screen.getByText(message)).toBeTruthy();
    }
    expect(sent).toEqual([]);
  });

  it('sends a valid canary, with automatic analysis when asked', async () => {
    const user = userEvent.setup();
    render(withRouter(<TrafficControls {...props} />));
    await user.selectOptions(screen.getByLabelText('Canary version'), '2');
    fireEvent.change(screen.getByRole('slider'), { target: { value: '25' } });
    await user.click(screen.getByLabelText(/Promote or roll back automatically/));
    await user.click(screen.getByRole('button', { name: 'Start canary' }));
    await screen.findByRole('alert');
    expect(JSON.parse(sent[0]!).variables).toEqual({ name: 'churn', version: 2, weight: 25, analysis: {} });
  });

  it('validates the same rules as a function', () => {
    expect(validateCanary({ version: '2', weight: '0', stableVersion: 1 })).toEqual({});
    expect(validateCanary({ version: '2', weight: '100', stableVersion: 1 })).toEqual({});
    expect(validateCanary({ version: '1', weight: '10', stableVersion: 1 })).toEqual({
      version: 'This version is already the stable revision',
    });
    expect(validateCanary({ version: '', weight: '', stableVersion: 1 })).toEqual({
      version: 'Choose a version',
      weight: 'A whole percentage',
    });
    expect(validateCanary({ version: '2', weight: '-1', stableVersion: 1 })).toEqual({ weight: 'Between 0 and 100 %' });
  });
});
