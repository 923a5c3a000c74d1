import type { NotificationBus, Prisma, PrismaClient, RunKind, RunStatus } from '@lepton/db';
import { AuditRepository } from '../audit/audit.repository';
import { atLeast, effectiveRole, type Principal } from '../auth/principal';
import type { ProjectService } from '../project/project.service';
import { badInput, conflict, DomainError, forbidden, notFound } from '../shared/domain-error';
import { decodeTimeIdCursor, pageSize, timeIdKey, toPage, type PageRequest } from '../shared/pagination';
import { inTransaction } from '../shared/transaction';
import { validJsonObject, validName, validText, isUuid } from '../shared/validation';
import { RunRepository, type RunFilter, type RunRecord } from './run.repository';

export interface CreateRunInput {
  project?: string | null;
  name: string;
  params?: unknown;
  kind?: RunKind | null;
}

export interface RunUpdatedEvent {
  runId: string;
  status: RunStatus;
}

const TERMINAL: readonly RunStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

export class RunService {
  private readonly runs: RunRepository;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly projects: ProjectService,
    private readonly bus: NotificationBus,
  ) {
    this.runs = new RunRepository(prisma);
  }

  async create(principal: Principal, input: CreateRunInput): Promise<RunRecord> {
    const project = await this.projects.access(principal, input.project, 'EDITOR');
    if (input.kind === 'TRAINING') {
      throw badInput('Training runs are created by startTraining (a worker trains and writes them); use EXPERIMENT or EVALUATION', { field: 'kind' });
    }
    const name = validName(input.name, 'name');
    const params = validJsonObject(input.params, 'params') as Prisma.InputJsonValue;
    const run = await inTransaction(this.prisma, async (tx) => {
      const created = await new RunRepository(tx).create({
        projectId: project.id,
        name,
        params,
        kind: input.kind ?? 'EXPERIMENT',
        status: 'RUNNING',
        startedAt: new Date(),
        createdById: principal.userId,
      });
      await new AuditRepository(tx).record(principal, {
        projectId: project.id,
        action: 'run.create',
        targetType: 'run',
        targetId: created.id,
        details: { name },
      });
      return created;
    });
    await this.publish(run);
    return run;
  }

  async finish(principal: Principal, id: string, status: RunStatus, error?: string | null): Promise<RunRecord> {
    if (!TERMINAL.includes(status)) {
      throw badInput(`status must be one of ${TERMINAL.join(', ')}`, { field: 'status' });
    }
    const existing = await this.requireClientWritable(principal, id);
    const message = validText(error, 'error', 10_000) || null;
    const run = await inTransaction(this.prisma, async (tx) => {
      const finished = await new RunRepository(tx).finish(existing.id, status, message, new Date());
      if (!finished) throw conflict(`Run ${existing.id} has already finished`);
      await new AuditRepository(tx).record(principal, {
        projectId: existing.projectId,
        action: 'run.finish',
        targetType: 'run',
        targetId: existing.id,
        details: { status },
      });
      return finished;
    });
    await this.publish(run);
    return run;
  }

  /**
   * The run, or null when it does not exist or lies in a project the caller cannot reach: the
   * answer never tells whether another project's run exists.
   */
  async get(principal: Principal, id: string): Promise<RunRecord | null> {
    if (!isUuid(id)) return null;
    const run = await this.runs.findById(id.toLowerCase());
    return run && effectiveRole(principal, run.projectId) ? run : null;
  }

  /**
   * A run the caller may act on with `role`. NOT_FOUND when it does not exist or lies in a project
   * the caller cannot reach (the same answer, naming only the id the caller sent); FORBIDDEN when
   * the caller reaches its project with a lesser role.
   */
  async requireAccessible(principal: Principal, id: string, role: 'VIEWER' | 'EDITOR'): Promise<RunRecord> {
    if (!isUuid(id)) throw badInput(`"${id}" is not a valid run id`, { field: 'runId' });
    const run = await this.runs.findById(id.toLowerCase());
    const held = run ? effectiveRole(principal, run.projectId) : null;
    if (!run || !held) throw notFound(`Run ${id} does not exist`);
    if (!atLeast(held, role)) throw forbidden(`This needs the ${role} role in the run's project; the token has ${held}`);
    return run;
  }

  /**
   * A run a client may finish or log metrics to: one it created with createRun. Training runs are
   * written only by the worker holding them (RUN_OWNED_BY_WORKER); they stop through cancelRun.
   */
  async requireClientWritable(principal: Principal, id: string): Promise<RunRecord> {
    const run = await this.requireAccessible(principal, id, 'EDITOR');
    if (run.kind === 'TRAINING') {
      throw new DomainError(
        'RUN_OWNED_BY_WORKER',
        `Run ${run.id} is a training run: only the worker training it writes its status and metrics. Stop it with cancelRun`,
      );
    }
    return run;
  }

  async list(principal: Principal, projectName: string | null | undefined, page: PageRequest, filter: RunFilter = {}) {
    const project = await this.projects.access(principal, projectName, 'VIEWER');
    const size = pageSize(page.first);
    const rows = await this.runs.list(project.id, filter, size + 1, decodeTimeIdCursor(page.after));
    return toPage(rows, size, timeIdKey);
  }

  /** Lineage: the runs that trained on a dataset version (the caller proved access to it), newest first. */
  async ofDatasetVersion(projectId: string, datasetVersionId: string, page: PageRequest) {
    const size = pageSize(page.first);
    const rows = await this.runs.list(projectId, { datasetVersionId }, size + 1, decodeTimeIdCursor(page.after));
    return toPage(rows, size, timeIdKey);
  }

  byIds(ids: readonly string[]) {
    return this.runs.findByIds(ids);
  }

  /** Live updates; the caller checks access to the run before subscribing. */
  updates(runId: string): AsyncIterableIterator<RunUpdatedEvent> {
    return this.bus.subscribe<RunUpdatedEvent>('lepton_run_updated', (event) => event.runId === runId);
  }

  private async publish(run: RunRecord): Promise<void> {
    const event: RunUpdatedEvent = { runId: run.id, status: run.status };
    await this.bus.publish('lepton_run_updated', event);
  }
}
