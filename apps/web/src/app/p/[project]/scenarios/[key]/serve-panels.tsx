'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { formatCount } from '@/components/ui/format';
import { request } from '@/lib/client/graphql';
import { ApiRequestError } from '@/lib/graphql-errors';
import {
  batchFromCsv,
  chunks,
  defaultFormValues,
  imageFileProblem,
  instanceFromForm,
  positiveProbability,
  PREDICT_BATCH,
  scoredCsv,
  type FeatureSpec,
  type TabularInstance,
} from '@/lib/scenarios/serve-forms';
import { decide } from '@/lib/scenarios/threshold';
import type { ScenarioKey } from '@/graphql/generated/graphql';
import { ScenarioImageQuery, ScenarioPredictMutation } from './scenario-queries';

export interface Sample {
  id: string;
  label: string;
  positive: boolean;
  features?: unknown;
  image?: string | null;
}

/** One answer of the live deployment, kept to show which revision served it. */
export interface Answer {
  at: string;
  source: string;
  revision: number;
  modelVersion: number;
  probability: number;
}

export interface ServeContext {
  id: string;
  deployment: string;
  /** The model's class the probability is read for, as predict names it. */
  positiveClass: string;
  /** What the classes mean to people, e.g. pneumonia and normal. */
  positiveName: string;
  negativeName: string;
  threshold: number;
  onAnswer: (answers: Answer[]) => void;
}

/** Sends instances to the deployment through the predict mutation (the token stays on the server). */
async function predict(
  context: ServeContext,
  instances: unknown[],
  source: string,
): Promise<{ probabilities: number[]; revision: number; modelVersion: number }> {
  const result = await request(ScenarioPredictMutation, { deployment: context.deployment, instances });
  const { revision, modelVersion, predictions } = result.predict;
  const probabilities = predictions.map((prediction) => positiveProbability(prediction, context.positiveClass));
  const at = new Date().toISOString();
  context.onAnswer(probabilities.map((probability) => ({ at, source, revision, modelVersion, probability })));
  return { probabilities, revision, modelVersion };
}

/** A held-out example's true class, in words. */
function nameOf(context: ServeContext, sample: Sample): string {
  return sample.positive ? context.positiveName : context.negativeName;
}

function messageOf(error: unknown): string {
  if (error instanceof ApiRequestError) return error.field ? `${error.field}: ${error.message}` : error.message;
  return error instanceof Error ? error.message : 'The prediction failed';
}

interface Outcome {
  probability: number;
  revision: number;
  modelVersion: number;
  truth?: string;
}

function PredictionResult(props: {
  context: ServeContext;
  outcome: Outcome | null;
  error: string | null;
  pending: boolean;
}) {
  const { context, outcome } = props;
  const positive = outcome ? decide(outcome.probability, context.threshold) : false;
  return (
    <div role="status" aria-live="polite" className="stack" style={{ gap: 6 }}>
      {props.pending ? <p className="muted">Asking the deployment…</p> : null}
      {props.error ? (
        <p className="form-error" role="alert">
          {props.error}
        </p>
      ) : null}
      {outcome && !props.pending ? (
        <dl className="properties" data-testid={`${context.id}-prediction`}>
          <dt>Probability of {context.positiveName}</dt>
          <dd data-testid={`${context.id}-probability`}>{(outcome.probability * 100).toFixed(2)}%</dd>
          <dt>Decision at {context.threshold.toFixed(2)}</dt>
          <dd>
            <span
              className={`badge ${positive ? 'badge-danger' : 'badge-success'}`}
              data-testid={`${context.id}-decision`}
            >
              {positive ? context.positiveName : context.negativeName}
            </span>
          </dd>
          {outcome.truth !== undefined ? (
            <>
              <dt>True label</dt>
              <dd>{outcome.truth}</dd>
            </>
          ) : null}
          <dt>Answered by</dt>
          <dd data-testid={`${context.id}-served-by`}>
            revision {outcome.revision} (model version {outcome.modelVersion})
          </dd>
        </dl>
      ) : null}
    </div>
  );
}

/** Medical imaging: a held-out X-ray or an uploaded PNG/JPEG, sent as is (the server resizes it to 28×28 grayscale). */
export function ImageServePanel(props: {
  context: ServeContext;
  samples: Sample[];
  project: string;
  scenarioKey: ScenarioKey;
  demoKey: string;
}) {
  const { context } = props;
  const [selected, setSelected] = useState<string | null>(null);
  const [upload, setUpload] = useState<{ name: string; dataUrl: string; fitted: string } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const images = props.samples.filter((sample) => sample.image);

  async function score(image: string, source: string, truth?: string) {
    setPending(true);
    setError(null);
    try {
      const result = await predict(context, [image], source);
      setOutcome({
        probability: result.probabilities[0]!,
        revision: result.revision,
        modelVersion: result.modelVersion,
        ...(truth !== undefined ? { truth } : {}),
      });
    } catch (caught) {
      setOutcome(null);
      setError(messageOf(caught));
    } finally {
      setPending(false);
    }
  }

  function chooseFile(file: File | undefined) {
    setError(null);
    if (!file) return;
    const problem = imageFileProblem(file);
    if (problem) {
      setUpload(null);
      setError(problem);
      return;
    }
    const reader = new FileReader();
    reader.onload = async () => {
      const dataUrl = String(reader.result);
      setSelected(null);
      setUpload(null);
      setPending(true);
      let fitted: string;
      try {
        // The server fits the image to the model's input, as the training images were made.
        fitted = (
          await request(ScenarioImageQuery, {
            project: props.project,
            key: props.scenarioKey,
            demo: props.demoKey,
            image: dataUrl,
          })
        ).scenarioImage;
      } catch (caught) {
        setOutcome(null);
        setError(messageOf(caught));
        setPending(false);
        return;
      }
      setUpload({ name: file.name, dataUrl, fitted });
      await score(fitted, `upload ${file.name}`);
    };
    reader.onerror = () => setError('The file could not be read');
    reader.readAsDataURL(file);
  }

  return (
    <div className="stack">
      <fieldset>
        <legend>Pick a held-out X-ray (never trained on)</legend>
        <div className="row" style={{ flexWrap: 'wrap', gap: 8 }} data-testid={`${context.id}-samples`}>
          {images.slice(0, 24).map((sample) => (
            <button
              key={sample.id}
              type="button"
              className="btn btn-small"
              aria-pressed={selected === sample.id}
              onClick={() => {
                setSelected(sample.id);
                setUpload(null);
                void score(sample.image!, `sample ${sample.id}`, nameOf(context, sample));
              }}
              disabled={pending}
            >
              <img src={sample.image!} alt="" width={42} height={42} style={{ imageRendering: 'pixelated' }} />
              <span className="visually-hidden">
                X-ray {sample.id}, labelled {nameOf(context, sample)}
              </span>
            </button>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor={`${context.id}-upload`}>Or upload a chest X-ray (PNG or JPEG, at most 2 MB)</label>
        <input
          id={`${context.id}-upload`}
          type="file"
          accept="image/png,image/jpeg"
          onChange={(event) => chooseFile(event.target.files?.[0])}
          disabled={pending}
        />
        <span className="hint">
          The server crops it to a square and scales it down to 28×28 grayscale, as the training images were made.
        </span>
      </div>
      {upload ? (
        <figure className="row" style={{ gap: 12, margin: 0 }}>
          <img src={upload.dataUrl} alt="The uploaded image" width={84} height={84} style={{ objectFit: 'contain' }} />
          <img
            src={upload.fitted}
            alt="The same image as the model sees it, 28 by 28 grayscale"
            width={84}
            height={84}
            style={{ imageRendering: 'pixelated' }}
            data-testid={`${context.id}-fitted`}
          />
          <figcaption className="muted">
            {upload.name}: as uploaded, and as the model sees it (28×28 grayscale)
          </figcaption>
        </figure>
      ) : null}
      <PredictionResult context={context} outcome={outcome} error={error} pending={pending} />
    </div>
  );
}

/** One input per feature, coded features as choices; "fill from a held-out example" for realistic rows. */
export function TabularServePanel(props: {
  context: ServeContext;
  features: FeatureSpec[];
  samples: Sample[];
  title: string;
}) {
  const { context, features } = props;
  const [values, setValues] = useState<Record<string, string>>(() => defaultFormValues(features));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [warnings, setWarnings] = useState<Record<string, string>>({});
  const [truth, setTruth] = useState<string | undefined>(undefined);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const withFeatures = props.samples.filter((sample) => sample.features && typeof sample.features === 'object');

  function fillFrom(sampleId: string) {
    const sample = withFeatures.find((entry) => entry.id === sampleId);
    if (!sample) return;
    const row = sample.features as Record<string, unknown>;
    setValues(
      Object.fromEntries(
        features.map((feature) => [
          feature.name,
          row[feature.name] === null || row[feature.name] === undefined ? '' : String(row[feature.name]),
        ]),
      ),
    );
    setErrors({});
    setTruth(nameOf(context, sample));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const mapped = instanceFromForm(features, values);
    setErrors(mapped.errors);
    setWarnings(mapped.warnings);
    if (!mapped.instance) return;
    setPending(true);
    setError(null);
    try {
      const result = await predict(context, [mapped.instance], 'form');
      setOutcome({
        probability: result.probabilities[0]!,
        revision: result.revision,
        modelVersion: result.modelVersion,
        ...(truth !== undefined ? { truth } : {}),
      });
    } catch (caught) {
      setOutcome(null);
      setError(messageOf(caught));
    } finally {
      setPending(false);
    }
  }

  const fieldId = (name: string) => `${context.id}-f-${name}`;
  return (
    <form onSubmit={submit} noValidate className="stack" aria-label={props.title}>
      {withFeatures.length > 0 ? (
        <div className="field">
          <label htmlFor={`${context.id}-fill`}>Fill from a held-out example</label>
          <select id={`${context.id}-fill`} defaultValue="" onChange={(event) => fillFrom(event.target.value)}>
            <option value="" disabled>
              Choose one of {withFeatures.length}
            </option>
            {withFeatures.map((sample) => (
              <option key={sample.id} value={sample.id}>
                {sample.id} ({nameOf(context, sample)})
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="form-grid">
        {features.map((feature) => {
          const id = fieldId(feature.name);
          const message = errors[feature.name] ?? warnings[feature.name];
          const onChange = (event: { target: { value: string } }) => {
            setValues((previous) => ({ ...previous, [feature.name]: event.target.value }));
            setTruth(undefined);
          };
          return (
            <div className="field" key={feature.name}>
              <label htmlFor={id}>
                {feature.description} <span className="muted mono">{feature.name}</span>
              </label>
              {feature.choices && feature.choices.length > 0 ? (
                <select
                  id={id}
                  value={values[feature.name] ?? ''}
                  onChange={onChange}
                  aria-invalid={errors[feature.name] ? true : undefined}
                >
                  <option value="">unknown</option>
                  {feature.choices.map((choice) => (
                    <option key={choice} value={String(choice)}>
                      {choice}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  id={id}
                  type="text"
                  inputMode="decimal"
                  value={values[feature.name] ?? ''}
                  onChange={onChange}
                  aria-invalid={errors[feature.name] ? true : undefined}
                  aria-describedby={message ? `${id}-message` : undefined}
                />
              )}
              {message ? (
                <span
                  className={errors[feature.name] ? 'error' : 'hint'}
                  id={`${id}-message`}
                  role={errors[feature.name] ? 'alert' : undefined}
                >
                  {message}
                </span>
              ) : null}
            </div>
          );
        })}
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          Score
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => {
            setValues(defaultFormValues(features));
            setErrors({});
            setWarnings({});
            setTruth(undefined);
          }}
        >
          Reset to typical values
        </button>
      </div>
      <PredictionResult context={context} outcome={outcome} error={error} pending={pending} />
    </form>
  );
}

interface FeedRow {
  sample: Sample;
  probability: number;
  revision: number;
}

const FEED_INTERVAL_MS = 1500;
const FEED_BATCH = 4;

/** Security: replays the held-out sites through the deployment, a few a tick; flagged ones go to the alert table. */
export function LiveFeedPanel(props: { context: ServeContext; samples: Sample[] }) {
  const { context, samples } = props;
  const [running, setRunning] = useState(false);
  const [rows, setRows] = useState<FeedRow[]>([]);
  const [error, setError] = useState<string | null>(null);
  const cursor = useRef(0);
  const latest = useRef(context);
  latest.current = context;

  useEffect(() => {
    if (!running || samples.length === 0) return;
    let busy = false;
    const tick = async () => {
      if (busy) return;
      busy = true;
      const batch = Array.from(
        { length: FEED_BATCH },
        (_, index) => samples[(cursor.current + index) % samples.length]!,
      );
      cursor.current = (cursor.current + FEED_BATCH) % samples.length;
      try {
        const result = await predict(
          latest.current,
          batch.map((sample) => sample.features),
          'live feed',
        );
        setRows((previous) =>
          [
            ...batch.map((sample, index) => ({
              sample,
              probability: result.probabilities[index]!,
              revision: result.revision,
            })),
            ...previous,
          ].slice(0, 200),
        );
        setError(null);
      } catch (caught) {
        setError(messageOf(caught));
        setRunning(false);
      } finally {
        busy = false;
      }
    };
    void tick();
    const timer = setInterval(() => void tick(), FEED_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [running, samples]);

  const flagged = rows.filter((row) => decide(row.probability, context.threshold));
  const caught = flagged.filter((row) => row.sample.positive).length;
  const missed = rows.filter((row) => row.sample.positive && !decide(row.probability, context.threshold)).length;
  return (
    <div className="stack">
      <div className="row">
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => setRunning((value) => !value)}
          disabled={samples.length === 0}
        >
          {running ? 'Pause the feed' : 'Start the live feed'}
        </button>
        <p role="status" aria-live="polite" data-testid={`${context.id}-feed-status`}>
          {formatCount(rows.length)} sites scored, {formatCount(flagged.length)} flagged at{' '}
          {context.threshold.toFixed(2)} ({caught} real {context.positiveName}, {flagged.length - caught} false alarms,{' '}
          {missed} missed)
        </p>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="table" data-testid={`${context.id}-alerts-table`}>
          <caption className="visually-hidden">Flagged sites</caption>
          <thead>
            <tr>
              <th scope="col">Site</th>
              <th scope="col" className="num">
                Probability of {context.positiveName}
              </th>
              <th scope="col">True label</th>
              <th scope="col" className="num">
                Revision
              </th>
            </tr>
          </thead>
          <tbody>
            {flagged.slice(0, 12).map((row, index) => (
              <tr key={`${row.sample.id}-${index}`}>
                <td className="mono">{row.sample.id}</td>
                <td className="num">{(row.probability * 100).toFixed(1)}%</td>
                <td>
                  <span className={`badge ${row.sample.positive ? 'badge-danger' : 'badge-warning'}`}>
                    {nameOf(context, row.sample)}
                  </span>
                </td>
                <td className="num">{row.revision}</td>
              </tr>
            ))}
            {flagged.length === 0 ? (
              <tr>
                <td colSpan={4} className="muted">
                  No alert yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Finance: a CSV of applicants scored in chunks through the deployment, returned as a CSV download. */
export function BatchScorePanel(props: { context: ServeContext; features: FeatureSpec[] }) {
  const { context } = props;
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [download, setDownload] = useState<{ url: string; name: string; rows: number; flagged: number } | null>(null);
  const [pending, setPending] = useState(false);

  useEffect(
    () => () => {
      if (download) URL.revokeObjectURL(download.url);
    },
    [download],
  );

  async function score(file: File | undefined) {
    if (!file) return;
    setError(null);
    setDownload(null);
    const { batch, error: problem } = batchFromCsv(await file.text(), props.features);
    if (!batch) {
      setError(problem ?? 'The file could not be read');
      return;
    }
    setPending(true);
    const probabilities: number[] = [];
    try {
      for (const part of chunks<TabularInstance>(batch.instances, PREDICT_BATCH)) {
        setStatus(
          `Scoring rows ${probabilities.length + 1}–${probabilities.length + part.length} of ${batch.instances.length}…`,
        );
        probabilities.push(...(await predict(context, part, `batch ${file.name}`)).probabilities);
      }
      const text = scoredCsv(batch, probabilities, context.threshold, {
        positive: context.positiveName,
        negative: context.negativeName,
      });
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
      const flagged = probabilities.filter((probability) => decide(probability, context.threshold)).length;
      setDownload({ url, name: file.name.replace(/\.csv$/i, '') + '-scored.csv', rows: probabilities.length, flagged });
      setStatus(null);
    } catch (caught) {
      setError(messageOf(caught));
      setStatus(null);
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="stack">
      <div className="field">
        <label htmlFor={`${context.id}-batch`}>CSV of applicants (a header naming the model&apos;s columns)</label>
        <input
          id={`${context.id}-batch`}
          type="file"
          accept=".csv,text/csv"
          onChange={(event) => void score(event.target.files?.[0])}
          disabled={pending}
        />
        <span className="hint">
          Other columns (an id, the label) are kept in the output. Decisions use the threshold above.
        </span>
      </div>
      <div role="status" aria-live="polite">
        {status ? <p className="muted">{status}</p> : null}
        {download ? (
          <p data-testid={`${context.id}-batch-result`}>
            {formatCount(download.rows)} rows scored, {formatCount(download.flagged)} at or above{' '}
            {context.threshold.toFixed(2)}.{' '}
            <a href={download.url} download={download.name}>
              Download {download.name}
            </a>
          </p>
        ) : null}
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
