import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DemoDefinition } from '../catalog/scenario-catalog';

/** The committed data sets (data/scenarios in the repository); LEPTON_SCENARIO_DATA_DIR points elsewhere. */
export function scenarioDataDirectory(): string {
  return path.resolve(process.env['LEPTON_SCENARIO_DATA_DIR'] || path.join(__dirname, '../../../../data/scenarios'));
}

export interface FeatureSummary {
  name: string;
  description: string;
  categorical: boolean;
  choices: number[] | null;
  min: number | null;
  max: number | null;
  defaultValue: number;
}

/** Few enough distinct values to offer them as choices in a form. */
const MAX_CHOICES = 12;

/** A tabular demo's inputs with their ranges in the committed CSV (these files hold numbers only, `?` when missing). */
export async function summarizeFeatures(demo: DemoDefinition, dataDir = scenarioDataDirectory()): Promise<FeatureSummary[]> {
  if (demo.format !== 'CSV') return [];
  const text = await readFile(path.join(dataDir, demo.files[0]!), 'utf8');
  const [header, ...rows] = text.split('\n').filter((line) => line.length > 0);
  const names = header!.split(',');
  const skipped = new Set([demo.importOptions.label, ...(demo.importOptions.ignore ?? [])]);
  const categorical = new Set(demo.importOptions.categorical ?? []);
  const columns = names.map(() => [] as number[]);
  for (const row of rows) {
    row.split(',').forEach((cell, index) => {
      const value = Number(cell);
      if (cell !== '?' && cell !== '' && Number.isFinite(value)) columns[index]!.push(value);
    });
  }
  return names.flatMap((name, index) => {
    if (skipped.has(name)) return [];
    const values = columns[index]!.sort((a, b) => a - b);
    const distinct = [...new Set(values)];
    return [
      {
        name,
        description: demo.featureDescriptions[name] ?? name,
        categorical: categorical.has(name),
        choices: distinct.length <= MAX_CHOICES ? distinct : null,
        min: values[0] ?? null,
        max: values.at(-1) ?? null,
        defaultValue: values[Math.floor(values.length / 2)] ?? 0,
      },
    ];
  });
}
