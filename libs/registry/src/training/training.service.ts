import type { JobQueue } from '@lepton/jobs';
import type { NotificationBus, Prisma, PrismaClient } from '@lepton/db';
import { validateTrainingConfig } from '@lepton/model-contract';
import { AuditRepository } from '../audit/audit.repository';
import type { Principal } from '../auth/principal';
import { DatasetRepository } from '../dataset/dataset.repository';
import type { ImportedSchema } from '../dataset/dataset-import.service';
import { ModelRepository } from '../model/model.repository';
import type { ProjectService } from '../project/project.service';
import { RunRepository, type RunRecord } from '../run/run.repository';
import type { RunService, RunUpdatedEvent } from '../run/run.service';
import { badInput, conflict, isUniqueViolation, notFound } from '../shared/domain-error';
import { inTransaction } from '../shared/transaction';
import { validName, validUuid } from '../shared/validation';

export interface StartTrainingInput {
  project?: string | null;
  model: string;
  datasetVersionId: string;
  spec: unknown;
  hyperparameters: unknown;
  name?: string | null;
}

/** The parts of an imported DatasetVersion.schema the trainer needs. */
export function trainableShape(schema: unknown): { featureShape: number[]; numClasses: number; kind: string } | null {
  const imported = schema as Partial<ImportedSchema> | null;
  if (!imported || !Array.isArray(imported.featureShape) || !Array.isArray(imported.classes) || !imported.kind) return null;
  return { featureShape: imported.featureShape, numClasses: imported.classes.length, kind: imported.kind };
}

export class TrainingService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly projects: ProjectService,
    private readonly runs: RunService,
    private readonly bus: NotificationBus,
    private readonly queue: () => Promise<JobQueue>,
  ) {}

  /**
   * Validates everything, then in one transaction registers the model on first use, creates the
   * QUEUED run and inserts its job: a bad request queues nothing.
   */
  async start(principal: Principal, input: StartTrainingInput): Promise<RunRecord> {
    const project = await this.projects.access(principal, input.project, 'EDITOR');
    const modelName = validName(input.model, 'model');
    const datasetVersionId = validUuid(input.datasetVersionId, 'datasetVersionId');
    const datasetVersion = await new DatasetRepository(this.prisma).findVersionWithProject(datasetVersionId);
    if (!datasetVersion || datasetVersion.dataset.projectId !== project.id) {
      throw notFound(`Dataset version ${datasetVersionId} does not exist in project "${project.name}"`);
    }
    const shape = trainableShape(datasetVersion.schema);
    if (!shape) {
      throw badInput(`Dataset version ${datasetVersionId} was registered without data Lepton can train on; import it with importDataset`, {
        field: 'datasetVersionId',
      });
    }
    const validationExamples = (datasetVersion.splits as { validation?: unknown } | null)?.validation;
    let config;
    try {
      config = validateTrainingConfig(input.spec, input.hyperparameters, {
        ...shape,
        hasValidationSplit: typeof validationExamples === 'number' && validationExamples > 0,
      });
    } catch (error) {
      // The contract's ModelConfigError: a bad spec or hyperparameter, named by its field.
      const rejected = error as { code?: string; field?: string; message?: string };
      if (rejected.code === 'BAD_USER_INPUT') throw badInput(rejected.message ?? 'Invalid training configuration', rejected.field ? { field: rejected.field } : {});
      throw error;
    }
    const runName = validName(input.name ?? `${modelName}-${datasetVersion.dataset.name}-v${datasetVersion.number}`, 'name');
    const queue = await this.queue();

    const create = () =>
      inTransaction(this.prisma, async (tx) => {
        const models = new ModelRepository(tx);
        const model =
          (await models.findByName(project.id, modelName)) ??
          (await models.create({ projectId: project.id, name: modelName, task: 'classification', description: '', tags: [] }));
        const run = await new RunRepository(tx).create({
          projectId: project.id,
          name: runName,
          kind: 'TRAINING',
          status: 'QUEUED',
          params: { spec: config.spec, hyperparameters: config.hyperparameters } as unknown as Prisma.InputJsonValue,
          createdById: principal.userId,
          modelId: model.id,
          datasetVersionId,
        });
        const jobId = await queue.enqueueTraining(run.id, tx);
        const queued = await new RunRepository(tx).update(run.id, { jobId });
        await new AuditRepository(tx).record(principal, {
          projectId: project.id,
          action: 'training.start',
          targetType: 'run',
          targetId: run.id,
          details: { model: modelName, datasetVersionId, spec: config.spec, hyperparameters: config.hyperparameters },
        });
        return queued;
      });
    let run: RunRecord;
    try {
      run = await create();
    } catch (error) {
      // Two first trainings of a model raced to register it: the loser uses the winner's model.
      if (!isUniqueViolation(error)) throw error;
      run = await create();
    }
    await this.publish(run);
    return run;
  }

  /**
   * A run waiting for a worker (queued, or handed back) is cancelled at once; one a worker holds
   * is asked to stop and stops within a batch.
   */
  async cancel(principal: Principal, id: string): Promise<RunRecord> {
    const existing = await this.runs.requireAccessible(principal, id, 'EDITOR');
    if (existing.kind !== 'TRAINING') throw badInput('Only training runs can be cancelled; finish other runs with finishRun');
    const queue = await this.queue();
    const run = await inTransaction(this.prisma, async (tx) => {
      const repository = new RunRepository(tx);
      const current = await repository.findForUpdate(existing.id);
      let updated: RunRecord;
      const waiting = current?.status === 'QUEUED' || (current?.status === 'RUNNING' && current.workerId === null);
      if (current && waiting) {
        if (current.jobId) await queue.cancel(current.jobId, tx);
        updated = await repository.update(existing.id, {
          status: 'CANCELLED',
          endedAt: new Date(),
          cancelRequested: true,
          etaAt: null,
          leaseExpiresAt: null,
        });
      } else if (current?.status === 'RUNNING') {
        updated = await repository.update(existing.id, { cancelRequested: true });
      } else {
        throw conflict(`Run ${existing.id} is ${current?.status ?? 'gone'}; only QUEUED or RUNNING runs can be cancelled`);
      }
      await new AuditRepository(tx).record(principal, {
        projectId: existing.projectId,
        action: 'training.cancel',
        targetType: 'run',
        targetId: existing.id,
      });
      return updated;
    });
    await this.publish(run);
    return run;
  }

  /** Queues a FAILED or CANCELLED training run again; it resumes from its last checkpoint. */
  async retry(principal: Principal, id: string): Promise<RunRecord> {
    const existing = await this.runs.requireAccessible(principal, id, 'EDITOR');
    if (existing.kind !== 'TRAINING') throw badInput('Only training runs can be retried');
    const queue = await this.queue();
    const run = await inTransaction(this.prisma, async (tx) => {
      const repository = new RunRepository(tx);
      const current = await repository.findForUpdate(existing.id);
      if (current?.status !== 'FAILED' && current?.status !== 'CANCELLED') {
        throw conflict(`Run ${existing.id} is ${current?.status ?? 'gone'}; only FAILED or CANCELLED runs can be retried`);
      }
      const jobId = await queue.enqueueTraining(existing.id, tx);
      const updated = await repository.update(existing.id, {
        status: 'QUEUED',
        jobId,
        error: null,
        endedAt: null,
        etaAt: null,
        cancelRequested: false,
        workerId: null,
        leaseExpiresAt: null,
        lostLeases: 0,
      });
      await new AuditRepository(tx).record(principal, {
        projectId: existing.projectId,
        action: 'training.retry',
        targetType: 'run',
        targetId: existing.id,
      });
      return updated;
    });
    await this.publish(run);
    return run;
  }

  private async publish(run: RunRecord): Promise<void> {
    const event: RunUpdatedEvent = { runId: run.id, status: run.status };
    await this.bus.publish('lepton_run_updated', event);
  }
}
