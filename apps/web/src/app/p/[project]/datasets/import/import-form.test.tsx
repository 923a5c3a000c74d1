// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { AppRouterContext } from 'next/dist/shared/lib/app-router-context.shared-runtime';
import { validateImport, type ImportFormValues } from '@/lib/forms/import-form';
import { ImportForm } from './import-form';

function renderForm() {
  const router = {
    push: () => undefined,
    replace: () => undefined,
    refresh: () => undefined,
    back: () => undefined,
    forward: () => undefined,
    prefetch: () => undefined,
  };
  render(
    <AppRouterContext.Provider value={router as never}>
      <ImportForm project="default" initialName="" />
    </AppRouterContext.Provider>,
  );
}

afterEach(cleanup);

describe('the upload & import form', () => {
  it('previews the first rows of a chosen CSV as text and picks the label column from its header', async () => {
    const user = userEvent.setup();
    renderForm();
    const csv = 'sepal length;species;note\n5.1;setosa;<b>bold</b>\n6.2;virginica;"a;b"\n';
    await user.upload(
      screen.getByLabelText(/Drop a file here/),
      new File([csv], 'iris data.csv', { type: 'text/csv' }),
    );
    const preview = await screen.findByTestId('csv-preview');
    expect(
      within(preview)
        .getAllByRole('columnheader')
        .map((cell) => cell.textContent),
    ).toEqual(['sepal length', 'species', 'note (label)']);
    // A cell that looks like HTML stays text.
    expect(within(preview).getByText('<b>bold</b>')).toBeTruthy();
    expect(preview.querySelector('b')).toBeNull();
    expect(within(preview).getByText('a;b')).toBeTruthy();
    expect((screen.getByLabelText('Dataset name') as HTMLInputElement).value).toBe('iris-data');
    await user.selectOptions(screen.getByLabelText('Label column'), 'species');
    expect(within(preview).getAllByRole('columnheader')[1]!.textContent).toBe('species (label)');
  });

  it('says what is wrong before uploading anything', async () => {
    const user = userEvent.setup();
    renderForm();
    await user.type(screen.getByLabelText('Dataset name'), '-bad name');
    await user.type(screen.getByLabelText('Test fraction'), '0.6');
    await user.type(screen.getByLabelText('Validation fraction'), '0.5');
    await user.type(screen.getByLabelText('Split seed'), '1.5');
    await user.click(screen.getByRole('button', { name: 'Upload and import' }));
    expect(screen.getByText('Choose or drop a file to upload')).toBeTruthy();
    expect(screen.getByText(/starting with a letter or digit/)).toBeTruthy();
    expect(screen.getByText('Test and validation fractions must leave rows to train on')).toBeTruthy();
    expect(screen.getByText('A whole number')).toBeTruthy();
  });
});

describe('import options', () => {
  const base: ImportFormValues = {
    name: 'iris',
    format: 'CSV',
    label: 'species',
    ignore: [],
    delimiter: '',
    header: true,
    testFraction: '',
    validationFraction: '',
    seed: '',
  };

  it('sends only what the user set, for CSV', () => {
    expect(validateImport({ ...base, ignore: ['id'], seed: '7' }, true)).toEqual({
      errors: {},
      options: { label: 'species', ignore: ['id'], header: true, seed: 7 },
    });
  });

  it('sends no CSV options for an image archive', () => {
    expect(validateImport({ ...base, format: 'IMAGE_FOLDER', testFraction: '0.25' }, true).options).toEqual({
      testFraction: 0.25,
    });
  });

  it('refuses to ignore the label column', () => {
    expect(validateImport({ ...base, ignore: ['species'] }, true).errors['ignore']).toBe(
      'The label column cannot be ignored',
    );
  });
});
