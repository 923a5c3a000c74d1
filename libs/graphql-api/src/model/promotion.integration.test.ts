import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDatasetVersion, aModel, dataOf, errorCode, startTestApi, type TestApi } from '../testing';

const RECORD = `mutation($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { id } }`;
const PROMOTE = `mutation($model: String!, $version: Int!, $policy: PromotionPolicyInput!) {
  promoteModelVersion(model: $model, alias: "champion", version: $version, policy: $policy) {
    promoted version previousVersion metric split candidateValue holderValue difference ciLow ciHigh confidence minDelta reason
    datasetVersion { id }
  }
}`;
const CHAMPION = `query($name: String!) { model(name: $name) { version(alias: "champion") { number } } }`;

type Decision = { promoted: boolean; version: number; previousVersion: number | null; difference: number; ciLow: number; ciHigh: number; reason: string; datasetVersion: { id: string } | null };

/** 500 examples, classes alternating, the first `correct` predicted right. */
function outcomes(correct: number) {
  const targets = Array.from({ length: 500 }, (_, i) => i % 2);
  return { targets, predictions: targets.map((t, i) => (i < correct ? t : 1 - t)) };
}

describe('promoteModelVersion (paired-bootstrap gate)', () => {
  let api: TestApi;
  let model: string;
  let datasetVersionId: string;

  const evaluate = async (version: number, correct: number, split = 'test') =>
    dataOf(await api.gql(RECORD, { input: { model, version, datasetVersionId, split, metrics: { accuracy: correct / 500 }, ...outcomes(correct) } }));
  const promote = async (version: number, policy: Record<string, unknown> = { metric: 'accuracy' }) =>
    api.gql<{ promoteModelVersion: Decision }>(PROMOTE, { model, version, policy });
  const champion = async () => dataOf(await api.gql<{ model: { version: { number: number } | null } }>(CHAMPION, { name: model })).model.version?.number ?? null;

  beforeAll(async () => {
    api = await startTestApi();
    model = (await aModel(api).withVersions(4).create()).name;
    datasetVersionId = (await aDatasetVersion(api)).id;
    await evaluate(1, 400);
    await evaluate(2, 460);
    await evaluate(3, 403);
  });
  afterAll(() => api.close());

  it('gives an unheld alias to the first evaluated candidate', async () => {
    const decision = dataOf(await promote(1)).promoteModelVersion;
    expect(decision).toMatchObject({ promoted: true, version: 1, previousVersion: null });
    expect(await champion()).toBe(1);
  });

  it('promotes a candidate whose lower confidence bound beats the holder, with the numbers', async () => {
    const decision = dataOf(await promote(2, { metric: 'accuracy', minDelta: 0.05, confidence: 0.95 })).promoteModelVersion;
    expect(decision.promoted).toBe(true);
    expect(decision.previousVersion).toBe(1);
    expect(decision.difference).toBeCloseTo(0.12);
    expect(decision.ciLow).toBeGreaterThan(0.05);
    expect(decision.datasetVersion?.id).toBe(datasetVersionId);
    expect(decision.reason).toMatch(/^Promoted: accuracy 0\.9200 \(v2\) vs 0\.8000 \(v1\)/);
    expect(await champion()).toBe(2);
  });

  it('refuses a candidate that is not clearly better and says why, leaving the alias alone', async () => {
    const decision = dataOf(await promote(3)).promoteModelVersion;
    expect(decision.promoted).toBe(false);
    expect(decision.difference).toBeCloseTo((403 - 460) / 500);
    expect(decision.ciHigh).toBeLessThan(0);
    expect(decision.reason).toMatch(/^Refused: accuracy 0\.8060 \(v3\) vs 0\.9200 \(v2\) on split "test": difference -0\.1140, 95% CI \[/);
    expect(await champion()).toBe(2);
  });

  it('refuses to compare without per-example outcomes on a shared split', async () => {
    const noOutcomes = await promote(4);
    expect(errorCode(noOutcomes)).toBe('CONFLICT');
    dataOf(await api.gql(RECORD, { input: { model, version: 4, datasetVersionId, split: 'validation', metrics: { accuracy: 1 }, ...outcomes(500) } }));
    const otherSplit = await promote(4);
    expect(errorCode(otherSplit)).toBe('CONFLICT');
    expect(otherSplit.errors![0]!.message).toMatch(/same dataset version and split/);
    expect(await champion()).toBe(2);
  });

  it('validates the policy', async () => {
    expect(errorCode(await promote(3, { metric: 'bleu' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await promote(3, { metric: 'accuracy', confidence: 1.5 }))).toBe('BAD_USER_INPUT');
  });
});
