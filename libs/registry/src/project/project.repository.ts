import type { Prisma } from '@lepton/db';

export class ProjectRepository {
  constructor(private readonly db: Prisma.TransactionClient) {}

  findByName(name: string) {
    return this.db.project.findUnique({ where: { name }, select: { id: true, name: true } });
  }

  findByIds(ids: readonly string[]) {
    return this.db.project.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, name: true, description: true, createdAt: true },
    });
  }

  create(name: string, description: string) {
    return this.db.project.create({ data: { name, description }, select: { id: true, name: true, description: true, createdAt: true } });
  }
}
