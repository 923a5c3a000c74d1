import type { PrismaClient, Role } from '@lepton/db';
import { AuditRepository } from '../audit/audit.repository';
import { AuthRepository } from '../auth/auth.repository';
import { reachableProjects, requireRole, type Principal, type ProjectRef } from '../auth/principal';
import { conflict, forbidden, isUniqueViolation } from '../shared/domain-error';
import { inTransaction } from '../shared/transaction';
import { LIMITS, validName, validText } from '../shared/validation';
import { ProjectRepository } from './project.repository';

export const DEFAULT_PROJECT = 'default';

export class ProjectService {
  private readonly projects: ProjectRepository;

  constructor(private readonly prisma: PrismaClient) {
    this.projects = new ProjectRepository(prisma);
  }

  /**
   * Resolves a project by name and checks the caller's role there. A project the caller cannot
   * reach answers FORBIDDEN whether or not it exists, so names do not leak across tenants.
   */
  async access(principal: Principal, name: string | null | undefined, needed: Role): Promise<ProjectRef> {
    const projectName = name ?? DEFAULT_PROJECT;
    const project = await this.projects.findByName(projectName);
    requireRole(principal, project ?? { id: '', name: projectName }, needed);
    return project!;
  }

  listVisible(principal: Principal) {
    return this.projects.findByIds(reachableProjects(principal).map((reachable) => reachable.projectId));
  }

  /** For nested fields (a run's project): the caller already reached the child. */
  byIds(ids: readonly string[]) {
    return this.projects.findByIds(ids);
  }

  /** Anyone with an unscoped token may start a project; they become its first ADMIN. */
  async create(principal: Principal, input: { name: string; description?: string | null }) {
    if (principal.tokenProjectId !== null) throw forbidden('A project-scoped token cannot create projects');
    const name = validName(input.name, 'name', LIMITS.projectName);
    const description = validText(input.description, 'description');
    try {
      return await inTransaction(this.prisma, async (tx) => {
        const project = await new ProjectRepository(tx).create(name, description);
        await new AuthRepository(tx).upsertMembership(project.id, principal.userId, 'ADMIN');
        await new AuditRepository(tx).record(principal, {
          projectId: project.id,
          action: 'project.create',
          targetType: 'project',
          targetId: project.id,
          details: { name },
        });
        return project;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`Project "${name}" already exists`);
      throw error;
    }
  }
}
