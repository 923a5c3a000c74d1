import type { PrismaClient } from '@lepton/db';
import type { Principal } from '../auth/principal';
import type { ProjectService } from '../project/project.service';
import { decodeBigIntCursor, pageSize, toPage, type PageRequest } from '../shared/pagination';
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
    const rows = await this.events.list(project.id, size + 1, decodeBigIntCursor(page.after));
    return toPage(rows, size, (row) => row.id.toString());
  }
}
