import type { PrismaClient } from '@lepton/db';
import { DomainError, revisionServingState, type Principal, type Registry } from '@lepton/registry';
import { deploymentNameIn, scenarioDefinition, type DemoDefinition, type ScenarioKey } from '../catalog/scenario-catalog';
import { demoUploadBody } from '../data/demo-upload';
import { ScenarioRepository, type ScenarioDemoRecord } from '../scenario/scenario.repository';
import type { StoredRetraining } from '../scenario/scenario.service';
import { readSteps, type StepKind, type StoredStep } from '../scenario/scenario-steps';

/** Canary analysis for retrained demo versions: decides within a minute of modest demo traffic. */
const RETRAIN_ANALYSIS = { minRequests: 20, maxErrorRateDelta: 0.01, maxLatencyP99Ratio: 2, intervalSeconds: 10, windowSeconds: 120 };

/** LEPTON_SCENARIO_MAX_EPOCHS caps every demo's epochs (tests and smoke runs); the code path is the same. */
export function scenarioEpochs(epochs: number): number {
  const cap = Number(process.env['LEPTON_SCENARIO_MAX_EPOCHS'] ?? '');
  return Number.isInteger(cap) && cap > 0 ? Math.min(epochs, cap) : epochs;
}

interface Work {
  row: ScenarioDemoRecord;
  /** The demo's deployment name in this project. */
  deployment: string;
  demo: DemoDefinition;
  projectName: string;
  principal: Principal;
  steps: StoredStep[];
}

/** What one pass did to a demo: the row's new fields, if anything changed. */
type Change = Partial<Pick<ScenarioDemoRecord, 'state' | 'datasetVersionId' | 'runId' | 'modelVersionId' | 'evaluationId' | 'deploymentId' | 'preparedAt'>> & {
  steps?: StoredStep[];
  retraining?: StoredRetraining;
};

/**
 * Advances every demo that is PREPARING (or retraining) by what can be done now: import, start the
 * training run, follow it, pick up its evaluation, deploy, wait for the deployment to be ready. All
 * state is in scenario_demo, so any process holding the maintenance lock picks up where another
 * stopped; each step first looks at what it already produced, so repeating a pass is harmless.
 */
export class ScenarioReconciler {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly registry: Registry,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  async runOnce(): Promise<void> {
    const repository = new ScenarioRepository(this.prisma);
    for (const row of await repository.listInProgress()) {
      const change = await this.advance(row).catch((error: unknown) => this.failure(row, error));
      if (!change) continue;
      await this.prisma.$transaction(async (tx) => {
        const writer = new ScenarioRepository(tx);
        const { steps, retraining, ...fields } = change;
        await writer.update(row.id, {
          ...fields,
          ...(steps ? { steps: steps as object[] } : {}),
          ...(retraining ? { retraining: retraining as object } : {}),
        });
        await writer.notifyChanged(row.projectId, row.scenario);
      });
    }
  }

  private async advance(row: ScenarioDemoRecord): Promise<Change | null> {
    const work = await this.workOf(row);
    if (row.state === 'PREPARING') return this.prepare(work);
    return this.retrain(work);
  }

  private async workOf(row: ScenarioDemoRecord): Promise<Work> {
    const demo = scenarioDefinition(row.scenario as ScenarioKey).demos.find((candidate) => candidate.key === row.demo);
    if (!demo) throw new DomainError('NOT_FOUND', `the catalog has no demo "${row.demo}" any more`);
    const [project] = await this.registry.projects.byIds([row.projectId]);
    if (!project) throw new DomainError('NOT_FOUND', 'its project is gone');
    const principal = await this.registry.auth.principalOfToken(row.actorTokenId);
    const steps = readSteps(row.steps).map((step) => ({
      ...step,
      startedAt: step.startedAt?.toISOString() ?? null,
      finishedAt: step.finishedAt?.toISOString() ?? null,
    }));
    return { row, demo, deployment: deploymentNameIn(demo, project.name), projectName: project.name, principal, steps };
  }

  // ---- Prepare: IMPORT → TRAIN → EVALUATE → DEPLOY ----

  private async prepare(work: Work): Promise<Change | null> {
    const current = work.steps.find((step) => step.status !== 'DONE');
    if (!current) return { state: 'READY', preparedAt: new Date() };
    switch (current.kind) {
      case 'IMPORT':
        return this.importStep(work);
      case 'TRAIN':
        return this.trainStep(work);
      case 'EVALUATE':
        return this.evaluateStep(work);
      case 'DEPLOY':
        return this.deployStep(work);
    }
  }

  private async importStep(work: Work): Promise<Change | null> {
    const { row, demo, principal, projectName } = work;
    if (row.datasetVersionId) {
      const [version] = await this.registry.datasets.versionsByIds([row.datasetVersionId]);
      // Imports run on the worker queue: follow the version until it is READY or FAILED.
      if (version?.status === 'READY') {
        return { steps: done(work.steps, 'IMPORT', `${demo.datasetName} v${version.number}: ${version.exampleCount} examples`) };
      }
      if (version?.status === 'IMPORTING') {
        const step = work.steps.find((candidate) => candidate.kind === 'IMPORT')!;
        const message = importingMessage(demo.datasetName, version.number);
        if (step.progress === version.importProgress && step.message === message) return null;
        return { steps: running(work.steps, 'IMPORT', message, version.importProgress) };
      }
      if (version?.status === 'FAILED') {
        const reason = (version.importError as { message?: string } | null)?.message ?? 'The import failed';
        return { state: 'FAILED', datasetVersionId: null, steps: failed(work.steps, 'IMPORT', reason) };
      }
    }
    // Shown before the upload starts; a pass that dies mid-upload leaves it RUNNING and the next uploads again.
    if (work.steps.find((step) => step.kind === 'IMPORT')!.status === 'PENDING') {
      return { steps: running(work.steps, 'IMPORT', `Importing ${demo.files.length === 1 ? demo.files[0] : `${demo.files.length} files`}`) };
    }
    const body = await demoUploadBody(demo);
    const upload = await this.registry.uploads.create(principal, { project: projectName, filename: body.filename, body: body.stream });
    const version = await this.registry.datasetImports.import(principal, {
      project: projectName,
      name: demo.datasetName,
      format: demo.format,
      uploadId: upload.id,
      options: demo.importOptions,
    });
    this.log(`${demo.key}: queued the import of ${demo.datasetName} v${version.number}`);
    return { datasetVersionId: version.id, steps: running(work.steps, 'IMPORT', importingMessage(demo.datasetName, version.number)) };
  }

  private async trainStep(work: Work): Promise<Change | null> {
    const { row, demo, principal, projectName } = work;
    if (!row.runId) {
      const run = await this.registry.training.start(principal, {
        project: projectName,
        model: demo.modelName,
        datasetVersionId: row.datasetVersionId!,
        spec: demo.spec,
        hyperparameters: { ...demo.hyperparameters, epochs: scenarioEpochs(demo.hyperparameters.epochs) },
      });
      this.log(`${demo.key}: training run ${run.name} queued`);
      return { runId: run.id, steps: running(work.steps, 'TRAIN', 'Waiting for a training worker') };
    }
    const outcome = await this.followRun(row.runId);
    if (outcome.status === 'RUNNING') {
      const step = work.steps.find((candidate) => candidate.kind === 'TRAIN')!;
      if (step.progress === outcome.progress && step.message === outcome.message) return null;
      return { steps: running(work.steps, 'TRAIN', outcome.message, outcome.progress) };
    }
    if (outcome.status === 'FAILED') return { state: 'FAILED', runId: null, steps: failed(work.steps, 'TRAIN', outcome.message) };
    return { modelVersionId: outcome.modelVersionId, steps: done(work.steps, 'TRAIN', outcome.message) };
  }

  private async evaluateStep(work: Work): Promise<Change> {
    const { row, demo } = work;
    const evaluation = (await this.registry.evaluations.forVersions([row.modelVersionId!])).find((candidate) => candidate.split === 'test');
    if (!evaluation) {
      return { state: 'FAILED', steps: failed(work.steps, 'EVALUATE', 'The trained version has no evaluation on the test split') };
    }
    return { evaluationId: evaluation.id, steps: done(work.steps, 'EVALUATE', qualitySummary(demo, evaluation.metrics)) };
  }

  private async deployStep(work: Work): Promise<Change | null> {
    const { row, demo, principal, projectName, deployment: name } = work;
    const [version] = await this.registry.versions.byIds([row.modelVersionId!]);
    if (!version) throw new DomainError('NOT_FOUND', 'the trained model version is gone');
    let deployment = row.deploymentId ? ((await this.registry.deployments.byIds([row.deploymentId]))[0] ?? null) : null;
    if (!deployment) {
      const existing = await this.registry.deployments.get(principal, name);
      const [stable] = existing ? await this.registry.deployments.revisionsByIds([existing.stableRevisionId!]) : [];
      if (existing && stable?.modelVersionId === version.id) {
        deployment = existing;
      } else if (existing) {
        // A deployment of this name from an earlier Prepare: roll it to the new version.
        await this.registry.deployments.setCanary(principal, { name, version: version.number, weight: 100 });
        deployment = await this.registry.deployments.promoteCanary(principal, name);
      } else {
        deployment = await this.registry.deployments.create(principal, { project: projectName, name, model: demo.modelName, version: version.number });
      }
      this.log(`${demo.key}: deployment ${name} serves version ${version.number}`);
      return { deploymentId: deployment.id, steps: running(work.steps, 'DEPLOY', 'Waiting for a serving process to load the model') };
    }
    const serving = revisionServingState(deployment.stableRevisionId!, await this.registry.servingInstances.live());
    if (serving.state === 'READY') return { steps: done(work.steps, 'DEPLOY', `${name} is serving version ${version.number}`) };
    if (serving.state === 'FAILED') {
      return { state: 'FAILED', steps: failed(work.steps, 'DEPLOY', `The serving process could not load the model: ${serving.failure}`) };
    }
    return null;
  }

  // ---- Retraining: train → evaluate → canary with automatic analysis ----

  private async retrain(work: Work): Promise<Change | null> {
    const { row, demo, principal, projectName, deployment } = work;
    const retraining = row.retraining as unknown as StoredRetraining;
    if (!retraining.runId) {
      const run = await this.registry.training.start(principal, {
        project: projectName,
        model: demo.modelName,
        datasetVersionId: row.datasetVersionId!,
        spec: retraining.spec,
        hyperparameters: { ...retraining.hyperparameters, epochs: scenarioEpochs(retraining.hyperparameters.epochs) },
      });
      return { retraining: { ...retraining, runId: run.id, message: 'Waiting for a training worker' } };
    }
    const outcome = await this.followRun(retraining.runId);
    if (outcome.status === 'RUNNING') {
      return outcome.message === retraining.message ? null : { retraining: { ...retraining, message: outcome.message } };
    }
    if (outcome.status === 'FAILED') return { retraining: { ...retraining, state: 'FAILED', message: outcome.message, finishedAt: new Date().toISOString() } };
    const [version] = await this.registry.versions.byIds([outcome.modelVersionId]);
    const evaluation = (await this.registry.evaluations.forVersions([outcome.modelVersionId])).find((candidate) => candidate.split === 'test');
    await this.registry.deployments.setCanary(principal, {
      name: deployment,
      version: version!.number,
      weight: retraining.canaryWeight,
      analysis: RETRAIN_ANALYSIS,
    });
    this.log(`${demo.key}: version ${version!.number} rolled out as a ${retraining.canaryWeight}% canary`);
    return {
      retraining: {
        ...retraining,
        state: 'READY',
        modelVersionId: outcome.modelVersionId,
        evaluationId: evaluation?.id ?? null,
        message: `Version ${version!.number} is a ${retraining.canaryWeight}% canary with automatic analysis${evaluation ? ` (${qualitySummary(demo, evaluation.metrics)})` : ''}`,
        finishedAt: new Date().toISOString(),
      },
    };
  }

  private async followRun(
    runId: string,
  ): Promise<{ status: 'RUNNING'; progress: number; message: string } | { status: 'FAILED'; message: string } | { status: 'SUCCEEDED'; modelVersionId: string; message: string }> {
    const [run] = await this.registry.runs.byIds([runId]);
    if (!run) return { status: 'FAILED', message: 'The training run is gone' };
    if (run.status === 'FAILED' || run.status === 'CANCELLED') {
      return { status: 'FAILED', message: `Training run ${run.name} ${run.status.toLowerCase()}${run.error ? `: ${run.error}` : ''}` };
    }
    if (run.status === 'SUCCEEDED') {
      const [version] = await this.registry.versions.bySourceRuns([run.id]);
      if (!version) return { status: 'FAILED', message: `Training run ${run.name} registered no model version` };
      return { status: 'SUCCEEDED', modelVersionId: version.id, message: `${run.name} → version ${version.number}` };
    }
    const progress = Math.round(run.progress * 100) / 100;
    return {
      status: 'RUNNING',
      progress,
      message: run.status === 'QUEUED' ? 'Waiting for a training worker' : `Training ${run.name}: ${Math.round(progress * 100)} %`,
    };
  }

  /** A step that threw: the demo FAILED at its current step, with a message safe to show. */
  private failure(row: ScenarioDemoRecord, error: unknown): Change {
    // Domain errors are written for users; anything else stays in the log.
    const message = error instanceof DomainError ? error.message : 'An internal error stopped this step (see the API log)';
    this.log(`${row.demo}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (row.state !== 'PREPARING') {
      const retraining = row.retraining as unknown as StoredRetraining;
      return { retraining: { ...retraining, state: 'FAILED', message, finishedAt: new Date().toISOString() } };
    }
    const steps = readSteps(row.steps);
    const current = steps.find((step) => step.status !== 'DONE')?.kind ?? 'DEPLOY';
    const stored = steps.map((step) => ({ ...step, startedAt: step.startedAt?.toISOString() ?? null, finishedAt: step.finishedAt?.toISOString() ?? null }));
    return { state: 'FAILED', steps: failed(stored, current, message) };
  }
}

function qualitySummary(demo: DemoDefinition, metrics: unknown): string {
  const values = metrics as Record<string, number>;
  return Object.entries(demo.qualityBar)
    .map(([name, bar]) => {
      const value = values[name];
      if (value === undefined) return `${name}: not measured`;
      return `${name} ${value.toFixed(3)} ${value >= bar ? '≥' : '<'} ${bar} (the bar)`;
    })
    .join('; ');
}

function withStep(steps: StoredStep[], kind: StepKind, update: (step: StoredStep) => StoredStep): StoredStep[] {
  return steps.map((step) => (step.kind === kind ? update(step) : step));
}

function importingMessage(dataset: string, number: number): string {
  return `Importing ${dataset} v${number} on a worker`;
}

function running(steps: StoredStep[], kind: StepKind, message: string, progress = 0): StoredStep[] {
  return withStep(steps, kind, (step) => ({ ...step, status: 'RUNNING', progress, message, startedAt: step.startedAt ?? new Date().toISOString(), finishedAt: null }));
}

function done(steps: StoredStep[], kind: StepKind, message: string): StoredStep[] {
  const now = new Date().toISOString();
  return withStep(steps, kind, (step) => ({ ...step, status: 'DONE', progress: 1, message, startedAt: step.startedAt ?? now, finishedAt: now }));
}

function failed(steps: StoredStep[], kind: StepKind, message: string): StoredStep[] {
  return withStep(steps, kind, (step) => ({ ...step, status: 'FAILED', message, startedAt: step.startedAt ?? new Date().toISOString(), finishedAt: new Date().toISOString() }));
}
