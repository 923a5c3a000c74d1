import type { Prisma } from '@lepton/db';
import type { Principal } from '../auth/principal';

export interface AuditEntry {
  projectId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
}

/** Written inside the mutation's own transaction, so an audit row exists iff the change does. */
export class AuditRepository {
  constructor(private readonly db: Prisma.TransactionClient) {}

  async record(principal: Principal | null, entry: AuditEntry): Promise<void> {
    await this.db.auditEvent.create({
      data: {
        projectId: entry.projectId,
        actorId: principal?.userId ?? null,
        tokenId: principal?.tokenId ?? null,
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId,
        details: (entry.details ?? {}) as Prisma.InputJsonValue,
      },
      select: { id: true },
    });
  }

  async list(projectId: string, take: number, beforeId?: bigint) {
    return this.db.auditEvent.findMany({
      where: { projectId, ...(beforeId === undefined ? {} : { id: { lt: beforeId } }) },
      orderBy: { id: 'desc' },
      take,
      select: {
        id: true,
        action: true,
        targetType: true,
        targetId: true,
        details: true,
        createdAt: true,
        tokenId: true,
        actor: { select: { name: true } },
      },
    });
  }
}
