import type { ArtifactStore } from '@lepton/artifacts';
import type { NotificationBus, PrismaClient } from '@lepton/db';
import { DatasetImportError, fitImage } from '@lepton/datasets';
import { DomainError, type Principal, type Registry } from '@lepton/registry';
import { validateTrainingConfig, type Hyperparameters, type ModelSpec } from '@lepton/model-contract';
import {
  NEGATIVE_CLASS,
  POSITIVE_CLASS,
  SCENARIOS,
  deploymentNameIn,
  scenarioDefinition,
  type DemoDefinition,
  type ScenarioDefinition,
  type ScenarioKey,
} from '../catalog/scenario-catalog';
import { loadSamples, MAX_SAMPLES, type ScenarioSample } from '../data/demo-samples';
import { summarizeFeatures, type FeatureSummary } from '../data/scenario-data';
import { SCENARIO_CHANGED_CHANNEL, ScenarioRepository, type ScenarioDemoRecord } from './scenario.repository';
import { combinedState, pendingSteps, readSteps, STEP_KINDS, type DemoState, type StepKind, type StoredStep } from './scenario-steps';

/** A demo as the API shows it: its definition and, once prepared in the project, its row. */
export interface DemoView {
  projectId: string;
  /** Where its deployment is named after (deployment names are unique across projects). */
  deploymentName: string;
  scenario: ScenarioKey;
  definition: DemoDefinition;
  record: ScenarioDemoRecord | null;
}

export interface ScenarioView {
  projectId: string;
  definition: ScenarioDefinition;
  demos: DemoView[];
}

export interface RetrainInput {
  project?: string | null;
  key: ScenarioKey;
  demo: string;
  hyperparameters: unknown;
  /** Default: the demo's. */
  spec?: unknown;
  canaryWeight?: number | null;
}

export interface StoredRetraining {
  state: DemoState;
  message: string | null;
  spec: ModelSpec;
  /** Without earlyStoppingPatience when none was asked for: its default depends on the data, filled in at start. */
  hyperparameters: Omit<Hyperparameters, 'earlyStoppingPatience'> & { earlyStoppingPatience?: number };
  canaryWeight: number;
  runId: string | null;
  modelVersionId: string | null;
  evaluationId: string | null;
  startedAt: string;
  finishedAt: string | null;
}


/** Imported versions whose samples are kept in memory (a few MB each at most). */
const SAMPLE_CACHE_SIZE = 8;
const DATA_URL = /^data:image\/(?:png|jpe?g);base64,/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export class ScenarioService {
  private readonly features = new Map<string, Promise<FeatureSummary[]>>();
  private readonly sampleCache = new Map<string, Promise<ScenarioSample[]>>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly registry: Registry,
    private readonly bus: NotificationBus,
    private readonly artifacts: ArtifactStore,
  ) {}

  async list(principal: Principal, projectName: string | null | undefined): Promise<ScenarioView[]> {
    const project = await this.registry.projects.access(principal, projectName, 'VIEWER');
    const rows = await new ScenarioRepository(this.prisma).listForProject(project.id, allDemoKeys());
    return SCENARIOS.map((definition) => view(project, definition, rows));
  }

  async get(principal: Principal, projectName: string | null | undefined, key: ScenarioKey): Promise<ScenarioView> {
    const project = await this.registry.projects.access(principal, projectName, 'VIEWER');
    return this.load(project, key);
  }

  /**
   * Marks every demo of the scenario PREPARING (EDITOR); the reconciler does the work. READY and
   * PREPARING demos are left as they are; a FAILED one starts again from its failed step.
   */
  async prepare(principal: Principal, projectName: string | null | undefined, key: ScenarioKey): Promise<ScenarioView> {
    const project = await this.registry.projects.access(principal, projectName, 'EDITOR');
    const definition = scenarioDefinition(key);
    await this.prisma.$transaction(async (tx) => {
      const repository = new ScenarioRepository(tx);
      await repository.createMissing(
        definition.demos.map((demo) => ({
          projectId: project.id,
          scenario: key,
          demo: demo.key,
          state: 'NOT_PREPARED',
          steps: pendingSteps() as object[],
          actorTokenId: principal.tokenId,
        })),
      );
      for (const demo of definition.demos) {
        const row = (await repository.lockForUpdate(project.id, demo.key))!;
        if (row.state === 'PREPARING') continue;
        // What was made and still exists is kept; from the first step whose result is gone (or that
        // never finished) everything is done again.
        const redoFrom = await this.firstStepToRedo(row);
        if (redoFrom === null) continue;
        const redo = STEP_KINDS.slice(STEP_KINDS.indexOf(redoFrom));
        const steps = readSteps(row.steps).map((step): StoredStep => {
          const kept = step.status === 'DONE' && !redo.includes(step.kind);
          return {
            kind: step.kind,
            status: kept ? 'DONE' : 'PENDING',
            progress: kept ? 1 : 0,
            message: kept ? step.message : null,
            startedAt: kept ? (step.startedAt?.toISOString() ?? null) : null,
            finishedAt: kept ? (step.finishedAt?.toISOString() ?? null) : null,
          };
        });
        const cleared = (kind: StepKind) => (redo.includes(kind) ? { set: null } : undefined);
        await repository.update(row.id, {
          state: 'PREPARING',
          steps: steps as object[],
          actorTokenId: principal.tokenId,
          preparedAt: null,
          datasetVersionId: cleared('IMPORT'),
          ...(redo.includes('TRAIN') && row.modelVersionId !== null ? { runId: null } : {}),
          modelVersionId: cleared('TRAIN'),
          evaluationId: cleared('EVALUATE'),
          deploymentId: cleared('DEPLOY'),
        });
      }
      await repository.notifyChanged(project.id, key);
    });
    return this.load(project, key);
  }

  /**
   * Queues a retraining of a READY demo (EDITOR): the reconciler trains, evaluates and rolls the new
   * version out as a canary with automatic analysis on the demo's deployment.
   */
  async retrain(principal: Principal, input: RetrainInput): Promise<DemoView> {
    const project = await this.registry.projects.access(principal, input.project, 'EDITOR');
    const demo = requireDemo(input.key, input.demo);
    const canaryWeight = input.canaryWeight ?? 50;
    if (!Number.isInteger(canaryWeight) || canaryWeight < 1 || canaryWeight > 99) {
      throw new DomainError('BAD_USER_INPUT', 'canaryWeight must be between 1 and 99', { field: 'canaryWeight' });
    }
    // Left-out hyperparameters keep the demo's defaults.
    const requested: Record<string, unknown> = { ...demo.hyperparameters, ...(input.hyperparameters as object) };
    const config = validConfig(input.spec ?? demo.spec, requested);
    // Early stopping's default depends on the dataset version (on with a validation split): the registry fills it in.
    const { earlyStoppingPatience: _filled, ...withoutPatience } = config.hyperparameters;
    const hyperparameters = requested['earlyStoppingPatience'] == null ? withoutPatience : config.hyperparameters;
    await this.prisma.$transaction(async (tx) => {
      const repository = new ScenarioRepository(tx);
      const row = await repository.lockForUpdate(project.id, demo.key);
      if (!row || row.state !== 'READY') {
        throw new DomainError('CONFLICT', `Demo "${demo.key}" is not prepared yet: run prepareScenario first`);
      }
      if ((row.retraining as StoredRetraining | null)?.state === 'PREPARING') {
        throw new DomainError('CONFLICT', `Demo "${demo.key}" is already retraining`);
      }
      const retraining: StoredRetraining = {
        state: 'PREPARING',
        message: 'Waiting to train',
        spec: config.spec,
        hyperparameters,
        canaryWeight,
        runId: null,
        modelVersionId: null,
        evaluationId: null,
        startedAt: new Date().toISOString(),
        finishedAt: null,
      };
      await repository.update(row.id, { retraining: retraining as object, actorTokenId: principal.tokenId });
      await repository.notifyChanged(project.id, input.key);
    });
    const scenario = await this.load(project, input.key);
    return scenario.demos.find((candidate) => candidate.definition.key === demo.key)!;
  }

  /** The scenario after each committed change of one of its demos (from any process). */
  async *updates(principal: Principal, projectName: string | null | undefined, key: ScenarioKey): AsyncGenerator<ScenarioView> {
    const project = await this.registry.projects.access(principal, projectName, 'VIEWER');
    const changes = this.bus.subscribe<{ projectId: string; scenario: string }>(
      SCENARIO_CHANGED_CHANNEL,
      (payload) => payload?.projectId === project.id && payload.scenario === key,
    );
    try {
      for await (const _change of changes) yield await this.load(project, key);
    } finally {
      await changes.return?.();
    }
  }

  /** The model's class names: every demo imports with positiveLabels, which names the two classes. */
  readonly positiveLabel = POSITIVE_CLASS;
  readonly negativeLabel = NEGATIVE_CLASS;

  /**
   * Held-out examples of the demo's test split, balanced between the classes; none before the
   * demo's data set is imported.
   */
  async samples(demo: DemoView, first: number): Promise<ScenarioSample[]> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_SAMPLES) {
      throw new DomainError('BAD_USER_INPUT', `first must be between 0 and ${MAX_SAMPLES}`, { field: 'first' });
    }
    if (!demo.record?.datasetVersionId) return [];
    const [version] = await this.registry.datasets.versionsByIds([demo.record.datasetVersionId]);
    // Still IMPORTING (or FAILED): no data to sample yet.
    if (!version || version.status !== 'READY' || version.storageUri === null) return [];
    const storageUri = version.storageUri;
    let samples = this.sampleCache.get(version.id);
    if (!samples) {
      samples = loadSamples(this.artifacts, storageUri, demo.definition);
      if (this.sampleCache.size >= SAMPLE_CACHE_SIZE) this.sampleCache.delete(this.sampleCache.keys().next().value!);
      this.sampleCache.set(version.id, samples);
      samples.catch(() => this.sampleCache.delete(version.id));
    }
    return (await samples).slice(0, first);
  }

  /** The first step whose result is missing (deleted since, or never made); null when all are there. */
  private async firstStepToRedo(row: ScenarioDemoRecord): Promise<StepKind | null> {
    const exists = async <T>(id: string | null, load: (ids: string[]) => Promise<T[]>) => id !== null && (await load([id])).length > 0;
    if (!(await exists(row.datasetVersionId, (ids) => this.registry.datasets.versionsByIds(ids)))) return 'IMPORT';
    if (!(await exists(row.modelVersionId, (ids) => this.registry.versions.byIds(ids)))) return 'TRAIN';
    if (!(await exists(row.evaluationId, (ids) => this.registry.evaluations.byIds(ids)))) return 'EVALUATE';
    if (!(await exists(row.deploymentId, (ids) => this.registry.deployments.byIds(ids)))) return 'DEPLOY';
    return row.state === 'READY' ? null : 'DEPLOY';
  }

  /** An uploaded image made into what the demo's model takes (a PNG data URL). */
  async fitImage(principal: Principal, projectName: string | null | undefined, key: ScenarioKey, demoKey: string, image: string): Promise<string> {
    await this.registry.projects.access(principal, projectName, 'VIEWER');
    const demo = requireDemo(key, demoKey);
    if (!demo.image) throw new DomainError('BAD_USER_INPUT', `Demo "${demo.key}" takes table rows, not images`, { field: 'demo' });
    const base64 = image.replace(DATA_URL, '');
    if (!BASE64.test(base64) || base64.length === 0) {
      throw new DomainError('BAD_USER_INPUT', 'image must be a PNG or JPEG as base64 or a data URL', { field: 'image' });
    }
    try {
      return `data:image/png;base64,${fitImage(Buffer.from(base64, 'base64'), 'image', demo.image).toString('base64')}`;
    } catch (error) {
      if (error instanceof DatasetImportError) throw new DomainError('BAD_USER_INPUT', `image ${error.message}`, { field: 'image' });
      throw error;
    }
  }

  /** Inputs of a tabular demo, read once from the committed CSV. */
  featuresOf(demo: DemoDefinition): Promise<FeatureSummary[]> {
    let features = this.features.get(demo.key);
    if (!features) {
      features = summarizeFeatures(demo);
      this.features.set(demo.key, features);
      features.catch(() => this.features.delete(demo.key));
    }
    return features;
  }

  private async load(project: { id: string; name: string }, key: ScenarioKey): Promise<ScenarioView> {
    const definition = scenarioDefinition(key);
    const rows = await new ScenarioRepository(this.prisma).listForProject(
      project.id,
      definition.demos.map((demo) => demo.key),
    );
    return view(project, definition, rows);
  }
}

/** The trainer's own checks, with defaults filled in, before anything is queued. */
function validConfig(spec: unknown, hyperparameters: unknown) {
  try {
    return validateTrainingConfig(spec, hyperparameters);
  } catch (error) {
    const rejected = error as { code?: string; field?: string; message?: string };
    if (rejected.code === 'BAD_USER_INPUT') {
      throw new DomainError('BAD_USER_INPUT', rejected.message ?? 'Invalid training configuration', rejected.field ? { field: rejected.field } : {});
    }
    throw error;
  }
}

function requireDemo(key: ScenarioKey, demoKey: string): DemoDefinition {
  const definition = scenarioDefinition(key);
  const demo = definition.demos.find((candidate) => candidate.key === demoKey);
  if (!demo) {
    throw new DomainError('BAD_USER_INPUT', `Scenario ${key} has no demo "${demoKey}" (it has ${definition.demos.map((d) => d.key).join(', ')})`, {
      field: 'demo',
    });
  }
  return demo;
}

function allDemoKeys(): string[] {
  return SCENARIOS.flatMap((scenario) => scenario.demos.map((demo) => demo.key));
}

function view(project: { id: string; name: string }, definition: ScenarioDefinition, rows: ScenarioDemoRecord[]): ScenarioView {
  return {
    projectId: project.id,
    definition,
    demos: definition.demos.map((demo) => ({
      projectId: project.id,
      deploymentName: deploymentNameIn(demo, project.name),
      scenario: definition.key,
      definition: demo,
      record: rows.find((row) => row.demo === demo.key) ?? null,
    })),
  };
}

export function demoState(demo: DemoView): DemoState {
  return (demo.record?.state as DemoState | undefined) ?? 'NOT_PREPARED';
}

export function scenarioState(scenario: ScenarioView): DemoState {
  return combinedState(scenario.demos.map(demoState));
}
