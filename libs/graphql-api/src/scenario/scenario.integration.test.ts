import { encodePng } from '@lepton/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, dataOf, errorCode, startTestApi, tokenFor, type TestApi } from '../testing';

const SCENARIOS = `query($project: String) { scenarios(project: $project) {
  key title field caveats state demos { key task datasetName deploymentName positiveLabel negativeLabel positiveName state
    steps { kind status progress } features { name categorical choices min max defaultValue } samples(first: 5) { id } }
} }`;
const PREPARE = `mutation($project: String, $key: ScenarioKey!) { prepareScenario(project: $project, key: $key) {
  key state demos { key state steps { kind status } }
} }`;
const IMAGE = `query($project: String, $image: String!) { scenarioImage(project: $project, key: MEDICAL, demo: "pneumonia", image: $image) }`;

type Demo = { key: string; task: string; state: string; steps: { kind: string; status: string }[]; features: { name: string; categorical: boolean; choices: number[] | null; min: number; max: number }[] };

describe('scenario demos (GraphQL)', () => {
  let api: TestApi;
  let project: string;

  beforeAll(async () => {
    api = await startTestApi();
    project = await createProject(api);
  });
  afterAll(() => api.close());

  it('lists the three scenarios and their demos, unprepared, with form inputs from the committed data', async () => {
    const viewer = await tokenFor(api, project, 'VIEWER');
    const { scenarios } = dataOf(await api.gql<{ scenarios: { key: string; state: string; demos: Demo[] }[] }>(SCENARIOS, { project }, viewer));
    expect(scenarios.map((scenario) => [scenario.key, scenario.demos.map((demo) => demo.key)])).toEqual([
      ['MEDICAL', ['pneumonia', 'heart-disease']],
      ['SECURITY', ['phishing']],
      ['FINANCE', ['credit-default']],
    ]);
    const demos = scenarios.flatMap((scenario) => scenario.demos);
    for (const demo of demos) {
      expect(demo.state).toBe('NOT_PREPARED');
      expect(demo.steps.map((step) => `${step.kind}:${step.status}`)).toEqual(['IMPORT:PENDING', 'TRAIN:PENDING', 'EVALUATE:PENDING', 'DEPLOY:PENDING']);
    }
    // Deployment names are unique across projects: outside the default project they carry the project's.
    expect((demos[2] as unknown as { deploymentName: string }).deploymentName).toBe(`scenario-phishing-${project}`);
    const credit = demos.find((demo) => demo.key === 'credit-default')!;
    // ID is ignored, the label is no input; SEX/EDUCATION/MARRIAGE are coded categories.
    expect(credit.features).toHaveLength(23);
    expect(credit.features.find((feature) => feature.name === 'ID')).toBeUndefined();
    expect(credit.features.find((feature) => feature.name === 'EDUCATION')).toMatchObject({ categorical: true, choices: [0, 1, 2, 3, 4, 5, 6] });
    expect(credit.features.find((feature) => feature.name === 'LIMIT_BAL')).toMatchObject({ categorical: false, choices: null, min: 10000, max: 1000000 });
    const heart = demos.find((demo) => demo.key === 'heart-disease')!;
    // `?` cells are left out of the ranges.
    expect(heart.features.find((feature) => feature.name === 'ca')).toMatchObject({ choices: [0, 1, 2, 3] });
    expect(demos.find((demo) => demo.key === 'pneumonia')!.features).toEqual([]);
  });

  it('marks a scenario PREPARING for an EDITOR, idempotently; VIEWERs may not', async () => {
    const viewer = await tokenFor(api, project, 'VIEWER');
    expect(errorCode(await api.gql(PREPARE, { project, key: 'SECURITY' }, viewer))).toBe('FORBIDDEN');
    const editor = await tokenFor(api, project, 'EDITOR');
    type Prepared = { prepareScenario: { state: string; demos: { key: string; state: string }[] } };
    const first = dataOf(await api.gql<Prepared>(PREPARE, { project, key: 'SECURITY' }, editor)).prepareScenario;
    expect(first.state).toBe('PREPARING');
    const second = dataOf(await api.gql<Prepared>(PREPARE, { project, key: 'SECURITY' }, editor)).prepareScenario;
    expect(second).toEqual(first);
    const rows = await api.db.pool.query(`SELECT demo, state FROM scenario_demo`);
    expect(rows.rows).toEqual([{ demo: 'phishing', state: 'PREPARING' }]);
  });

  it('fits an uploaded image to the X-ray model input: 28×28 grayscale PNG', async () => {
    const rgb = new Uint8Array(56 * 84 * 3).fill(200);
    const image = `data:image/png;base64,${encodePng(rgb, 84, 56, 3).toString('base64')}`;
    const fitted = dataOf(await api.gql<{ scenarioImage: string }>(IMAGE, { project, image })).scenarioImage;
    const png = Buffer.from(fitted.replace('data:image/png;base64,', ''), 'base64');
    // IHDR: width, height, bit depth 8, colour type 0 (grayscale).
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([28, 28, 8, 0]);
    expect(errorCode(await api.gql(IMAGE, { project, image: 'bm90IGFuIGltYWdl' }))).toBe('BAD_USER_INPUT');
  });
});
