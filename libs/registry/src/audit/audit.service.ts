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
    // Event ids are bigint: a longer digit string would overflow the column type.
    if (cursor !== undefined && (!/^\d{1,19}$/.test(cursor) || BigInt(cursor) > 9_223_372_036_854_775_807n)) throw badInput('after is not a cursor returned by this list', { field: 'after' });
    const rows = await this.events.list(project.id, size + 1, cursor === undefined ? undefined : BigInt(cursor));
    return toPage(rows, size, (row) => row.id.toString());
  }
}
