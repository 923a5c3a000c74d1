import { artifactKeys } from '@lepton/model-contract';
import { randomBytes } from 'node:crypto';
import { dataOf, type TestApi } from './test-api';

/** Unique names keep tests independent of each other and of order. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export const SHA = (seed: string) => Buffer.from(seed.padEnd(32, '0').slice(0, 32)).toString('hex');

/** Creates a project (as the admin) and returns a token scoped to it with the given role. */
export async function tokenFor(api: TestApi, project: string, role: 'VIEWER' | 'EDITOR' | 'ADMIN'): Promise<string> {
  const result = await api.gql<{ createApiToken: { token: string } }>(
    `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }`,
    { input: { project, name: uniqueName(role.toLowerCase()), role } },
  );
  return dataOf(result).createApiToken.token;
}

export async function createProject(api: TestApi, name = uniqueName('project')): Promise<string> {
  dataOf(await api.gql(`mutation($name: String!) { createProject(input: { name: $name }) { id } }`, { name }));
  return name;
}

export function aModel(api: TestApi, project = 'default') {
  let name = uniqueName('model');
  let versions = 0;
  let tags: string[] = [];
  const builder = {
    named(value: string) {
      name = value;
      return builder;
    },
    withVersions(count: number) {
      versions = count;
      return builder;
    },
    withTags(...values: string[]) {
      tags = values;
      return builder;
    },
    async create(): Promise<{ name: string; project: string; id: string }> {
      const registered = dataOf(
        await api.gql<{ registerModel: { id: string } }>(
          `mutation($input: RegisterModelInput!) { registerModel(input: $input) { id } }`,
          { input: { project, name, task: 'classification', tags } },
        ),
      );
      for (let index = 0; index < versions; index += 1) {
        dataOf(
          await api.gql(`mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) { number } }`, {
            input: { project, model: name, artifactUri: `file://artifacts/${name}/${index + 1}` },
          }),
        );
      }
      return { name, project, id: registered.registerModel.id };
    },
  };
  return builder;
}

export async function aDatasetVersion(api: TestApi, project = 'default', schema?: Record<string, unknown>): Promise<{ dataset: string; id: string }> {
  const dataset = uniqueName('dataset');
  dataOf(await api.gql(`mutation($input: CreateDatasetInput!) { createDataset(input: $input) { id } }`, { input: { project, name: dataset } }));
  const created = dataOf(
    await api.gql<{ createDatasetVersion: { id: string } }>(
      `mutation($input: CreateDatasetVersionInput!) { createDatasetVersion(input: $input) { id } }`,
      {
        input: {
          project,
          dataset,
          contentSha256: SHA(dataset),
          sizeBytes: 1024,
          exampleCount: 100,
          splits: { train: 80, test: 20 },
          storageUri: `file://datasets/${dataset}`,
          ...(schema ? { schema } : {}),
        },
      },
    ),
  );
  return { dataset, id: created.createDatasetVersion.id };
}

export async function aRun(api: TestApi, project = 'default'): Promise<string> {
  const created = dataOf(
    await api.gql<{ createRun: { id: string } }>(`mutation($input: CreateRunInput!) { createRun(input: $input) { id } }`, {
      input: { project, name: uniqueName('run'), params: { lr: 0.001 } },
    }),
  );
  return created.createRun.id;
}

/**
 * A QUEUED training run of a new model, its job waiting in the queue. The dataset version only
 * describes a trainable shape (nothing to load), so it suits tests that run no worker.
 */
export async function aTrainingRun(api: TestApi, project = 'default'): Promise<{ id: string; model: string; datasetVersionId: string }> {
  const version = await aDatasetVersion(api, project, { kind: 'tabular', featureShape: [4], classes: ['a', 'b'] });
  const model = uniqueName('model');
  const started = dataOf(
    await api.gql<{ startTraining: { id: string } }>(`mutation($input: StartTrainingInput!) { startTraining(input: $input) { id } }`, {
      input: { project, model, datasetVersionId: version.id, spec: { architecture: 'MLP', hiddenUnits: [4] }, hyperparameters: { epochs: 1 } },
    }),
  );
  return { id: started.startTraining.id, model, datasetVersionId: version.id };
}

export async function projectId(api: TestApi, project: string): Promise<string> {
  const { projects } = dataOf(await api.gql<{ projects: { id: string; name: string }[] }>(`{ projects { id name } }`));
  const found = projects.find((candidate) => candidate.name === project);
  if (!found) throw new Error(`project ${project} is not visible to the admin`);
  return found.id;
}

export interface DeployableModel {
  name: string;
  project: string;
  projectId: string;
  /** Artifact keys of versions 1..n (each holds a model.json). */
  keys: string[];
}

/**
 * A model with `versions` READY tfjs-layers versions whose files (a model.json) lie where training
 * puts them: `models/<projectId>/<model>/…` in the API's artifact store. Nothing loads them: for
 * control-plane tests.
 */
export async function aDeployableModel(
  api: TestApi,
  options: { project?: string; versions?: number; datasetVersionId?: string } = {},
): Promise<DeployableModel> {
  const project = options.project ?? 'default';
  const model = await aModel(api, project).create();
  const id = await projectId(api, project);
  const keys: string[] = [];
  for (let index = 0; index < (options.versions ?? 2); index += 1) {
    keys.push(await aDeployableVersion(api, { project, projectId: id, model: model.name, datasetVersionId: options.datasetVersionId }));
  }
  return { name: model.name, project, projectId: id, keys };
}

/** One more deployable version of the model; returns its artifact key. */
export async function aDeployableVersion(
  api: TestApi,
  options: { project: string; projectId: string; model: string; datasetVersionId?: string },
): Promise<string> {
  const key = artifactKeys.trainedModel(options.projectId, options.model, uniqueName('run'), 1);
  await api.artifacts.put(`${key}/model.json`, JSON.stringify({ format: 'layers-model', modelTopology: {}, weightsManifest: [] }));
  dataOf(
    await api.gql(`mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) { number } }`, {
      input: {
        project: options.project,
        model: options.model,
        artifactUri: api.artifacts.uri(key),
        inputSignature: { shape: [null, 4], dtype: 'float32' },
        outputSignature: { shape: [null, 2], dtype: 'float32', classes: ['no', 'yes'] },
        ...(options.datasetVersionId ? { datasetVersionId: options.datasetVersionId } : {}),
      },
    }),
  );
  return key;
}

const CREATE_DEPLOYMENT = `mutation($input: CreateDeploymentInput!) { createDeployment(input: $input) { id name } }`;

/** Deploys a version (default 1) or follows an alias of the model. */
export async function aDeployment(
  api: TestApi,
  model: { name: string; project: string },
  options: { name?: string; version?: number; alias?: string; canary?: Record<string, unknown>; token?: string } = {},
): Promise<{ id: string; name: string }> {
  const name = options.name ?? uniqueName('dep');
  const input = {
    project: model.project,
    name,
    model: model.name,
    ...(options.alias ? { alias: options.alias } : { version: options.version ?? 1 }),
    ...(options.canary ? { canary: options.canary } : {}),
  };
  return dataOf(await api.gql<{ createDeployment: { id: string; name: string } }>(CREATE_DEPLOYMENT, { input }, options.token)).createDeployment;
}

/** Uploads `csv` through POST /v1/uploads and imports it as a dataset version, as a user would; returns its id. */
export async function anImportedCsv(
  api: TestApi,
  name: string,
  csv: string,
  options: { project?: string; label?: string; seed?: number; testFraction?: number } = {},
): Promise<string> {
  const query = options.project ? `?project=${encodeURIComponent(options.project)}` : '';
  const response = await fetch(`${api.url.replace(/\/graphql$/, '/v1/uploads')}${query}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${api.adminToken}`,
      'content-type': 'application/octet-stream',
      'x-filename': `${name}.csv`,
    },
    body: csv,
  });
  if (response.status !== 201) throw new Error(`upload failed (${response.status}): ${await response.text()}`);
  const { uploadId } = (await response.json()) as { uploadId: string };
  const imported = dataOf(
    await api.gql<{ importDataset: { id: string } }>(
      `mutation($input: ImportDatasetInput!) { importDataset(input: $input) { id } }`,
      {
        input: {
          project: options.project ?? 'default',
          name,
          format: 'CSV',
          uploadId,
          options: {
            label: options.label ?? 'label',
            seed: options.seed ?? 1,
            ...(options.testFraction ? { testFraction: options.testFraction } : {}),
          },
        },
      },
    ),
  );
  return imported.importDataset.id;
}
