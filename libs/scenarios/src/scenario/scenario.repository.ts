import type { Channel, Prisma } from '@lepton/db';

export const SCENARIO_CHANGED_CHANNEL = 'lepton_scenario_changed' satisfies Channel;

export type ScenarioDemoRecord = Prisma.ScenarioDemoGetPayload<object>;

export class ScenarioRepository {
  constructor(private readonly db: Prisma.TransactionClient) {}

  listForProject(projectId: string, demos: readonly string[]) {
    return this.db.scenarioDemo.findMany({ where: { projectId, demo: { in: [...demos] } } });
  }

  /** Locks the row for the rest of the transaction. */
  async lockForUpdate(projectId: string, demo: string): Promise<ScenarioDemoRecord | null> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM scenario_demo WHERE project_id = ${projectId}::uuid AND demo = ${demo} FOR UPDATE`;
    return rows[0] ? this.db.scenarioDemo.findUnique({ where: { id: rows[0].id } }) : null;
  }

  /** Creates the rows that do not exist yet (concurrent prepares race harmlessly). */
  async createMissing(rows: Prisma.ScenarioDemoCreateManyInput[]): Promise<void> {
    await this.db.scenarioDemo.createMany({ data: rows, skipDuplicates: true });
  }

  update(id: string, data: Prisma.ScenarioDemoUncheckedUpdateInput) {
    return this.db.scenarioDemo.update({ where: { id }, data });
  }

  byId(id: string) {
    return this.db.scenarioDemo.findUnique({ where: { id } });
  }

  /** Demos the reconciler still has work on: a Prepare or a retraining in progress. */
  listInProgress() {
    return this.db.scenarioDemo.findMany({
      where: { OR: [{ state: 'PREPARING' }, { retraining: { path: ['state'], equals: 'PREPARING' } }] },
      orderBy: { updatedAt: 'asc' },
    });
  }

  async notifyChanged(projectId: string, scenario: string): Promise<void> {
    await this.db.$executeRaw`SELECT pg_notify(${SCENARIO_CHANGED_CHANNEL}, ${JSON.stringify({ projectId, scenario })})`;
  }
}
