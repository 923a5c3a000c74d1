import { importDataset, type PreparedDataset } from '@lepton/datasets';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS, type DemoDefinition } from '../catalog/scenario-catalog';
import { scenarioDataDirectory } from './scenario-data';

const DATA = scenarioDataDirectory();
const demo = (key: string) => SCENARIOS.flatMap((scenario) => scenario.demos).find((candidate) => candidate.key === key)!;

/** The demo's files through the importer with the demo's own options, as Prepare imports them. */
function importDemo(definition: DemoDefinition): Promise<PreparedDataset> {
  const input = definition.files.length === 1 ? path.join(DATA, definition.files[0]!) : path.join(DATA, path.dirname(definition.files[0]!));
  return importDataset({ path: input }, definition.format, definition.importOptions);
}

const positivesIn = (dataset: PreparedDataset, indices: Int32Array) => Array.from(indices).filter((index) => dataset.labels[index] === 1).length;

describe('the committed scenario data (data/scenarios)', () => {
  it('are the files NOTICE.md lists, byte for byte', () => {
    const notice = readFileSync(path.join(DATA, 'NOTICE.md'), 'utf8');
    const listed = [...notice.matchAll(/^([0-9a-f]{32}) {2}(\S+)$/gm)].map((match) => [match[2]!, match[1]!]);
    expect(listed.map(([file]) => file).sort()).toEqual(SCENARIOS.flatMap((scenario) => scenario.demos.flatMap((d) => d.files)).sort());
    for (const [file, md5] of listed) expect(createHash('md5').update(readFileSync(path.join(DATA, file!))).digest('hex'), file).toBe(md5);
  });

  it('heart disease: 303 patients, num > 0 positive (139 of them), the 6 `?` cells missing, not values', async () => {
    const dataset = await importDemo(demo('heart-disease'));
    expect(dataset.labels.length).toBe(303);
    expect(dataset.classes).toEqual(['negative', 'positive']);
    expect(dataset.stats).toMatchObject({
      labelValueCounts: { '0': 164, '1': 55, '2': 36, '3': 35, '4': 13 },
      classCounts: { negative: 164, positive: 139 },
      columns: { ca: { type: 'numeric', missing: 4 }, thal: { type: 'categorical', missing: 2, distinct: 3 } },
    });
    const columns = dataset.preprocessing.kind === 'tabular' ? dataset.preprocessing.columns : [];
    // ca is a count (numeric); the four coded columns are one-hot, named without the file's ".0".
    expect(columns.find((column) => column.name === 'ca')).toMatchObject({ type: 'numeric' });
    expect(columns.find((column) => column.name === 'thal')).toMatchObject({ type: 'categorical', categories: ['3', '6', '7'] });
    expect(columns.find((column) => column.name === 'cp')).toMatchObject({ type: 'categorical', categories: ['1', '2', '3', '4'] });
    // Row 88 (0-based 87) has thal `?`: its three thal slots are all zero; its ca is a value.
    const width = dataset.featureShape[0]!;
    let offset = 0;
    for (const column of columns) {
      if (column.name === 'thal') break;
      offset += column.type === 'numeric' ? 1 : column.categories.length;
    }
    expect(Array.from(dataset.features.subarray(87 * width + offset, 87 * width + offset + 3))).toEqual([0, 0, 0]);
    expect(Array.from(dataset.features.subarray(0 * width + offset, 0 * width + offset + 3))).toEqual([0, 1, 0]); // thal 6.0
  });

  it('phishing: 11,055 sites, Result -1 (phishing) positive: 4,898', async () => {
    const dataset = await importDemo(demo('phishing'));
    expect(dataset.labels.length).toBe(11_055);
    expect(dataset.stats).toMatchObject({ classCounts: { negative: 6157, positive: 4898 } });
    expect(dataset.featureShape).toEqual([30]);
  });

  it('credit default: 30,000 customers, 6,636 defaults (22.1 %), ID left out, SEX/EDUCATION/MARRIAGE one-hot', async () => {
    const dataset = await importDemo(demo('credit-default'));
    expect(dataset.labels.length).toBe(30_000);
    expect(dataset.stats).toMatchObject({ classCounts: { negative: 23_364, positive: 6636 } });
    const columns = dataset.preprocessing.kind === 'tabular' ? dataset.preprocessing.columns : [];
    expect(columns.map((column) => column.name)).not.toContain('ID');
    expect(columns).toHaveLength(23);
    expect(columns.find((column) => column.name === 'EDUCATION')).toMatchObject({ type: 'categorical', categories: ['0', '1', '2', '3', '4', '5', '6'] });
    expect(columns.find((column) => column.name === 'PAY_0')).toMatchObject({ type: 'numeric' });
  });

  it('PneumoniaMNIST: its own 2,428 / 270 / 468 split kept, 50/50 in every split, 28×28 grayscale', async () => {
    const dataset = await importDemo(demo('pneumonia'));
    expect(dataset.featureShape).toEqual([28, 28, 1]);
    expect(dataset.classes).toEqual(['negative', 'positive']);
    const { train, validation, test } = dataset.splits;
    expect([train.length, validation.length, test.length]).toEqual([2428, 270, 468]);
    expect([positivesIn(dataset, train), positivesIn(dataset, validation), positivesIn(dataset, test)]).toEqual([1214, 135, 234]);
  });
});
