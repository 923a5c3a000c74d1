import type { Prisma } from '@lepton/db';

/** Serving processes heartbeat this often... */
export const SERVING_HEARTBEAT_SECONDS = 5;
/** ...and count as live while their last heartbeat is this recent (database clock). */
export const SERVING_INSTANCE_TTL_SECONDS = 15;
/** Rows of instances silent this long are deleted. */
const STALE_INSTANCE_SECONDS = 3600;

export interface InstanceReport {
  /** A uuid the process makes once at start. */
  id: string;
  host: string;
  pid: number;
  /** Base URL other processes reach it at, e.g. http://10.0.0.5:4001. */
  url: string;
  loadedRevisionIds: readonly string[];
  readyRevisionIds: readonly string[];
  failedRevisions: readonly { revisionId: string; message: string }[];
}

export interface ServingInstanceRecord {
  id: string;
  host: string;
  pid: number;
  url: string;
  startedAt: Date;
  heartbeatAt: Date;
  loadedRevisionIds: string[];
  readyRevisionIds: string[];
  failedRevisions: { revisionId: string; message: string }[];
}

interface InstanceRow {
  id: string;
  host: string;
  pid: number;
  url: string;
  started_at: Date;
  heartbeat_at: Date;
  loaded_revision_ids: string[] | null;
  ready_revision_ids: string[] | null;
  failed_revisions: { revisionId: string; message: string }[];
}

const toRecord = (row: InstanceRow): ServingInstanceRecord => ({
  id: row.id,
  host: row.host,
  pid: row.pid,
  url: row.url,
  startedAt: row.started_at,
  heartbeatAt: row.heartbeat_at,
  loadedRevisionIds: row.loaded_revision_ids ?? [],
  readyRevisionIds: row.ready_revision_ids ?? [],
  failedRevisions: Array.isArray(row.failed_revisions) ? row.failed_revisions : [],
});

export class ServingInstanceRepository {
  constructor(private readonly db: Prisma.TransactionClient) {}

  /** Registers or refreshes the instance, stamped with the database's clock. */
  async heartbeat(report: InstanceReport): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO serving_instance (id, host, pid, url, heartbeat_at, loaded_revision_ids, ready_revision_ids, failed_revisions)
      VALUES (${report.id}::uuid, ${report.host}, ${report.pid}, ${report.url}, now(), ${[...report.loadedRevisionIds]}::uuid[],
        ${[...report.readyRevisionIds]}::uuid[], ${JSON.stringify(report.failedRevisions)}::jsonb)
      ON CONFLICT (id) DO UPDATE SET
        host = EXCLUDED.host, pid = EXCLUDED.pid, url = EXCLUDED.url, heartbeat_at = now(),
        loaded_revision_ids = EXCLUDED.loaded_revision_ids, ready_revision_ids = EXCLUDED.ready_revision_ids,
        failed_revisions = EXCLUDED.failed_revisions`;
  }

  async remove(id: string): Promise<void> {
    await this.db.servingInstance.deleteMany({ where: { id } });
  }

  async live(): Promise<ServingInstanceRecord[]> {
    const rows = await this.db.$queryRaw<InstanceRow[]>`
      SELECT id, host, pid, url, started_at, heartbeat_at, loaded_revision_ids, ready_revision_ids, failed_revisions
      FROM serving_instance
      WHERE heartbeat_at > now() - make_interval(secs => ${SERVING_INSTANCE_TTL_SECONDS})
      ORDER BY started_at, id`;
    return rows.map(toRecord);
  }

  purgeStale(): Promise<number> {
    return this.db
      .$executeRaw`DELETE FROM serving_instance WHERE heartbeat_at < now() - make_interval(secs => ${STALE_INSTANCE_SECONDS})`;
  }
}
