import type { ArtifactStore } from '@lepton/artifacts';
import { deserializePreparedDataset, encodePng } from '@lepton/datasets';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DemoDefinition } from '../catalog/scenario-catalog';
import { scenarioDataDirectory } from './scenario-data';

export interface ScenarioSample {
  id: string;
  label: string;
  positive: boolean;
  features: Record<string, number | null> | null;
  image: string | null;
}

/** The most samples a demo offers (the serve panels' pickers and live feeds). */
export const MAX_SAMPLES = 200;

/**
 * Held-out examples of the imported version's test split, positives and negatives taken in turn, in
 * split order: images as PNG data URLs, rows as the CSV's raw values (what the deployment takes).
 */
export async function loadSamples(
  artifacts: ArtifactStore,
  storageUri: string,
  demo: DemoDefinition,
  dataDir = scenarioDataDirectory(),
): Promise<ScenarioSample[]> {
  const prefix = artifacts.keyFromUri(storageUri);
  const files: Record<string, Uint8Array> = {};
  for (const key of await artifacts.list(prefix)) files[key.slice(prefix.length + 1)] = await artifacts.get(key);
  const dataset = deserializePreparedDataset(files);
  const positive = dataset.classes.indexOf('positive');
  const byClass = [[], []] as number[][];
  for (const index of dataset.splits.test) byClass[dataset.labels[index] === positive ? 1 : 0]!.push(index);
  const chosen: number[] = [];
  for (let k = 0; chosen.length < MAX_SAMPLES && (k < byClass[0]!.length || k < byClass[1]!.length); k++) {
    for (const members of byClass) if (k < members.length && chosen.length < MAX_SAMPLES) chosen.push(members[k]!);
  }
  const rows = demo.format === 'CSV' ? await csvRecords(demo, dataDir) : null;
  const [height, width] = dataset.featureShape;
  const size = dataset.featureShape.reduce((product, dim) => product * dim, 1);
  return chosen.map((index) => {
    const label = dataset.classes[dataset.labels[index]!]!;
    const base = { id: `test-${dataset.splits.test.indexOf(index)}`, label, positive: label === 'positive' };
    if (rows) return { ...base, features: rows[index]!, image: null };
    const pixels = Uint8Array.from(dataset.features.subarray(index * size, (index + 1) * size), (value) => Math.round(value * 255));
    return { ...base, features: null, image: `data:image/png;base64,${encodePng(pixels, width!, height!, 1).toString('base64')}` };
  });
}

/** The committed CSV's rows as {column: number | null} without the label and ignored columns (numbers only in these files). */
async function csvRecords(demo: DemoDefinition, dataDir: string): Promise<Record<string, number | null>[]> {
  const text = await readFile(path.join(dataDir, demo.files[0]!), 'utf8');
  const [header, ...lines] = text.split('\n').filter((line) => line.length > 0);
  const names = header!.split(',');
  const skipped = new Set([demo.importOptions.label, ...(demo.importOptions.ignore ?? [])]);
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(
      names.flatMap((name, column) => {
        if (skipped.has(name)) return [];
        const cell = cells[column]!.trim();
        return [[name, cell === '?' || cell === '' ? null : Number(cell)]];
      }),
    );
  });
}
