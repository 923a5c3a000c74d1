import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDatasetVersion, aModel, dataOf, errorCode, startTestApi, type TestApi } from '../testing';

const RECORD = `mutation($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { id } }`;
const CURVE = `query($model: String!, $points: Int) {
  evaluations(model: $model) { positiveLabel auc thresholdCurve(points: $points) { threshold tp fp tn fn tpr fpr precision recall specificity accuracy predictedPositive } }
}`;

type Curve = { evaluations: { positiveLabel: string | null; auc: number | null; thresholdCurve: Record<string, number | null>[] | null }[] };

describe('Evaluation.thresholdCurve (from the stored per-example outcomes)', () => {
  let api: TestApi;
  let datasetVersionId: string;

  beforeAll(async () => {
    api = await startTestApi();
    datasetVersionId = (await aDatasetVersion(api)).id;
  });
  afterAll(() => api.close());

  const record = async (input: Record<string, unknown>) => {
    const model = (await aModel(api).withVersions(1).create()).name;
    dataOf(await api.gql(RECORD, { input: { model, version: 1, datasetVersionId, split: 'test', ...input } }));
    return model;
  };

  it('serves the counts at each threshold, the AUC and the positive label of a binary evaluation', async () => {
    const model = await record({
      metrics: { accuracy: 0.5 },
      labels: ['negative', 'positive'],
      targets: [1, 1, 0, 1, 0, 0],
      predictions: [1, 1, 1, 0, 0, 1],
      scores: [0.9, 0.6, 0.6, 0.4, 0.2, 0.8],
    });
    const [evaluation] = dataOf(await api.gql<Curve>(CURVE, { model, points: 5 })).evaluations;
    expect(evaluation!.positiveLabel).toBe('positive');
    expect(evaluation!.auc).toBeCloseTo(5.5 / 9);
    expect(evaluation!.thresholdCurve!.map(({ threshold, tp, fp, tn, fn }) => [threshold, tp, fp, tn, fn])).toEqual([
      [0, 3, 3, 0, 0],
      [0.25, 3, 2, 1, 0],
      [0.5, 2, 2, 1, 1],
      [0.75, 1, 1, 2, 2],
      [1, 0, 0, 3, 3],
    ]);
    expect(evaluation!.thresholdCurve![4]).toMatchObject({ precision: null, specificity: 1, predictedPositive: 0 });
    const [byDefault] = dataOf(await api.gql<Curve>(CURVE, { model })).evaluations;
    expect(byDefault!.thresholdCurve).toHaveLength(101);
  });

  it('is null for evaluations without per-example scores or with more than two classes', async () => {
    const withoutScores = await record({ metrics: { accuracy: 1 }, labels: ['a', 'b'], targets: [0, 1], predictions: [0, 1] });
    const multiclass = await record({ metrics: { accuracy: 1 }, labels: ['a', 'b', 'c'], targets: [0, 1, 2], predictions: [0, 1, 2] });
    for (const model of [withoutScores, multiclass]) {
      const [evaluation] = dataOf(await api.gql<Curve>(CURVE, { model, points: 3 })).evaluations;
      expect(evaluation).toEqual({ positiveLabel: null, auc: null, thresholdCurve: null });
    }
  });

  it('refuses a number of points outside 2..1001 with BAD_USER_INPUT', async () => {
    const model = await record({ metrics: { accuracy: 1 }, labels: ['n', 'p'], targets: [0, 1], predictions: [0, 1], scores: [0.1, 0.9] });
    for (const points of [1, 1002]) expect(errorCode(await api.gql(CURVE, { model, points }))).toBe('BAD_USER_INPUT');
  });
});
