import {
  applyImagePreprocessing,
  DatasetImportError,
  tabularRowEncoder,
  type DatasetDescription,
  type TabularRow,
} from '@lepton/datasets';
import { InferenceError, invalidInput, invalidModel } from '../inference-error';

/** Names a request field for an error: instance `index`, and the feature when the problem is in one. */
export type FieldNamer = (index: number, feature: string | null) => string;

/** The friendly endpoint's naming: `instances[3]`, `instances[3].age`. */
export const instanceField: FieldNamer = (index, feature) =>
  feature === null ? `instances[${index}]` : `instances[${index}].${feature}`;

/** A raw feature a caller sends: a CSV column (numeric or categorical) or the image. */
export interface RawFeature {
  name: string;
  type: 'numeric' | 'categorical' | 'image';
}

/**
 * Raw records → the tensor the trainer saw, through the dataset version's own preprocessing (libs/datasets, the
 * code import used), after checking each record so that every refusal names its field.
 */
export interface InstanceEncoder {
  readonly kind: DatasetDescription['kind'];
  /** Per instance, as the model takes it (e.g. [nFeatures] or [height, width, channels]). */
  readonly featureShape: number[];
  /** Values per instance. */
  readonly featureSize: number;
  readonly features: RawFeature[];
  /** Instances × featureSize values, row-major; throws InferenceError (INVALID_INPUT) naming the field. */
  encode(instances: readonly unknown[], field?: FieldNamer): Float32Array;
}

const LISTED_NAMES = 20;
// Standard or URL-safe alphabet, optional padding, optionally as a data URL.
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const DATA_URL = /^data:image\/(?:png|jpe?g);base64,/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function listed(names: string[]): string {
  const shown = names.slice(0, LISTED_NAMES).join(', ');
  return names.length > LISTED_NAMES ? `${shown}, … (${names.length} in all)` : shown;
}

export function instanceEncoder(description: DatasetDescription): InstanceEncoder {
  const featureSize = description.featureShape.reduce((product, size) => product * size, 1);
  return description.preprocessing.kind === 'tabular'
    ? tabularInstances(description, featureSize)
    : imageInstances(description, featureSize);
}

function tabularInstances(description: DatasetDescription, featureSize: number): InstanceEncoder {
  const preprocessing = description.preprocessing;
  if (preprocessing.kind !== 'tabular') throw invalidModel('expected tabular preprocessing');
  const encoder = tabularRowEncoder(preprocessing);
  if (encoder.width !== featureSize) {
    throw invalidModel(
      `the dataset's preprocessing encodes ${encoder.width} values but its feature shape holds ${featureSize}`,
    );
  }
  const features: RawFeature[] = preprocessing.columns.map((column) => ({ name: column.name, type: column.type }));
  const names = features.map((feature) => feature.name);
  // The label may come along (rows pasted from the training CSV); it is not read.
  const accepted = new Set([...names, preprocessing.labelColumn]);
  return {
    kind: 'tabular',
    featureShape: description.featureShape,
    featureSize,
    features,
    encode(instances, field = instanceField) {
      const out = new Float32Array(instances.length * featureSize);
      instances.forEach((instance, index) => {
        if (!isRecord(instance)) {
          throw invalidInput(
            field(index, null),
            `expected an object of named features (${listed(names)}), got ${typeName(instance)}`,
          );
        }
        for (const key of Object.keys(instance)) {
          if (!accepted.has(key))
            throw invalidInput(field(index, key), `unknown feature; the model takes ${listed(names)}`);
        }
        for (const { name, type } of features) {
          if (!Object.hasOwn(instance, name))
            throw invalidInput(field(index, name), 'missing (send null when the value is unknown)');
          const value = instance[name];
          if (value !== null && typeof value !== 'string' && typeof value !== 'number') {
            const expected = type === 'numeric' ? 'a number' : 'a string';
            throw invalidInput(field(index, name), `expected ${expected} or null, got ${typeName(value)}`);
          }
        }
        try {
          encoder.encode(instance as TabularRow, out, index * featureSize);
        } catch (error) {
          if (error instanceof DatasetImportError) {
            throw invalidInput(field(index, typeof error.column === 'string' ? error.column : null), error.message);
          }
          throw error;
        }
      });
      return out;
    },
  };
}

function imageInstances(description: DatasetDescription, featureSize: number): InstanceEncoder {
  const preprocessing = description.preprocessing;
  if (preprocessing.kind !== 'image') throw invalidModel('expected image preprocessing');
  const { height, width, channels } = preprocessing;
  if (height * width * channels !== featureSize) {
    throw invalidModel(
      `the dataset's images are ${height}×${width}×${channels} but its feature shape holds ${featureSize} values`,
    );
  }
  const name = description.schema.features[0]?.name ?? 'image';
  const imageOf = (instance: unknown, index: number, field: FieldNamer): { text: string; where: string } => {
    if (typeof instance === 'string') return { text: instance, where: field(index, null) };
    if (isRecord(instance)) {
      for (const key of Object.keys(instance)) {
        if (key !== name) throw invalidInput(field(index, key), `unknown feature; the model takes ${name}`);
      }
      const value = instance[name];
      if (typeof value === 'string') return { text: value, where: field(index, name) };
      if (value === undefined) throw invalidInput(field(index, name), 'missing: send the image as base64 PNG or JPEG');
      throw invalidInput(field(index, name), `expected a base64 PNG or JPEG string, got ${typeName(value)}`);
    }
    throw invalidInput(
      field(index, null),
      `expected a base64 PNG or JPEG string (or {"${name}": …}), got ${typeName(instance)}`,
    );
  };
  return {
    kind: 'image',
    featureShape: description.featureShape,
    featureSize,
    features: [{ name, type: 'image' }],
    encode(instances, field = instanceField) {
      const out = new Float32Array(instances.length * featureSize);
      instances.forEach((instance, index) => {
        const { text, where } = imageOf(instance, index, field);
        const base64 = text.replace(DATA_URL, '');
        if (base64.length === 0 || !BASE64.test(base64)) throw invalidInput(where, 'is not base64 (PNG or JPEG bytes)');
        try {
          applyImagePreprocessing(preprocessing, Buffer.from(base64, 'base64'), where, out, index * featureSize);
        } catch (error) {
          if (error instanceof DatasetImportError) throw new InferenceError('INVALID_INPUT', error.message, where);
          throw error;
        }
      });
      return out;
    },
  };
}
