import type { Prisma, Role } from '@lepton/db';

const TOKEN_FIELDS = {
  id: true,
  name: true,
  role: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  projectId: true,
  user: { select: { id: true, name: true } },
  project: { select: { id: true, name: true } },
} as const;

export type ApiTokenRecord = Prisma.ApiTokenGetPayload<{ select: typeof TOKEN_FIELDS }>;

export class AuthRepository {
  constructor(private readonly db: Prisma.TransactionClient) {}

  findActiveTokenByHash(tokenHash: string) {
    return this.findActiveToken({ tokenHash });
  }

  findActiveTokenById(id: string) {
    return this.findActiveToken({ id });
  }

  private findActiveToken(where: { tokenHash: string } | { id: string }) {
    return this.db.apiToken.findFirst({
      where: { ...where, revokedAt: null },
      select: {
        id: true,
        role: true,
        projectId: true,
        lastUsedAt: true,
        user: { select: { id: true, name: true, memberships: { select: { projectId: true, role: true } } } },
      },
    });
  }

  /** At most one write a minute per token, so authentication stays read-only on hot paths. */
  async touchToken(id: string, now: Date): Promise<void> {
    await this.db.apiToken.updateMany({
      where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }] },
      data: { lastUsedAt: now },
    });
  }

  createToken(data: { userId: string; projectId: string | null; name: string; role: Role | null; tokenHash: string; prefix: string }) {
    return this.db.apiToken.create({ data, select: TOKEN_FIELDS });
  }

  findToken(id: string) {
    return this.db.apiToken.findUnique({ where: { id }, select: TOKEN_FIELDS });
  }

  listTokens(projectId: string) {
    return this.db.apiToken.findMany({ where: { projectId }, orderBy: { createdAt: 'asc' }, select: TOKEN_FIELDS });
  }

  revokeToken(id: string, at: Date) {
    return this.db.apiToken.update({ where: { id }, data: { revokedAt: at }, select: TOKEN_FIELDS });
  }

  countUsers(): Promise<number> {
    return this.db.user.count();
  }

  findUsersByIds(ids: readonly string[]) {
    return this.db.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
  }

  findUserByName(name: string) {
    return this.db.user.findUnique({ where: { name }, select: { id: true, name: true } });
  }

  createUser(name: string) {
    return this.db.user.create({ data: { name }, select: { id: true, name: true } });
  }

  upsertMembership(projectId: string, userId: string, role: Role) {
    return this.db.membership.upsert({
      where: { projectId_userId: { projectId, userId } },
      create: { projectId, userId, role },
      update: { role },
      select: { role: true, createdAt: true, user: { select: { id: true, name: true } } },
    });
  }

  async deleteMembership(projectId: string, userId: string): Promise<boolean> {
    const { count } = await this.db.membership.deleteMany({ where: { projectId, userId } });
    return count > 0;
  }

  countAdmins(projectId: string): Promise<number> {
    return this.db.membership.count({ where: { projectId, role: 'ADMIN' } });
  }

  listMembers(projectId: string) {
    return this.db.membership.findMany({
      where: { projectId },
      orderBy: { createdAt: 'asc' },
      select: { role: true, createdAt: true, user: { select: { id: true, name: true } } },
    });
  }
}
