'use client';

import { useMemo, useState, type ChangeEvent, type FormEvent } from 'react';
import { formatMetric } from '@/components/ui/format';
import type { PredictMutation as PredictResult } from '@/graphql/generated/graphql';
import { request } from '@/lib/client/graphql';
import type { FieldErrors } from '@/lib/forms/fields';
import {
  defaultTryItValues,
  parseInstancesJson,
  tryItInstance,
  tryItSignature,
  type TryItValues,
} from '@/lib/forms/try-it-form';
import { ApiRequestError } from '@/lib/graphql-errors';
import { PredictMutation } from './deployment-queries';

type Answer = PredictResult['predict'];
const MAX_IMAGE_BYTES = 5_000_000;

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsDataURL(file);
  });
}

/**
 * "Try it": a form generated from the stable version's input signature (one field per feature,
 * an image upload for image models) that calls `predict` through the API.
 */
export function TryItForm({ deployment, inputSignature }: { deployment: string; inputSignature: unknown }) {
  const signature = useMemo(() => tryItSignature(inputSignature), [inputSignature]);
  const [values, setValues] = useState<TryItValues>(() => defaultTryItValues(signature));
  const [json, setJson] = useState('{}');
  const [preview, setPreview] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [pending, setPending] = useState(false);

  const set = (name: string) => (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setValues((current) => ({ ...current, [name]: event.target.value }));

  async function chooseImage(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    if (!/^image\/(png|jpeg)$/.test(file.type)) {
      setErrors({ image: 'A PNG or JPEG image' });
      return;
    }
    if (file.size > MAX_IMAGE_BYTES) {
      setErrors({ image: 'At most 5 MB' });
      return;
    }
    const url = await readAsDataUrl(file);
    setErrors({});
    setPreview(url);
    setValues({ image: url });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    let instances: unknown[];
    if (signature.kind === 'unknown') {
      const parsed = parseInstancesJson(json);
      if (!parsed.instances) {
        setErrors({ json: parsed.error ?? 'Not valid JSON' });
        return;
      }
      instances = parsed.instances;
    } else {
      const built = tryItInstance(signature, values);
      setErrors(built.errors);
      if (built.instance === undefined) return;
      instances = [built.instance];
    }
    setPending(true);
    setAnswer(null);
    try {
      setAnswer((await request(PredictMutation, { deployment, instances })).predict);
      setErrors({});
    } catch (caught) {
      const field = caught instanceof ApiRequestError ? caught.field : undefined;
      const message = caught instanceof ApiRequestError ? caught.message : 'The prediction failed';
      setErrors({ form: field ? `${field}: ${message}` : message });
    } finally {
      setPending(false);
    }
  }

  const invalid = (field: string) => ({
    'aria-invalid': errors[field] ? true : undefined,
    'aria-describedby': errors[field] ? `try-${field}-error` : undefined,
  });
  const fieldError = (field: string) =>
    errors[field] ? (
      <span id={`try-${field}-error`} className="error">
        {errors[field]}
      </span>
    ) : null;

  return (
    <div className="stack" style={{ gap: 16 }}>
      <form onSubmit={submit} aria-label="Try it" noValidate className="stack" style={{ gap: 12 }}>
        {signature.kind === 'unknown' ? (
          <div className="field">
            <label htmlFor="try-json">Instances (JSON)</label>
            <textarea
              id="try-json"
              rows={5}
              className="mono"
              value={json}
              onChange={(event) => setJson(event.target.value)}
              {...invalid('json')}
            />
            <span className="hint">This version has no input signature the form understands: send raw instances.</span>
            {fieldError('json')}
          </div>
        ) : (
          <div className="form-grid">
            {signature.fields.map((field) => {
              const id = `try-field-${field.name}`;
              if (field.kind === 'image') {
                return (
                  <div className="field" key={field.name}>
                    <label htmlFor={id}>Image</label>
                    <input
                      id={id}
                      type="file"
                      accept="image/png,image/jpeg"
                      onChange={chooseImage}
                      {...invalid('image')}
                    />
                    <span className="hint">
                      PNG or JPEG; resized to {field.width}×{field.height}
                      {field.channels === 1 ? ', greyscale' : ''} like the training images.
                    </span>
                    {fieldError('image')}
                    {preview ? (
                      <img
                        src={preview}
                        alt="The chosen image"
                        width={96}
                        height={96}
                        style={{ objectFit: 'contain' }}
                      />
                    ) : null}
                  </div>
                );
              }
              if (field.kind === 'categorical') {
                return (
                  <div className="field" key={field.name}>
                    <label htmlFor={id}>{field.name}</label>
                    <select id={id} value={values[field.name] ?? ''} onChange={set(field.name)}>
                      <option value="">(unknown)</option>
                      {field.categories.map((category) => (
                        <option key={category} value={category}>
                          {category}
                        </option>
                      ))}
                    </select>
                  </div>
                );
              }
              return (
                <div className="field" key={field.name}>
                  <label htmlFor={id}>{field.name}</label>
                  <input
                    id={id}
                    type="text"
                    inputMode="decimal"
                    value={values[field.name] ?? ''}
                    onChange={set(field.name)}
                    {...invalid(field.name)}
                  />
                  {fieldError(field.name)}
                </div>
              );
            })}
          </div>
        )}
        <div className="row">
          <button type="submit" className="btn btn-primary" disabled={pending}>
            {pending ? 'Predicting…' : 'Predict'}
          </button>
        </div>
        {errors['form'] ? (
          <p className="form-error" role="alert">
            {errors['form']}
          </p>
        ) : null}
      </form>
      <div aria-live="polite">{answer ? <AnswerView answer={answer} /> : null}</div>
    </div>
  );
}

function AnswerView({ answer }: { answer: Answer }) {
  return (
    <div className="stack" style={{ gap: 8 }} data-testid="prediction">
      {answer.predictions.map((prediction, index) => {
        const probabilities = Object.entries((prediction.probabilities ?? {}) as Record<string, number>).sort(
          (a, b) => b[1] - a[1],
        );
        return (
          <div key={index}>
            <p style={{ margin: 0 }}>
              Prediction: <strong data-testid="prediction-label">{prediction.label}</strong>{' '}
              <span className="muted">
                (revision {answer.revision}, v{answer.modelVersion})
              </span>
            </p>
            <table className="table" aria-label="Class probabilities">
              <thead>
                <tr>
                  <th scope="col">Class</th>
                  <th scope="col" className="num">
                    Probability
                  </th>
                </tr>
              </thead>
              <tbody>
                {probabilities.map(([label, probability]) => (
                  <tr key={label}>
                    <td>{label}</td>
                    <td className="num">{formatMetric(probability)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
    </div>
  );
}
