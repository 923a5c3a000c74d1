import type { PrismaClient } from '@lepton/db';
import { AuditRepository } from '../audit/audit.repository';
import type { Principal, ProjectRef } from '../auth/principal';
import type { ProjectService } from '../project/project.service';
import { badInput, conflict, isUniqueViolation, notFound } from '../shared/domain-error';
import { decodeCursor, pageSize, toPage, type PageRequest } from '../shared/pagination';
import { inTransaction } from '../shared/transaction';
import { validName, validTags, validText } from '../shared/validation';
import { ModelRepository, type ModelFilter, type ModelRecord } from './model.repository';

export interface RegisterModelInput {
  project?: string | null;
  name: string;
  description?: string | null;
  task?: string | null;
  tags?: string[] | null;
}

export interface UpdateModelInput {
  project?: string | null;
  name: string;
  description?: string | null;
  task?: string | null;
  tags?: string[] | null;
}

export class ModelService {
  private readonly models: ModelRepository;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly projects: ProjectService,
  ) {
    this.models = new ModelRepository(prisma);
  }

  async register(principal: Principal, input: RegisterModelInput): Promise<ModelRecord> {
    const project = await this.projects.access(principal, input.project, 'EDITOR');
    const name = validName(input.name, 'name');
    const data = {
      projectId: project.id,
      name,
      task: validTask(input.task),
      description: validText(input.description, 'description'),
      tags: validTags(input.tags),
    };
    try {
      return await inTransaction(this.prisma, async (tx) => {
        const model = await new ModelRepository(tx).create(data);
        await new AuditRepository(tx).record(principal, {
          projectId: project.id,
          action: 'model.register',
          targetType: 'registeredModel',
          targetId: model.id,
          details: { name },
        });
        return model;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`Model "${name}" already exists in project "${project.name}"`);
      throw error;
    }
  }

  async update(principal: Principal, input: UpdateModelInput): Promise<ModelRecord> {
    const project = await this.projects.access(principal, input.project, 'EDITOR');
    const changes = {
      ...(input.task != null ? { task: validTask(input.task) } : {}),
      ...(input.description != null ? { description: validText(input.description, 'description') } : {}),
      ...(input.tags != null ? { tags: validTags(input.tags) } : {}),
    };
    return inTransaction(this.prisma, async (tx) => {
      const model = await requireModel(new ModelRepository(tx), project, validName(input.name, 'name'));
      const updated = await new ModelRepository(tx).update(model.id, changes);
      await new AuditRepository(tx).record(principal, {
        projectId: project.id,
        action: 'model.update',
        targetType: 'registeredModel',
        targetId: model.id,
        details: changes,
      });
      return updated;
    });
  }

  async list(principal: Principal, projectName: string | null | undefined, page: PageRequest, filter: ModelFilter = {}) {
    const project = await this.projects.access(principal, projectName, 'VIEWER');
    const size = pageSize(page.first);
    const rows = await this.models.list(project.id, filter, size + 1, decodeCursor<string>(page.after, 'string'));
    return toPage(rows, size, (row) => row.name);
  }

  async get(principal: Principal, projectName: string | null | undefined, name: string) {
    const project = await this.projects.access(principal, projectName, 'VIEWER');
    return this.models.findByName(project.id, name);
  }

  byIds(ids: readonly string[]) {
    return this.models.findByIds(ids);
  }
}

export async function requireModel(models: ModelRepository, project: ProjectRef, name: string): Promise<ModelRecord> {
  const model = await models.findByName(project.id, name);
  if (!model) throw notFound(`Model "${name}" does not exist in project "${project.name}"`);
  return model;
}

function validTask(task: string | null | undefined): string {
  const value = validText(task, 'task', 64);
  if (value && !/^[a-z][a-z0-9-]*$/.test(value)) {
    throw badInput(`task "${value}" must be lowercase letters, digits and '-' (e.g. "classification")`, { field: 'task' });
  }
  return value;
}
