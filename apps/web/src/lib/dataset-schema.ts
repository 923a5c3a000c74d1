/**
 * A typed reading of DatasetVersion.schema / splits (JSON in the API). Versions registered by hand
 * may carry any JSON, so every field is optional and checked.
 */
export interface FeatureSummary {
  name: string;
  type: string;
  mean?: number;
  std?: number;
  categories?: string[];
}

export interface DatasetSummary {
  kind: string | null;
  format: string | null;
  featureShape: number[];
  label: string | null;
  classes: string[];
  features: FeatureSummary[];
  classCounts: { name: string; count: number }[];
  splits: { name: string; count: number }[];
  seed: number | null;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
const finite = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export function summarizeDataset(schema: unknown, splits: unknown): DatasetSummary {
  const root = isObject(schema) ? schema : {};
  const preprocessing = isObject(root['preprocessing']) ? root['preprocessing'] : {};
  // Mean/std are fitted on the train split and live with the preprocessing; types come from the schema.
  const fitted = new Map(
    (Array.isArray(preprocessing['columns']) ? preprocessing['columns'] : [])
      .filter(isObject)
      .map((column) => [String(column['name']), column]),
  );
  const features = (Array.isArray(root['features']) ? root['features'] : [])
    .filter(isObject)
    .map((feature): FeatureSummary => {
      const name = String(feature['name'] ?? '');
      const column = fitted.get(name) ?? {};
      const mean = finite(column['mean']);
      const std = finite(column['std']);
      const categories =
        strings(feature['categories']).length > 0 ? strings(feature['categories']) : strings(column['categories']);
      return {
        name,
        type: String(feature['type'] ?? 'unknown'),
        ...(mean !== undefined ? { mean } : {}),
        ...(std !== undefined ? { std } : {}),
        ...(categories.length > 0 ? { categories } : {}),
      };
    });
  const label = isObject(root['label']) ? root['label'] : {};
  const stats = isObject(root['stats']) ? root['stats'] : {};
  const counts = isObject(stats['classCounts']) ? stats['classCounts'] : {};
  const splitCounts = isObject(splits) ? splits : {};
  return {
    kind: typeof root['kind'] === 'string' ? root['kind'] : null,
    format: typeof root['format'] === 'string' ? root['format'] : null,
    featureShape: Array.isArray(root['featureShape'])
      ? root['featureShape'].filter((n): n is number => typeof n === 'number')
      : [],
    label: typeof label['name'] === 'string' ? label['name'] : null,
    classes: strings(root['classes']).length > 0 ? strings(root['classes']) : strings(label['classes']),
    features,
    classCounts: Object.entries(counts)
      .map(([name, count]) => ({ name, count: finite(count) ?? 0 }))
      .sort((a, b) => b.count - a.count),
    splits: ['train', 'validation', 'test']
      .filter((name) => finite(splitCounts[name]) !== undefined)
      .map((name) => ({ name, count: finite(splitCounts[name])! })),
    seed: finite(splitCounts['seed']) ?? null,
  };
}
