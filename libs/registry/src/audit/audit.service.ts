import type { PrismaClient } from '@lepton/db';
import type { Principal } from '../auth/principal';
import type { ProjectService } from '../project/project.service';
import { badInput } from '../shared/domain-error';
import { decodeCursor, pageSize, toPage, type PageRequest } from '../shared/pagination';
import { AuditRepository } from './audit.repository';

export class AuditService {
  private readonly events: AuditRepository;

  constructor(
    prisma: PrismaClient,
    private readonly projects: ProjectService,
  ) {
    this.events = new AuditRepository(prisma);
  }

  /** Newest first; only project ADMINs read the audit trail. */
  async list(principal: Principal, projectName: string | null | undefined, page: PageRequest) {
    const project = await this.projects.access(principal, projectName, 'ADMIN');
    const size = pageSize(page.first);
    const cursor = decodeCursor<string>(page.after, 'string');
    if (cursor !== undefined && !/^\d+$/.test(cursor)) throw badInput('after is not a cursor returned by this list', { field: 'after' });
    const rows = await this.events.list(project.id, size + 1, cursor === undefined ? undefined : BigInt(cursor));
    return toPage(rows, size, (row) => row.id.toString());
  }
}
