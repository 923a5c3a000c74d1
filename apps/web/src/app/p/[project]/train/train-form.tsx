'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent, type ReactNode } from 'react';
import { projectPath } from '@/components/shell/nav-items';
import { graphql } from '@/graphql/generated';
import { inputHints } from '@/graphql/generated/input-hints';
import { request } from '@/lib/client/graphql';
import {
  ACTIVATIONS,
  ARCHITECTURES,
  OPTIMIZERS,
  defaultFromDescription,
  shownDefault,
  formFieldOf,
  validateTrain,
  type TrainFormValues,
} from '@/lib/forms/train-form';
import { ApiRequestError } from '@/lib/graphql-errors';

const StartTrainingMutation = graphql(`
  mutation StartTraining($input: StartTrainingInput!) {
    startTraining(input: $input) {
      id
      status
    }
  }
`);

export interface DatasetChoice {
  id: string;
  label: string;
}

const HYPER = inputHints.HyperparametersInput;
const SPEC = inputHints.ModelSpecInput;

export function TrainForm(props: {
  project: string;
  datasetVersions: DatasetChoice[];
  models: string[];
  initial: Partial<TrainFormValues>;
}) {
  const router = useRouter();
  const [values, setValues] = useState<TrainFormValues>({
    model: '',
    datasetVersionId: props.datasetVersions[0]?.id ?? '',
    name: '',
    architecture: 'MLP',
    hiddenUnits: '',
    dropout: '',
    activation: '',
    epochs: '10',
    batchSize: '',
    learningRate: '',
    optimizer: '',
    seed: '',
    earlyStoppingPatience: '',
    ...props.initial,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const set = (field: keyof TrainFormValues) => (event: { target: { value: string } }) => {
    const next = { ...values, [field]: event.target.value };
    setValues(next);
    // Re-check a field that already shows an error as the user fixes it.
    if (errors[field]) setErrors((previous) => ({ ...previous, [field]: validateTrain(next).errors[field] ?? '' }));
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const { errors: problems, input } = validateTrain(values);
    setErrors(problems);
    if (!input) return;
    setPending(true);
    try {
      const result = await request(StartTrainingMutation, { input: { ...input, project: props.project } });
      router.push(projectPath(props.project, 'runs', result.startTraining.id));
    } catch (caught) {
      const error = caught instanceof ApiRequestError ? caught : null;
      const field = formFieldOf(error?.field);
      if (field) setErrors({ [field]: error!.message });
      else setFormError(error?.message ?? 'Training could not be started');
      setPending(false);
    }
  }

  const field = (name: keyof TrainFormValues, label: string, input: ReactNode, hint?: string | null) => (
    <div className="field">
      <label htmlFor={`train-${name}`}>{label}</label>
      {input}
      {hint ? (
        <span className="hint" id={`train-${name}-hint`}>
          {hint}
        </span>
      ) : null}
      {errors[name] ? (
        <span className="error" id={`train-${name}-error`} role="alert">
          {errors[name]}
        </span>
      ) : null}
    </div>
  );
  const a11y = (name: keyof TrainFormValues, hint?: boolean) => ({
    id: `train-${name}`,
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby':
      [hint ? `train-${name}-hint` : null, errors[name] ? `train-${name}-error` : null].filter(Boolean).join(' ') ||
      undefined,
  });
  const mlp = values.architecture === 'MLP';

  return (
    <form onSubmit={submit} noValidate className="stack" aria-label="Start training">
      <fieldset>
        <legend>What to train</legend>
        <div className="form-grid">
          {field(
            'model',
            'Model name',
            <>
              <input
                type="text"
                list="train-model-options"
                value={values.model}
                onChange={set('model')}
                {...a11y('model', true)}
              />
              <datalist id="train-model-options">
                {props.models.map((name) => (
                  <option key={name} value={name} />
                ))}
              </datalist>
            </>,
            `${inputHints.StartTrainingInput.model.description ?? ''} An existing name adds a version.`,
          )}
          {field(
            'datasetVersionId',
            'Dataset version',
            <select value={values.datasetVersionId} onChange={set('datasetVersionId')} {...a11y('datasetVersionId')}>
              {props.datasetVersions.length === 0 ? <option value="">No dataset imported yet</option> : null}
              {props.datasetVersions.map((choice) => (
                <option key={choice.id} value={choice.id}>
                  {choice.label}
                </option>
              ))}
            </select>,
          )}
          {field(
            'name',
            'Run name (optional)',
            <input type="text" value={values.name} onChange={set('name')} {...a11y('name', true)} />,
            inputHints.StartTrainingInput.name.description,
          )}
        </div>
      </fieldset>

      <fieldset>
        <legend>Model</legend>
        <div className="form-grid">
          {field(
            'architecture',
            'Architecture',
            <select value={values.architecture} onChange={set('architecture')} {...a11y('architecture', true)}>
              {ARCHITECTURES.map((choice) => (
                <option key={choice} value={choice}>
                  {choice}
                </option>
              ))}
            </select>,
            'MLP for tables; the CNNs for images',
          )}
          {mlp
            ? field(
                'hiddenUnits',
                'Hidden units',
                <input
                  type="text"
                  inputMode="numeric"
                  placeholder="default"
                  value={values.hiddenUnits}
                  onChange={set('hiddenUnits')}
                  {...a11y('hiddenUnits', true)}
                />,
                SPEC.hiddenUnits.description ?? 'Layer sizes, e.g. 64, 32',
              )
            : null}
          {field(
            'dropout',
            'Dropout',
            <input
              type="number"
              step="0.05"
              min="0"
              max="0.95"
              placeholder={shownDefault(SPEC.dropout)}
              value={values.dropout}
              onChange={set('dropout')}
              {...a11y('dropout', true)}
            />,
            SPEC.dropout.description ?? 'Fraction of units dropped while training; blank: none',
          )}
          {mlp
            ? field(
                'activation',
                'Activation',
                <select value={values.activation} onChange={set('activation')} {...a11y('activation', true)}>
                  <option value="">{`${defaultFromDescription(SPEC.activation.description) ?? 'default'} (default)`}</option>
                  {ACTIVATIONS.map((choice) => (
                    <option key={choice} value={choice}>
                      {choice}
                    </option>
                  ))}
                </select>,
                SPEC.activation.description,
              )
            : null}
        </div>
      </fieldset>

      <fieldset>
        <legend>Hyperparameters</legend>
        <div className="form-grid">
          {field(
            'epochs',
            'Epochs',
            <input
              type="number"
              min="1"
              step="1"
              value={values.epochs}
              onChange={set('epochs')}
              {...a11y('epochs', true)}
            />,
            'Required',
          )}
          {field(
            'batchSize',
            'Batch size',
            <input
              type="number"
              min="1"
              step="1"
              placeholder={shownDefault(HYPER.batchSize)}
              value={values.batchSize}
              onChange={set('batchSize')}
              {...a11y('batchSize', true)}
            />,
            HYPER.batchSize.description ?? `Default ${shownDefault(HYPER.batchSize)}`,
          )}
          {field(
            'learningRate',
            'Learning rate',
            <input
              type="number"
              step="any"
              min="0"
              placeholder={shownDefault(HYPER.learningRate)}
              value={values.learningRate}
              onChange={set('learningRate')}
              {...a11y('learningRate', true)}
            />,
            HYPER.learningRate.description ?? `Default ${shownDefault(HYPER.learningRate)}`,
          )}
          {field(
            'optimizer',
            'Optimizer',
            <select value={values.optimizer} onChange={set('optimizer')} {...a11y('optimizer', true)}>
              <option value="">{`${shownDefault(HYPER.optimizer) || 'default'} (default)`}</option>
              {OPTIMIZERS.map((choice) => (
                <option key={choice} value={choice}>
                  {choice}
                </option>
              ))}
            </select>,
            HYPER.optimizer.description,
          )}
          {field(
            'seed',
            'Seed',
            <input
              type="number"
              min="0"
              step="1"
              placeholder={shownDefault(HYPER.seed)}
              value={values.seed}
              onChange={set('seed')}
              {...a11y('seed', true)}
            />,
            HYPER.seed.description ?? `Default ${shownDefault(HYPER.seed)}`,
          )}
          {field(
            'earlyStoppingPatience',
            'Early-stopping patience',
            <input
              type="number"
              min="0"
              step="1"
              placeholder={`${defaultFromDescription(HYPER.earlyStoppingPatience.description) ?? ''} with a validation split`}
              value={values.earlyStoppingPatience}
              onChange={set('earlyStoppingPatience')}
              {...a11y('earlyStoppingPatience', true)}
            />,
            HYPER.earlyStoppingPatience.description,
          )}
        </div>
      </fieldset>

      {formError ? (
        <p className="form-error" role="alert">
          {formError}
        </p>
      ) : null}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={pending || props.datasetVersions.length === 0}>
          {pending ? 'Starting…' : 'Start training'}
        </button>
        <span className="muted">Blank fields use the defaults shown; you will follow the run live.</span>
      </div>
    </form>
  );
}
