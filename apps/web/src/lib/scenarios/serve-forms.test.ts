import { describe, expect, it } from 'vitest';
import { parseRecords } from '@/lib/csv-preview';
import {
  batchFromCsv,
  chunks,
  csvCell,
  defaultFormValues,
  imageFileProblem,
  instanceFromForm,
  MAX_BATCH_ROWS,
  positiveProbability,
  scoredCsv,
  type FeatureSpec,
} from './serve-forms';

const FEATURES: FeatureSpec[] = [
  {
    name: 'LIMIT_BAL',
    description: 'Credit limit',
    categorical: false,
    min: 10_000,
    max: 1_000_000,
    defaultValue: 140_000,
  },
  { name: 'AGE', description: 'Age in years', categorical: false, min: 21, max: 79, defaultValue: 34 },
  { name: 'PAY_0', description: 'Repayment status', categorical: true, choices: [-2, -1, 0, 1, 2], defaultValue: 0 },
];

describe('the applicant form', () => {
  it('starts from the data medians and maps them to a numeric instance', () => {
    const values = defaultFormValues(FEATURES);
    expect(values).toEqual({ LIMIT_BAL: '140000', AGE: '34', PAY_0: '0' });
    expect(instanceFromForm(FEATURES, values)).toEqual({
      instance: { LIMIT_BAL: 140_000, AGE: 34, PAY_0: 0 },
      errors: {},
      warnings: {},
    });
  });

  it('sends a blank field as unknown, refuses text and codes the data never had', () => {
    expect(instanceFromForm(FEATURES, { LIMIT_BAL: ' ', AGE: '40', PAY_0: '-1' }).instance).toEqual({
      LIMIT_BAL: null,
      AGE: 40,
      PAY_0: -1,
    });
    const refused = instanceFromForm(FEATURES, { LIMIT_BAL: 'lots', AGE: '40', PAY_0: '7' });
    expect(refused.instance).toBeUndefined();
    expect(refused.errors).toEqual({ LIMIT_BAL: 'A number', PAY_0: 'One of -2, -1, 0, 1, 2' });
  });

  it('warns about values outside the range the model was trained on but still sends them', () => {
    const result = instanceFromForm(FEATURES, { LIMIT_BAL: '5000', AGE: '34', PAY_0: '0' });
    expect(result.instance).toEqual({ LIMIT_BAL: 5000, AGE: 34, PAY_0: 0 });
    expect(result.warnings['LIMIT_BAL']).toMatch(/Outside the data's range 10000 to 1000000/);
  });
});

describe('batch scoring a CSV', () => {
  it('reads the feature columns by name, keeps the others, and maps missing markers to unknown', () => {
    const { batch, error } = batchFromCsv(
      '\uFEFFid;AGE;PAY_0;LIMIT_BAL;note\n7;30;1;50000;x\n8;?;0;;"a;b"\n',
      FEATURES,
    );
    expect(error).toBeUndefined();
    expect(batch!.header).toEqual(['id', 'AGE', 'PAY_0', 'LIMIT_BAL', 'note']);
    expect(batch!.instances).toEqual([
      { LIMIT_BAL: 50_000, AGE: 30, PAY_0: 1 },
      { LIMIT_BAL: null, AGE: null, PAY_0: 0 },
    ]);
    expect(batch!.records[1]).toEqual(['8', '?', '0', '', 'a;b']);
  });

  it('names what is wrong: missing columns, ragged lines, text in a number column, too many rows', () => {
    expect(batchFromCsv('AGE,PAY_0\n1,2\n', FEATURES).error).toBe('Missing column: LIMIT_BAL');
    expect(batchFromCsv('AGE,PAY_0,LIMIT_BAL\n', FEATURES).error).toMatch(/at least one row/);
    expect(batchFromCsv('AGE,PAY_0,LIMIT_BAL\n1,2,3\n4,5\n', FEATURES).error).toBe(
      'Line 3: 2 fields, the header has 3',
    );
    expect(batchFromCsv('AGE,PAY_0,LIMIT_BAL\n1,2,3\nold,5,6\n', FEATURES).error).toBe(
      'Line 3, column AGE: not a number',
    );
    const big = 'AGE,PAY_0,LIMIT_BAL\n' + '1,0,3\n'.repeat(MAX_BATCH_ROWS + 1);
    expect(batchFromCsv(big, FEATURES).error).toMatch(/^At most 20,000 rows/);
  });

  it('splits instances into predict-sized chunks', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 2)).toEqual([]);
  });

  it('returns the rows with probability and decision appended, quoted and formula-safe', () => {
    const text = scoredCsv(
      {
        header: ['id', 'note'],
        records: [
          ['1', '=HYPERLINK("x")'],
          ['2', 'a,b'],
        ],
      },
      [0.7, 0.2],
      0.35,
      { positive: 'default', negative: 'no-default' },
    );
    expect(text).toBe(
      'id,note,probability_default,decision\n' +
        `1,"'=HYPERLINK(""x"")",0.700000,default\n` +
        '2,"a,b",0.200000,no-default\n',
    );
    // What a CSV reader sees again.
    expect(parseRecords(text, ',', true)[1]).toEqual(['1', `'=HYPERLINK("x")`, '0.700000', 'default']);
    expect(csvCell('-3.5')).toBe('-3.5');
  });
});

describe("predict's answers and uploads", () => {
  it("reads the positive class's probability and refuses an answer without it", () => {
    expect(positiveProbability({ probabilities: { phishing: 0.81, legitimate: 0.19 } }, 'phishing')).toBe(0.81);
    expect(() => positiveProbability({ probabilities: { yes: 1 } }, 'phishing')).toThrow(/no probability for phishing/);
  });

  it('accepts PNG and JPEG files of a sensible size only', () => {
    expect(imageFileProblem({ type: 'image/png', size: 1000 })).toBeNull();
    expect(imageFileProblem({ type: 'image/jpeg', size: 1000 })).toBeNull();
    expect(imageFileProblem({ type: 'image/gif', size: 1000 })).toBe('Choose a PNG or JPEG image');
    expect(imageFileProblem({ type: 'image/png', size: 0 })).toBe('The file is empty');
    expect(imageFileProblem({ type: 'image/png', size: 3 * 1024 * 1024 })).toBe('At most 2 MB');
  });
});
