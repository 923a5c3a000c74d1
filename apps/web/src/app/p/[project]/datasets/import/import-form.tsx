'use client';

import { useRouter } from 'next/navigation';
import { useState, type DragEvent, type FormEvent } from 'react';
import { projectPath } from '@/components/shell/nav-items';
import { formatBytes } from '@/components/ui/format';
import { ProgressBar } from '@/components/ui/progress-bar';
import { graphql } from '@/graphql/generated';
import type { DatasetFormat } from '@/graphql/generated/graphql';
import { enumValues, inputHints } from '@/graphql/generated/input-hints';
import { request } from '@/lib/client/graphql';
import { uploadFile } from '@/lib/client/upload';
import { DELIMITERS, previewCsv, type CsvPreview } from '@/lib/csv-preview';
import { nameFromFile } from '@/lib/forms/fields';
import { validateImport, type ImportFormValues } from '@/lib/forms/import-form';
import { ApiRequestError } from '@/lib/graphql-errors';
import styles from './import.module.css';

const ImportDatasetMutation = graphql(`
  mutation ImportDataset($input: ImportDatasetInput!) {
    importDataset(input: $input) {
      id
      number
      dataset {
        name
      }
    }
  }
`);

/** Imports run on a worker: the form follows the version until it is READY or FAILED. */
const ImportProgressQuery = graphql(`
  query ImportProgress($project: String!, $name: String!, $number: Int!) {
    dataset(project: $project, name: $name) {
      version(number: $number) {
        status
        importProgress
        importError {
          message
          file
          line
          column
        }
      }
    }
  }
`);

/** "file data.csv, line 4, column 2", as the API's error extensions read. */
function importLocation(error: { file?: string | null; line?: number | null; column?: string | null }): string | undefined {
  const parts = [
    error.file != null ? `file ${error.file}` : null,
    error.line != null ? `line ${error.line}` : null,
    error.column != null ? `column ${error.column}` : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

const OPTIONS = inputHints.DatasetImportOptions;
const FORMAT_LABELS: Record<DatasetFormat, string> = {
  CSV: 'CSV table',
  MNIST_IDX: 'MNIST IDX files (archive)',
  CIFAR10_BINARY: 'CIFAR-10 binary batches (archive)',
  IMAGE_FOLDER: 'Image folder, one sub-folder per class (archive)',
};
/** The browser reads only this much of a CSV for the preview. */
const PREVIEW_BYTES = 64 * 1024;

function guessFormat(fileName: string): DatasetFormat {
  return /\.(csv|tsv|txt)$/i.test(fileName)
    ? 'CSV'
    : /mnist|idx/i.test(fileName)
      ? 'MNIST_IDX'
      : /cifar/i.test(fileName)
        ? 'CIFAR10_BINARY'
        : 'IMAGE_FOLDER';
}

type Phase = { step: 'idle' } | { step: 'uploading'; progress: number } | { step: 'importing'; progress: number };

export function ImportForm({ project, initialName }: { project: string; initialName: string }) {
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [sample, setSample] = useState<{ text: string; complete: boolean } | null>(null);
  const [values, setValues] = useState<ImportFormValues>({
    name: initialName,
    format: 'CSV',
    label: '',
    ignore: [],
    delimiter: '',
    header: OPTIONS.header.defaultValue ?? true,
    testFraction: '',
    validationFraction: '',
    seed: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [apiError, setApiError] = useState<{ message: string; location?: string | undefined } | null>(null);
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });

  const update = (patch: Partial<ImportFormValues>) => {
    const next = { ...values, ...patch };
    setValues(next);
    if (sample && ('delimiter' in patch || 'header' in patch)) refreshPreview(sample, next);
  };

  function refreshPreview(source: { text: string; complete: boolean }, current: ImportFormValues) {
    const parsed = previewCsv(source.text, {
      delimiter: current.delimiter || undefined,
      header: current.header,
      complete: source.complete,
    });
    setPreview(parsed);
    // Default label: a column named "label", else the last one (the API's own rule).
    setValues((previous) => ({
      ...previous,
      label: parsed.header.includes(previous.label)
        ? previous.label
        : (parsed.header.find((column) => column.toLowerCase() === 'label') ??
          parsed.header[parsed.header.length - 1] ??
          ''),
      ignore: previous.ignore.filter((column) => parsed.header.includes(column)),
    }));
  }

  async function choose(chosen: File | undefined) {
    if (!chosen) return;
    setFile(chosen);
    setApiError(null);
    const format = guessFormat(chosen.name);
    const next = { ...values, format, name: values.name || nameFromFile(chosen.name) };
    setValues(next);
    setErrors((previous) => ({ ...previous, file: '' }));
    if (format === 'CSV') {
      const text = await chosen.slice(0, PREVIEW_BYTES).text();
      const source = { text, complete: chosen.size <= PREVIEW_BYTES };
      setSample(source);
      refreshPreview(source, next);
    } else {
      setSample(null);
      setPreview(null);
    }
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    void choose(event.dataTransfer.files[0]);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setApiError(null);
    const { errors: problems, options } = validateImport(values, file !== null);
    setErrors(problems);
    if (!options || !file) return;
    try {
      setPhase({ step: 'uploading', progress: 0 });
      const { uploadId } = await uploadFile(file, project, (progress) => setPhase({ step: 'uploading', progress }));
      setPhase({ step: 'importing', progress: 0 });
      const result = await request(ImportDatasetMutation, {
        input: { project, name: values.name, format: values.format, uploadId, options },
      });
      const version = result.importDataset;
      for (;;) {
        const { dataset } = await request(ImportProgressQuery, {
          project,
          name: version.dataset.name,
          number: version.number,
        });
        const current = dataset?.version;
        if (!current || current.status === 'READY') break;
        if (current.status === 'FAILED') {
          const failure = current.importError;
          setApiError({ message: failure?.message ?? 'The import failed', location: failure ? importLocation(failure) : undefined });
          setPhase({ step: 'idle' });
          return;
        }
        setPhase({ step: 'importing', progress: current.importProgress });
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      router.push(projectPath(project, 'datasets', version.dataset.name, 'versions', version.number));
    } catch (caught) {
      const error = caught instanceof ApiRequestError ? caught : null;
      if (
        error?.field &&
        error.field !== 'upload' &&
        ['name', 'label', 'ignore', 'delimiter', 'testFraction', 'validationFraction', 'seed'].includes(
          error.field.replace(/^options\./, ''),
        )
      ) {
        setErrors({ [error.field.replace(/^options\./, '')]: error.message });
      } else {
        setApiError({ message: error?.message ?? 'The import failed', location: error?.location });
      }
      setPhase({ step: 'idle' });
    }
  }

  const busy = phase.step !== 'idle';
  const invalid = (name: string) => ({
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': errors[name] ? `${name}-error` : undefined,
  });
  const fieldError = (name: string) =>
    errors[name] ? (
      <span id={`${name}-error`} className="error">
        {errors[name]}
      </span>
    ) : null;
  const csv = values.format === 'CSV';

  return (
    <form onSubmit={submit} className="stack" noValidate aria-label="Upload and import a dataset">
      <div
        className={`${styles.dropzone} ${dragging ? styles.dragging : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <input
          id="file"
          type="file"
          className={styles.fileInput}
          onChange={(event) => void choose(event.target.files?.[0])}
          {...invalid('file')}
        />
        <label htmlFor="file" className={styles.dropLabel}>
          <strong>{file ? file.name : 'Drop a file here'}</strong>
          <span className="muted">
            {file
              ? formatBytes(file.size)
              : 'or press to choose one — .csv, or a .zip / .tar.gz archive for image formats'}
          </span>
        </label>
        {fieldError('file')}
      </div>

      <div className="form-grid">
        <div className="field">
          <label htmlFor="name">Dataset name</label>
          <input
            id="name"
            type="text"
            value={values.name}
            onChange={(event) => update({ name: event.target.value })}
            {...invalid('name')}
          />
          <span className="hint">Created on the first import, a new version after.</span>
          {fieldError('name')}
        </div>
        <div className="field">
          <label htmlFor="format">Format</label>
          <select
            id="format"
            value={values.format}
            onChange={(event) => update({ format: event.target.value as DatasetFormat })}
          >
            {enumValues.DatasetFormat.map((format) => (
              <option key={format} value={format}>
                {FORMAT_LABELS[format]}
              </option>
            ))}
          </select>
        </div>
      </div>

      {csv && preview ? (
        <section className="card" aria-labelledby="preview-title">
          <div className="card-header">
            <h2 id="preview-title">Preview</h2>
            <span className="muted">first {preview.rows.length} rows, parsed in your browser</span>
          </div>
          <div className="table-wrap">
            <table className="table" data-testid="csv-preview">
              <thead>
                <tr>
                  {preview.header.map((column, index) => (
                    <th key={index} scope="col" className={column === values.label ? styles.labelColumn : undefined}>
                      {column}
                      {column === values.label ? ' (label)' : ''}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row, rowIndex) => (
                  <tr key={rowIndex}>
                    {preview.header.map((_column, index) => (
                      <td key={index}>{row[index] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <fieldset>
        <legend>Options</legend>
        <div className="form-grid">
          {csv ? (
            <>
              <div className="field">
                <label htmlFor="label">Label column</label>
                <select
                  id="label"
                  value={values.label}
                  onChange={(event) => update({ label: event.target.value })}
                  disabled={!preview}
                  {...invalid('label')}
                >
                  {!preview ? <option value="">(choose a file)</option> : null}
                  {preview?.header.map((column) => (
                    <option key={column} value={column}>
                      {column}
                    </option>
                  ))}
                </select>
                <span className="hint">{OPTIONS.label.description}</span>
                {fieldError('label')}
              </div>
              <div className="field">
                <label htmlFor="delimiter">Delimiter</label>
                <select
                  id="delimiter"
                  value={values.delimiter}
                  onChange={(event) => update({ delimiter: event.target.value })}
                >
                  <option value="">
                    Detect
                    {preview && !values.delimiter
                      ? ` (${DELIMITERS.find((entry) => entry.value === preview.delimiter)?.label.toLowerCase() ?? 'comma'})`
                      : ''}
                  </option>
                  {DELIMITERS.map((entry) => (
                    <option key={entry.label} value={entry.value}>
                      {entry.label}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <span className="label">Header</span>
                <label className="row" style={{ gap: 6, fontWeight: 400 }}>
                  <input
                    type="checkbox"
                    checked={values.header}
                    onChange={(event) => update({ header: event.target.checked })}
                  />
                  First row names the columns
                </label>
              </div>
            </>
          ) : null}
          <div className="field">
            <label htmlFor="testFraction">Test fraction</label>
            <input
              id="testFraction"
              type="number"
              step="0.05"
              min="0"
              max="0.95"
              placeholder="API default"
              value={values.testFraction}
              onChange={(event) => update({ testFraction: event.target.value })}
              {...invalid('testFraction')}
            />
            <span className="hint">{OPTIONS.testFraction.description ?? 'Blank: the API’s default'}</span>
            {fieldError('testFraction')}
          </div>
          <div className="field">
            <label htmlFor="validationFraction">Validation fraction</label>
            <input
              id="validationFraction"
              type="number"
              step="0.05"
              min="0"
              max="0.95"
              placeholder="API default"
              value={values.validationFraction}
              onChange={(event) => update({ validationFraction: event.target.value })}
              {...invalid('validationFraction')}
            />
            <span className="hint">{OPTIONS.validationFraction.description ?? 'Blank: the API’s default'}</span>
            {fieldError('validationFraction')}
          </div>
          <div className="field">
            <label htmlFor="seed">Split seed</label>
            <input
              id="seed"
              type="number"
              step="1"
              min="0"
              placeholder="API default"
              value={values.seed}
              onChange={(event) => update({ seed: event.target.value })}
              {...invalid('seed')}
            />
            <span className="hint">{OPTIONS.seed.description ?? 'Blank: the API’s default'}</span>
            {fieldError('seed')}
          </div>
        </div>
        {csv && preview && preview.header.length > 2 ? (
          <div className="field" style={{ marginTop: 16 }}>
            <span className="label" id="ignore-label">
              Columns to leave out
            </span>
            <div className="row" role="group" aria-labelledby="ignore-label">
              {preview.header
                .filter((column) => column !== values.label)
                .map((column) => (
                  <label key={column} className="row" style={{ gap: 4, fontWeight: 400 }}>
                    <input
                      type="checkbox"
                      checked={values.ignore.includes(column)}
                      onChange={(event) =>
                        update({
                          ignore: event.target.checked
                            ? [...values.ignore, column]
                            : values.ignore.filter((name) => name !== column),
                        })
                      }
                    />
                    {column}
                  </label>
                ))}
            </div>
            {fieldError('ignore')}
          </div>
        ) : null}
      </fieldset>

      {apiError ? (
        <div className="form-error" role="alert" data-testid="import-error">
          <strong>The import was refused:</strong> {apiError.message}
          {apiError.location ? <div className="mono">at {apiError.location}</div> : null}
        </div>
      ) : null}

      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {phase.step === 'uploading' ? 'Uploading…' : phase.step === 'importing' ? 'Importing…' : 'Upload and import'}
        </button>
        {phase.step === 'uploading' ? (
          <div style={{ width: 240 }}>
            <ProgressBar value={phase.progress} label="Upload progress" />
          </div>
        ) : null}
        {phase.step === 'importing' ? (
          <div style={{ width: 240 }} role="status">
            <ProgressBar value={phase.progress} label="Import progress" />
            <span className="muted">A worker parses, splits and hashes it…</span>
          </div>
        ) : null}
      </div>
    </form>
  );
}
