// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { ARCHITECTURES, OPTIMIZERS, formFieldOf, validateTrain, type TrainFormValues } from '@/lib/forms/train-form';
import { TrainForm } from './train-form';
import { AppRouterContext } from 'next/dist/shared/lib/app-router-context.shared-runtime';

/** The form needs an App Router to push to; a recorder stands in for navigation (no network is involved). */
function renderForm(initial: Partial<TrainFormValues> = {}) {
  const pushed: string[] = [];
  const router = {
    push: (href: string) => pushed.push(href),
    replace: () => undefined,
    refresh: () => undefined,
    back: () => undefined,
    forward: () => undefined,
    prefetch: () => undefined,
  };
  render(
    <AppRouterContext.Provider value={router as never}>
      <TrainForm
        project="default"
        datasetVersions={[{ id: '00000000-0000-4000-8000-000000000001', label: 'iris v1 (150 examples)' }]}
        models={['iris-mlp']}
        initial={initial}
      />
    </AppRouterContext.Provider>,
  );
  return { pushed };
}

afterEach(cleanup);

describe('the Train form', () => {
  it('offers the architectures and optimizers the SDL names, with the contract defaults as placeholders', () => {
    expect(ARCHITECTURES).toEqual(['CNN_SMALL', 'CNN_TINY', 'MLP']);
    expect(OPTIMIZERS).toEqual(['ADAM', 'SGD']);
    renderForm();
    const architecture = screen.getByLabelText('Architecture');
    expect(
      within(architecture)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['CNN_SMALL', 'CNN_TINY', 'MLP']);
    expect((architecture as HTMLSelectElement).value).toBe('MLP');
    expect(screen.getByLabelText('Batch size').getAttribute('placeholder')).toBe('32');
    expect(screen.getByLabelText('Learning rate').getAttribute('placeholder')).toBe('0.001');
    expect(screen.getByLabelText('Seed').getAttribute('placeholder')).toBe('42');
    expect(screen.getByRole('option', { name: 'ADAM (default)' })).toBeTruthy();
    expect(screen.getByRole('option', { name: 'RELU (default)' })).toBeTruthy();
    expect(screen.getByLabelText('Early-stopping patience').getAttribute('placeholder')).toBe('5 with a validation split');
  });

  it('shows each invalid field inline, tied to its input, and sends nothing', async () => {
    const user = userEvent.setup();
    const { pushed } = renderForm();
    await user.clear(screen.getByLabelText('Epochs'));
    await user.type(screen.getByLabelText('Epochs'), '0');
    await user.type(screen.getByLabelText('Batch size'), '2.5');
    await user.type(screen.getByLabelText('Learning rate'), '-1');
    await user.type(screen.getByLabelText('Hidden units'), '64, x');
    await user.type(screen.getByLabelText('Dropout'), '1');
    await user.click(screen.getByRole('button', { name: 'Start training' }));

    const model = screen.getByLabelText('Model name');
    expect(model.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(model.getAttribute('aria-describedby')!.split(' ').pop()!)!.textContent).toBe(
      'Name the model',
    );
    expect(screen.getByText('Between 1 and 10000')).toBeTruthy();
    expect(screen.getByText('A whole number')).toBeTruthy();
    expect(screen.getByText('Above 0 and at most 10')).toBeTruthy();
    expect(screen.getByText(/Comma-separated layer sizes/)).toBeTruthy();
    expect(screen.getByText('At least 0 and below 1')).toBeTruthy();
    expect(pushed).toEqual([]);
  });

  it('clears a field error as soon as the value is fixed', async () => {
    const user = userEvent.setup();
    renderForm({ model: 'iris-mlp' });
    await user.type(screen.getByLabelText('Batch size'), '0');
    await user.click(screen.getByRole('button', { name: 'Start training' }));
    expect(screen.getByLabelText('Batch size').getAttribute('aria-invalid')).toBe('true');
    await user.clear(screen.getByLabelText('Batch size'));
    await user.type(screen.getByLabelText('Batch size'), '16');
    expect(screen.getByLabelText('Batch size').getAttribute('aria-invalid')).toBeNull();
  });

  it('hides MLP-only fields for a CNN', async () => {
    const user = userEvent.setup();
    renderForm();
    await user.selectOptions(screen.getByLabelText('Architecture'), 'CNN_SMALL');
    expect(screen.queryByLabelText('Hidden units')).toBeNull();
    expect(screen.queryByLabelText('Activation')).toBeNull();
  });
});

describe('building the startTraining input', () => {
  const valid: TrainFormValues = {
    model: 'iris-mlp',
    datasetVersionId: 'dv',
    name: '',
    architecture: 'MLP',
    hiddenUnits: '64, 32',
    dropout: '',
    activation: '',
    epochs: '20',
    batchSize: '',
    learningRate: '0.01',
    optimizer: '',
    seed: '',
    earlyStoppingPatience: '3',
  };

  it('leaves blank fields out so the API applies its defaults', () => {
    expect(validateTrain(valid)).toEqual({
      errors: {},
      input: {
        model: 'iris-mlp',
        datasetVersionId: 'dv',
        spec: { architecture: 'MLP', hiddenUnits: [64, 32] },
        hyperparameters: { epochs: 20, learningRate: 0.01, earlyStoppingPatience: 3 },
      },
    });
  });

  it('sends patience 0 (early stopping off) and the enums as chosen', () => {
    expect(
      validateTrain({ ...valid, earlyStoppingPatience: '0', optimizer: 'SGD', activation: 'TANH' }).input,
    ).toMatchObject({
      spec: { architecture: 'MLP', activation: 'TANH' },
      hyperparameters: { optimizer: 'SGD', earlyStoppingPatience: 0 },
    });
  });

  it('drops MLP-only options for a CNN', () => {
    expect(validateTrain({ ...valid, architecture: 'CNN_TINY', activation: 'RELU' }).input?.spec).toEqual({
      architecture: 'CNN_TINY',
    });
  });

  it('maps the API field names of a refused request back to the inputs', () => {
    expect(formFieldOf('hyperparameters.batchSize')).toBe('batchSize');
    expect(formFieldOf('spec.hiddenUnits[1]')).toBe('hiddenUnits');
    expect(formFieldOf('datasetVersionId')).toBe('datasetVersionId');
    expect(formFieldOf('spec.unknownThing')).toBeNull();
    expect(formFieldOf(undefined)).toBeNull();
  });
});
