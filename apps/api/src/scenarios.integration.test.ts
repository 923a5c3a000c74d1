import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { postGraphQL } from '@lepton/graphql-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, stopApi, temporaryFolders, type ApiProcess } from './testing/platform-process';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'apps/cli/bin/lepton.js');

const SECURITY = `{ scenario(key: SECURITY) {
  state preparedAt
  demos {
    key state steps { kind status message }
    datasetVersion { id exampleCount splits dataset { versionCount } }
    run { id status }
    modelVersion { number }
    evaluation { metrics positiveLabel auc confusionMatrix thresholdCurve(points: 11) { threshold tp fp tn fn } }
    deployment { name status }
    samples(first: 6) { id label positive features image }
  }
} }`;
const PREDICT = `mutation($name: String!, $instances: JSON!) { predict(deployment: $name, instances: $instances) { revision modelVersion predictions { label probabilities } } }`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = Record<string, any>;

/**
 * One tabular scenario prepared end to end on the real platform (`npm start`'s process tree: embedded
 * PostgreSQL, API, training worker, serving process, the primary's scenario loop), driven by the CLI
 * with the epochs shrunk through LEPTON_SCENARIO_MAX_EPOCHS (the same code path as a full Prepare).
 */
describe('lepton scenarios prepare (real platform)', { timeout: 600_000 }, () => {
  const folders = temporaryFolders('lepton-scenarios-');
  let api: ApiProcess;
  let token: string;
  let dataDir: string;

  function lepton(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: folders.create() };
      delete env['LEPTON_API_URL'];
      delete env['LEPTON_TOKEN'];
      const child = spawn(process.execPath, [CLI, '--url', api.url, '--token', token, ...args], { cwd: ROOT, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }

  const gql = async (query: string, variables?: Record<string, unknown>): Promise<Data> => {
    const response = await postGraphQL<Data>(api.url, query, variables, token);
    expect(response.errors).toBeUndefined();
    return response.data!;
  };

  beforeAll(async () => {
    dataDir = folders.create();
    api = await startApi({ dataDir, serving: true, env: { LEPTON_SCENARIO_MAX_EPOCHS: '2', LEPTON_WORKERS: '1' } });
    token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
  }, 240_000);
  afterAll(async () => {
    if (api) await stopApi(api);
    await folders.removeAll();
  });

  it('imports, trains, evaluates and deploys the phishing demo, showing each step, and exits 0', async () => {
    const prepared = await lepton('scenarios', 'prepare', 'security');
    expect(prepared.stderr + prepared.stdout).not.toMatch(/FAILED/);
    expect(prepared.code).toBe(0);
    for (const step of ['IMPORT', 'TRAIN', 'DEPLOY']) expect(prepared.stderr).toContain(`phishing: ${step}`);
    expect(prepared.stdout).toMatch(/SECURITY .*: READY/);
    expect(prepared.stdout).toMatch(/phishing\tREADY\tdeployed as scenario-phishing/);

    const { scenario } = await gql(SECURITY);
    expect(scenario.state).toBe('READY');
    const [demo] = scenario.demos;
    expect(demo.steps.map((step: Data) => step.status)).toEqual(['DONE', 'DONE', 'DONE', 'DONE']);
    // The committed file through the normal import path: a dataset version with its stratified splits.
    expect(demo.datasetVersion.exampleCount).toBe(11_055);
    expect(demo.datasetVersion.splits).toMatchObject({ train: 7738, validation: 1106, test: 2211 });
    expect(demo.run.status).toBe('SUCCEEDED');
    expect(demo.evaluation.positiveLabel).toBe('positive');
    expect(demo.evaluation.auc).toBeCloseTo(demo.evaluation.metrics.auc, 6);
    const curve = demo.evaluation.thresholdCurve;
    expect(curve).toHaveLength(11);
    // At threshold 0 every test site is flagged: tp + fp is the whole test split, 4898/11055 of it phishing.
    expect(curve[0].tp + curve[0].fp).toBe(2211);
    expect(curve[0].tp).toBe(980);
    expect(demo.deployment).toEqual({ name: 'scenario-phishing', status: 'READY' });

    // Held-out sites, positives and negatives in turn, in the deployment's own instance format.
    expect(demo.samples.map((sample: Data) => sample.positive)).toEqual([false, true, false, true, false, true]);
    expect(demo.samples[0].image).toBeNull();
    expect(Object.keys(demo.samples[0].features)).toHaveLength(30);
    const { predict } = await gql(PREDICT, { name: 'scenario-phishing', instances: demo.samples.map((sample: Data) => sample.features) });
    expect(predict.modelVersion).toBe(demo.modelVersion.number);
    expect(predict.predictions).toHaveLength(6);
    for (const prediction of predict.predictions) expect(Object.keys(prediction.probabilities).sort()).toEqual(['negative', 'positive']);
  });

  it('reuses what exists on a second prepare', async () => {
    const before = (await gql(SECURITY)).scenario.demos[0];
    const again = await lepton('scenarios', 'prepare', 'security', '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).state).toBe('READY');
    const after = (await gql(SECURITY)).scenario.demos[0];
    expect(after.datasetVersion.id).toBe(before.datasetVersion.id);
    expect(after.datasetVersion.dataset.versionCount).toBe(1);
    expect(after.run.id).toBe(before.run.id);
    const listed = await lepton('scenarios');
    expect(listed.stdout).toMatch(/SECURITY .*: READY/);
    expect(listed.stdout).toMatch(/MEDICAL .*: NOT_PREPARED/);
  });

  it('retrains with other hyperparameters and rolls the new version out as a canary with automatic analysis', async () => {
    const RETRAIN = `mutation { retrainScenarioDemo(key: SECURITY, demo: "phishing", hyperparameters: { epochs: 1, learningRate: 0.003 }, canaryWeight: 30) {
      retraining { state hyperparameters } } }`;
    const { retrainScenarioDemo } = await gql(RETRAIN);
    expect(retrainScenarioDemo.retraining).toMatchObject({ state: 'PREPARING', hyperparameters: { epochs: 1, learningRate: 0.003, batchSize: 64 } });
    // A second retraining while one runs is refused.
    const again = await postGraphQL(api.url, RETRAIN, undefined, token);
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const ROLLOUT = `{ scenario(key: SECURITY) { demos { retraining { state message modelVersion { number } }
      deployment { traffic { weight modelVersion { number } } canary { analysis { minRequests } } } } } }`;
    let demo: Data = {};
    for (const deadline = Date.now() + 240_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 1000))) {
      demo = (await gql(ROLLOUT)).scenario.demos[0];
      if (demo.retraining.state !== 'PREPARING') break;
    }
    expect(demo.retraining.state).toBe('READY');
    const version = demo.retraining.modelVersion.number;
    expect(demo.deployment.traffic.map((split: Data) => [split.modelVersion.number, split.weight])).toEqual([
      [version - 1, 70],
      [version, 30],
    ]);
    expect(demo.deployment.canary.analysis).toEqual({ minRequests: 20 });
  });

  it('deploys again on prepare when the demo\'s deployment was deleted, keeping the data and the model', async () => {
    const before = (await gql(SECURITY)).scenario.demos[0];
    expect((await gql(`mutation { deleteDeployment(name: "scenario-phishing") }`)).deleteDeployment).toBe(true);
    const again = await lepton('scenarios', 'prepare', 'security');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('phishing: DEPLOY');
    const after = (await gql(SECURITY)).scenario.demos[0];
    expect(after.deployment).toEqual({ name: 'scenario-phishing', status: 'READY' });
    expect([after.datasetVersion.id, after.run.id, after.modelVersion.number]).toEqual([before.datasetVersion.id, before.run.id, before.modelVersion.number]);
  });

  it('goes on after the platform restarts in the middle of a Prepare', async () => {
    const FINANCE = `{ scenario(key: FINANCE) { state demos { steps { kind status } datasetVersion { dataset { versionCount } } run { id } } } }`;
    await gql(`mutation { prepareScenario(key: FINANCE) { state } }`);
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 200))) {
      const { scenario } = await gql(FINANCE);
      if (scenario.demos[0].steps[1].status === 'RUNNING') break;
    }
    expect(await stopApi(api)).toBe(0);
    api = await startApi({ dataDir, serving: true, env: { LEPTON_SCENARIO_MAX_EPOCHS: '2', LEPTON_WORKERS: '1' } });
    const finished = await lepton('scenarios', 'prepare', 'finance');
    expect(finished.code).toBe(0);
    const { scenario } = await gql(FINANCE);
    expect(scenario.state).toBe('READY');
    // Nothing was done twice: one import, the run that was under way.
    expect(scenario.demos[0].datasetVersion.dataset.versionCount).toBe(1);
  });

  it('refuses an unknown scenario with a non-zero exit', async () => {
    const wrong = await lepton('scenarios', 'prepare', 'weather');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('Unknown scenario "weather"');
  });
});
