import { ArtifactKeyError, type ArtifactStore } from '@lepton/artifacts';
import type { NotificationBus, Prisma, PrismaClient, Role } from '@lepton/db';
import { AuditRepository } from '../audit/audit.repository';
import { effectiveRole, requireRole, type Principal, type ProjectRef } from '../auth/principal';
import { displayPrefix, generateToken, hashToken } from '../auth/token';
import type { ModelVersionRecord } from '../model-version/model-version.repository';
import type { AliasMove, ModelVersionService } from '../model-version/model-version.service';
import type { ProjectService } from '../project/project.service';
import { badInput, conflict, DomainError, isUniqueViolation, notFound } from '../shared/domain-error';
import { decodeBigIntCursor, decodeCursor, pageSize, toPage, type PageRequest } from '../shared/pagination';
import { inTransaction } from '../shared/transaction';
import { validName, validUuid } from '../shared/validation';
import type { AnalysisDecision } from './canary-analysis';
import {
  storedCanaryAnalysis,
  validBatching,
  validCanaryAnalysis,
  validCanaryWeight,
  validDeploymentName,
  validRetentionHours,
  type Batching,
  type CanaryAnalysisConfig,
  type Settings,
} from './deployment-config';
import {
  DeploymentRepository,
  DEPLOYMENT_CHANGED,
  type DeploymentChanges,
  type DeploymentRecord,
  type DeploymentRevisionRecord,
  type NewEvent,
} from './deployment.repository';
import { artifactKeys } from '@lepton/model-contract';

/** Prefix of deployment invoke keys (API tokens are `lep_…`). */
export const DEPLOYMENT_KEY_PREFIX = 'lepd_';

export interface CanaryInput {
  weight: number;
  analysis?: Settings<CanaryAnalysisConfig> | null;
}

export interface CreateDeploymentInput {
  project?: string | null;
  name: string;
  model: string;
  /** Exactly one of version and alias. */
  version?: number | null;
  /** Follow this alias: the deployment rolls to the alias's new version whenever it moves. */
  alias?: string | null;
  batching?: Settings<Batching> | null;
  /** With alias: roll the alias's new versions out as a canary (with analysis) instead of directly. */
  canary?: CanaryInput | null;
  logPayloads?: boolean | null;
  requestLogRetentionHours?: number | null;
}

export interface SetCanaryInput {
  name: string;
  version: number;
  weight: number;
  analysis?: Settings<CanaryAnalysisConfig> | null;
  /** Fields left out keep the stable revision's. */
  batching?: Settings<Batching> | null;
}

/** Where a model version's files are: its key in the artifact store, checked. */
export interface DeployableVersion {
  version: ModelVersionRecord;
  artifactKey: string;
}

type Tx = Prisma.TransactionClient;

/** Deployments are named by globally unique names; a project the caller cannot reach hides them. */
export class DeploymentService {
  private readonly deployments: DeploymentRepository;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly projects: ProjectService,
    private readonly versions: ModelVersionService,
    private readonly artifacts: ArtifactStore,
    private readonly bus: NotificationBus,
  ) {
    this.deployments = new DeploymentRepository(prisma);
  }

  async create(principal: Principal, input: CreateDeploymentInput): Promise<DeploymentRecord> {
    const project = await this.projects.access(principal, input.project, 'EDITOR');
    const name = validDeploymentName(input.name);
    const modelName = validName(input.model, 'model');
    if ((input.version == null) === (input.alias == null)) {
      throw badInput('Pass exactly one of version and alias', { field: input.version == null ? 'version' : 'alias' });
    }
    if (input.canary && input.alias == null) {
      throw badInput('canary applies to deployments that follow an alias (the canary policy for its new versions)', {
        field: 'canary',
      });
    }
    const batching = validBatching(input.batching);
    const aliasCanary = input.canary
      ? {
          weight: validCanaryWeight(input.canary.weight, 'canary.weight'),
          analysis: validCanaryAnalysis(input.canary.analysis, 'canary.analysis'),
        }
      : null;
    if (aliasCanary && aliasCanary.weight === 0)
      throw badInput('canary.weight must be between 1 and 100', { field: 'canary.weight' });
    const retention = validRetentionHours(input.requestLogRetentionHours);

    try {
      return await inTransaction(this.prisma, async (tx) => {
        const version =
          input.alias != null
            ? await this.versions.requireAliasTarget(tx, project, modelName, input.alias)
            : await this.versions.requireVersion(tx, project, modelName, input.version!);
        await this.requireDeployable(project, version, 'model version');
        const repository = new DeploymentRepository(tx);
        const created = await repository.create({
          projectId: project.id,
          name,
          modelId: version.modelId,
          followAlias: input.alias ?? null,
          aliasRollout: aliasCanary ? 'CANARY' : 'DIRECT',
          aliasCanaryWeight: aliasCanary?.weight ?? null,
          aliasCanaryAnalysis: (aliasCanary?.analysis ?? null) as Prisma.InputJsonValue | null,
          logPayloads: input.logPayloads ?? false,
          requestLogRetentionHours: retention,
          createdById: principal.userId,
        });
        const revision = await this.newRevision(repository, created, version, batching, principal);
        const deployment = await repository.update(created.id, { stableRevisionId: revision.id });
        const follows = input.alias != null ? ` (follows alias "${input.alias}")` : '';
        await this.recorded(tx, principal, project, deployment, {
          kind: 'CREATED',
          revisionId: revision.id,
          message: `Created with revision 1: ${modelName} v${version.number}${follows}`,
          details: { model: modelName, version: version.number, alias: input.alias ?? null, batching },
          action: 'deployment.create',
        });
        return deployment;
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw conflict(`The deployment name "${name}" is taken (names are unique across projects)`, { field: 'name' });
      throw error;
    }
  }

  /** Sends `weight` % of requests to a revision of `version` (a new revision unless it is the current canary's). */
  async setCanary(principal: Principal, input: SetCanaryInput): Promise<DeploymentRecord> {
    const weight = validCanaryWeight(input.weight);
    const analysis = validCanaryAnalysis(input.analysis);
    return inTransaction(this.prisma, async (tx) => {
      const { deployment, project, repository } = await this.requireForUpdate(tx, principal, input.name);
      const version = await this.versions.requireVersionOfModel(tx, deployment.modelId, input.version);
      const [stable, canary] = await this.revisionsOf(repository, deployment);
      if (stable.modelVersionId === version.id) {
        throw conflict(
          `Version ${version.number} is already the stable revision (${stable.number}) of "${deployment.name}"`,
          { field: 'version' },
        );
      }
      await this.requireDeployable(project, version, 'version');
      const batching = validBatching(input.batching, batchingOf(stable));
      const reuse = canary && canary.modelVersionId === version.id && sameBatching(batchingOf(canary), batching);
      const revision = reuse ? canary : await this.newRevision(repository, deployment, version, batching, principal);
      const updated = await repository.update(deployment.id, canaryChanges(revision.id, weight, analysis));
      await this.recorded(tx, principal, project, updated, {
        kind: 'CANARY_SET',
        revisionId: revision.id,
        message: `Canary revision ${revision.number} (v${version.number}) at ${weight}%${analysis ? ' with automatic analysis' : ''}`,
        details: {
          revision: revision.number,
          version: version.number,
          weight,
          analysis,
          replaced: canary && !reuse ? canary.number : null,
        },
        action: 'deployment.setCanary',
      });
      return updated;
    });
  }

  /** The canary becomes the stable revision and gets all traffic. */
  async promoteCanary(principal: Principal, name: string): Promise<DeploymentRecord> {
    return inTransaction(this.prisma, async (tx) => {
      const { deployment, project, repository } = await this.requireForUpdate(tx, principal, name);
      const [stable, canary] = await this.revisionsOf(repository, deployment);
      if (!canary) throw conflict(`Deployment "${deployment.name}" has no canary to promote`);
      const updated = await repository.update(deployment.id, promotion(deployment, canary.id));
      await this.recorded(tx, principal, project, updated, {
        kind: 'CANARY_PROMOTED',
        revisionId: canary.id,
        message: `Promoted canary revision ${canary.number} to stable (was revision ${stable.number})`,
        details: { revision: canary.number, previousRevision: stable.number },
        action: 'deployment.promote',
      });
      return updated;
    });
  }

  /**
   * Without `toRevision`: drops the canary if there is one, else goes back to the previous stable
   * revision (twice in a row flips between the two, like `kubectl rollout undo`). With it: that
   * revision becomes stable and any canary is dropped. No revision is created: traffic points at
   * the old, immutable one.
   */
  async rollback(principal: Principal, name: string, toRevision?: number | null): Promise<DeploymentRecord> {
    if (toRevision != null && (!Number.isInteger(toRevision) || toRevision < 1)) {
      throw badInput('toRevision must be a positive integer', { field: 'toRevision' });
    }
    return inTransaction(this.prisma, async (tx) => {
      const { deployment, project, repository } = await this.requireForUpdate(tx, principal, name);
      const [stable, canary] = await this.revisionsOf(repository, deployment);
      let target: DeploymentRevisionRecord;
      if (toRevision != null) {
        const found = await repository.findRevisionByNumber(deployment.id, toRevision);
        if (!found)
          throw notFound(`Deployment "${deployment.name}" has no revision ${toRevision}`, { field: 'toRevision' });
        target = found;
      } else if (canary) {
        target = stable;
      } else {
        const [previous] = deployment.previousRevisionId
          ? await repository.revisionsByIds([deployment.previousRevisionId])
          : [];
        if (!previous) throw conflict(`Deployment "${deployment.name}" has no previous revision to roll back to`);
        target = previous;
      }
      if (target.id === stable.id && !canary) {
        throw conflict(`Revision ${target.number} is already the stable revision of "${deployment.name}"`, {
          field: 'toRevision',
        });
      }
      const from = canary ?? stable;
      const changes: DeploymentChanges =
        target.id === stable.id
          ? clearedCanary()
          : { ...clearedCanary(), stableRevisionId: target.id, previousRevisionId: stable.id };
      const updated = await repository.update(deployment.id, changes);
      await this.recorded(tx, principal, project, updated, {
        kind: 'ROLLED_BACK',
        revisionId: target.id,
        message:
          target.id === stable.id
            ? `Rolled back canary revision ${from.number}; revision ${stable.number} serves everything`
            : `Rolled back to revision ${target.number} (from revision ${stable.number}${canary ? `, canary ${canary.number} dropped` : ''})`,
        details: { toRevision: target.number, fromRevision: from.number, droppedCanary: canary?.number ?? null },
        action: 'deployment.rollback',
      });
      return updated;
    });
  }

  /** Deletes the deployment with its revisions, keys, events, stats and request log; the audit trail keeps a record. */
  async delete(principal: Principal, name: string): Promise<boolean> {
    return inTransaction(this.prisma, async (tx) => {
      const { deployment, project, repository } = await this.requireForUpdate(tx, principal, name);
      const [stable, canary] = await this.revisionsOf(repository, deployment);
      await repository.update(deployment.id, { stableRevisionId: null, canaryRevisionId: null });
      await repository.delete(deployment.id);
      await new AuditRepository(tx).record(principal, {
        projectId: project.id,
        action: 'deployment.delete',
        targetType: 'deployment',
        targetId: deployment.id,
        details: { name: deployment.name, stableRevision: stable.number, canaryRevision: canary?.number ?? null },
      });
      await repository.notifyChanged(deployment.id);
      return true;
    });
  }

  /** A new invoke key for one deployment; the key itself is returned once and only its hash stored. */
  async createKey(principal: Principal, input: { deployment: string; name: string }) {
    const keyName = validName(input.name, 'name', 64);
    return inTransaction(this.prisma, async (tx) => {
      const { deployment, project, repository } = await this.requireForUpdate(
        tx,
        principal,
        input.deployment,
        'deployment',
      );
      const key = generateToken(DEPLOYMENT_KEY_PREFIX);
      const record = await repository.createKey({
        deploymentId: deployment.id,
        name: keyName,
        keyHash: hashToken(key),
        prefix: displayPrefix(key),
        createdById: principal.userId,
      });
      await this.recorded(tx, principal, project, deployment, {
        kind: 'KEY_CREATED',
        message: `Invoke key "${keyName}" (${record.prefix}…) created`,
        details: { keyId: record.id, name: keyName },
        action: 'deploymentKey.create',
        notify: false,
      });
      return { key, record };
    });
  }

  async revokeKey(principal: Principal, id: string) {
    const keyId = validUuid(id, 'id');
    return inTransaction(this.prisma, async (tx) => {
      const repository = new DeploymentRepository(tx);
      const existing = await repository.findKey(keyId);
      const [deployment] = existing ? await repository.findByIds([existing.deploymentId]) : [];
      if (!existing || !deployment || effectiveRole(principal, deployment.projectId) === null)
        throw notFound(`Deployment key ${keyId} does not exist`);
      const project = await this.projectOf(principal, deployment, 'EDITOR');
      if (existing.revokedAt) throw conflict(`Deployment key ${keyId} is already revoked`);
      const revoked = await repository.revokeKey(keyId, new Date());
      await this.recorded(tx, principal, project, deployment, {
        kind: 'KEY_REVOKED',
        message: `Invoke key "${existing.name}" (${existing.prefix}…) revoked`,
        details: { keyId, name: existing.name },
        action: 'deploymentKey.revoke',
      });
      return revoked;
    });
  }

  /**
   * Called inside the transaction that moves a model alias: deployments following it roll to the
   * new version, directly or as a canary, as each says. A version that cannot be served is not
   * followed (recorded as ALIAS_NOT_FOLLOWED); the alias still moves.
   */
  async followAlias(tx: Tx, principal: Principal, move: AliasMove): Promise<void> {
    const repository = new DeploymentRepository(tx);
    const followers = await repository.followersForUpdate(move.version.modelId, move.alias);
    for (const deployment of followers) {
      const [stable, canary] = await this.revisionsOf(repository, deployment);
      const version = move.version;
      const base = { version: version.number, alias: move.alias, rollout: deployment.aliasRollout };
      const isStable = stable.modelVersionId === version.id;
      const isCanary = canary?.modelVersionId === version.id;
      if (isStable && (!canary || deployment.aliasRollout === 'DIRECT')) continue;
      if (isCanary && deployment.aliasRollout === 'CANARY') continue;
      try {
        await this.requireDeployable(move.project, version, 'version');
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        await this.recorded(tx, principal, move.project, deployment, {
          kind: 'ALIAS_NOT_FOLLOWED',
          message: `Alias "${move.alias}" moved to v${version.number}, which cannot be served: ${error.message}`,
          details: { ...base, reason: error.reason },
          action: 'deployment.followAlias',
          notify: false,
        });
        continue;
      }
      let changes: DeploymentChanges;
      let revision: DeploymentRevisionRecord;
      let message: string;
      if (isStable) {
        // The alias came back to the stable version: the canary it started is dropped.
        revision = stable;
        changes = clearedCanary();
        message = `Alias "${move.alias}" moved back to v${version.number} (revision ${stable.number}); canary revision ${canary!.number} dropped`;
      } else if (deployment.aliasRollout === 'CANARY') {
        revision = await this.newRevision(repository, deployment, version, batchingOf(stable), principal);
        const analysis = storedCanaryAnalysis(deployment.aliasCanaryAnalysis);
        changes = canaryChanges(revision.id, deployment.aliasCanaryWeight ?? 10, analysis);
        message = `Alias "${move.alias}" moved to v${version.number}: canary revision ${revision.number} at ${deployment.aliasCanaryWeight ?? 10}%`;
      } else {
        revision = isCanary
          ? canary!
          : await this.newRevision(repository, deployment, version, batchingOf(stable), principal);
        changes = promotion(deployment, revision.id);
        message = `Alias "${move.alias}" moved to v${version.number}: revision ${revision.number} is stable (was revision ${stable.number})`;
      }
      const updated = await repository.update(deployment.id, changes);
      await this.recorded(tx, principal, move.project, updated, {
        kind: 'ALIAS_FOLLOWED',
        revisionId: revision.id,
        message,
        details: { ...base, revision: revision.number, previousStableRevision: stable.number },
        action: 'deployment.followAlias',
      });
    }
  }

  /**
   * Applies an automatic analysis decision, if the canary it judged is still the deployment's
   * canary. WAIT only stores the figures; PROMOTE and ROLL_BACK move traffic, recorded as a
   * deployment event and an audit event (no actor: the platform decided) with the figures.
   */
  async applyAnalysis(
    deploymentId: string,
    canaryRevisionId: string,
    decision: AnalysisDecision,
    at: Date,
  ): Promise<DeploymentRecord | null> {
    return inTransaction(this.prisma, async (tx) => {
      const repository = new DeploymentRepository(tx);
      const deployment = await repository.findByIdForUpdate(deploymentId);
      if (!deployment || deployment.canaryRevisionId !== canaryRevisionId) return null;
      const last = {
        verdict: decision.verdict,
        reason: decision.reason,
        figures: decision.figures,
        at: at.toISOString(),
      } as unknown as Prisma.InputJsonValue;
      if (decision.verdict === 'WAIT')
        return repository.update(deployment.id, { canaryLastAnalysis: last, canaryAnalyzedAt: at });
      const [stable, canary] = await this.revisionsOf(repository, deployment);
      const promote = decision.verdict === 'PROMOTE';
      const updated = await repository.update(
        deployment.id,
        promote ? promotion(deployment, canary!.id) : clearedCanary(),
      );
      const [project] = await this.projects.byIds([deployment.projectId]);
      await this.recorded(tx, null, project!, updated, {
        kind: promote ? 'ANALYSIS_PROMOTED' : 'ANALYSIS_ROLLED_BACK',
        revisionId: promote ? canary!.id : stable.id,
        message: `Canary revision ${canary!.number}: ${decision.reason}`,
        details: {
          verdict: decision.verdict,
          canaryRevision: canary!.number,
          stableRevision: stable.number,
          figures: decision.figures,
          analysis: deployment.canaryAnalysis,
        },
        action: promote ? 'deployment.analysisPromote' : 'deployment.analysisRollback',
      });
      return updated;
    });
  }

  // Reads. Lists check the project; nested fields read children of a deployment already reached.

  async list(principal: Principal, projectName: string | null | undefined, page: PageRequest) {
    const project = await this.projects.access(principal, projectName, 'VIEWER');
    const size = pageSize(page.first);
    const rows = await this.deployments.list(project.id, size + 1, decodeCursor<string>(page.after, 'string'));
    return toPage(rows, size, (row) => row.name);
  }

  /** null when there is none or it lies in a project the caller cannot reach (the same answer). */
  async get(principal: Principal, name: string): Promise<DeploymentRecord | null> {
    const deployment = await this.deployments.findByName(validDeploymentName(name));
    return deployment && effectiveRole(principal, deployment.projectId) !== null ? deployment : null;
  }

  /** As get, but NOT_FOUND instead of null and the role checked (for subscriptions and predictions). */
  async requireAccessible(principal: Principal, name: string, needed: Role): Promise<DeploymentRecord> {
    const deployment = await this.get(principal, name);
    if (!deployment) throw notFound(`Deployment "${name}" does not exist`);
    await this.projectOf(principal, deployment, needed);
    return deployment;
  }

  byIds(ids: readonly string[]) {
    return this.deployments.findByIds(ids);
  }

  /** By id, null when gone or out of the caller's reach (a subscription's later events). */
  async getById(principal: Principal, id: string): Promise<DeploymentRecord | null> {
    const [deployment] = await this.deployments.findByIds([id]);
    return deployment && effectiveRole(principal, deployment.projectId) !== null ? deployment : null;
  }

  /**
   * One item per committed change of the deployment (from any process); after the change that
   * deleted it, one last item and the end.
   */
  async *updates(deploymentId: string): AsyncGenerator<{ deploymentId: string }> {
    const changes = this.bus.subscribe<{ deploymentId: string }>(
      DEPLOYMENT_CHANGED,
      (payload) => payload?.deploymentId === deploymentId,
    );
    try {
      for await (const change of changes) {
        yield change;
        if ((await this.deployments.findByIds([deploymentId])).length === 0) return;
      }
    } finally {
      await changes.return?.();
    }
  }

  revisionsByIds(ids: readonly string[]) {
    return this.deployments.revisionsByIds(ids);
  }

  async revisionsOfDeployments(ids: readonly string[], page: PageRequest) {
    const size = pageSize(page.first);
    const rows = await this.deployments.revisionsOfDeployments(
      ids,
      size + 1,
      decodeCursor<number>(page.after, 'number'),
    );
    return new Map(
      ids.map(
        (id) =>
          [
            id,
            toPage(
              rows.filter((row) => row.deploymentId === id),
              size,
              (row) => row.number,
            ),
          ] as const,
      ),
    );
  }

  async revisionByNumber(deploymentId: string, number: number) {
    return this.deployments.findRevisionByNumber(deploymentId, number);
  }

  async events(deploymentId: string, page: PageRequest) {
    const size = pageSize(page.first);
    const before = decodeBigIntCursor(page.after);
    const rows = await this.deployments.listEvents(deploymentId, size + 1, before);
    return toPage(rows, size, (row) => row.id.toString());
  }

  keysOfDeployments(ids: readonly string[]) {
    return this.deployments.keysOfDeployments(ids);
  }

  /**
   * The artifact key of a servable version, or a domain error. This is the CVE-2023-1177 class
   * check: the URI must parse, with the store's own strict parser, as a key of this store (no
   * other scheme, host, bucket or root, no `..` or encoded segments), under the project's models.
   */
  async requireDeployable(project: ProjectRef, version: ModelVersionRecord, field: string): Promise<DeployableVersion> {
    if (version.status !== 'READY') {
      throw new DomainError(
        'MODEL_VERSION_NOT_DEPLOYABLE',
        `Version ${version.number} is ${version.status}; only READY versions can be deployed`,
        { field },
      );
    }
    if (version.framework !== 'tfjs-layers') {
      throw new DomainError(
        'MODEL_VERSION_NOT_DEPLOYABLE',
        `Version ${version.number} is a "${version.framework}" model; only tfjs-layers models can be served`,
        { field },
      );
    }
    const artifactKey = projectModelKey(this.artifacts, project.id, version.artifactUri);
    if (artifactKey === null) throw outsideStore(version, field);
    if (!(await this.artifacts.exists(`${artifactKey}/model.json`))) {
      throw new DomainError(
        'MODEL_VERSION_NOT_DEPLOYABLE',
        `Version ${version.number} has no model.json in the artifact store`,
        { field },
      );
    }
    return { version, artifactKey };
  }

  private async newRevision(
    repository: DeploymentRepository,
    deployment: DeploymentRecord,
    version: ModelVersionRecord,
    batching: Batching,
    principal: Principal,
  ) {
    const number = await repository.nextRevisionNumber(deployment.id);
    return repository.createRevision({
      deploymentId: deployment.id,
      number,
      modelVersionId: version.id,
      createdById: principal.userId,
      ...batching,
    });
  }

  /** The stable revision (always set) and the canary (or null). */
  private async revisionsOf(
    repository: DeploymentRepository,
    deployment: DeploymentRecord,
  ): Promise<[DeploymentRevisionRecord, DeploymentRevisionRecord | null]> {
    const ids = [deployment.stableRevisionId, deployment.canaryRevisionId].filter((id): id is string => id !== null);
    const revisions = await repository.revisionsByIds(ids);
    const stable = revisions.find((revision) => revision.id === deployment.stableRevisionId);
    if (!stable) throw new Error(`Deployment ${deployment.id} has no stable revision`);
    return [stable, revisions.find((revision) => revision.id === deployment.canaryRevisionId) ?? null];
  }

  /** Finds and locks a deployment the caller may change; NOT_FOUND for one it cannot reach. */
  private async requireForUpdate(tx: Tx, principal: Principal, name: string, field = 'name') {
    const repository = new DeploymentRepository(tx);
    const deployment = await repository.findByNameForUpdate(validDeploymentName(name, field));
    if (!deployment || effectiveRole(principal, deployment.projectId) === null)
      throw notFound(`Deployment "${name}" does not exist`, { field });
    const project = await this.projectOf(principal, deployment, 'EDITOR');
    return { deployment, project, repository };
  }

  private async projectOf(principal: Principal, deployment: DeploymentRecord, needed: Role): Promise<ProjectRef> {
    const [project] = await this.projects.byIds([deployment.projectId]);
    requireRole(principal, project!, needed);
    return project!;
  }

  /** The deployment event, the audit event and the notification of one change, in its transaction. */
  private async recorded(
    tx: Tx,
    principal: Principal | null,
    project: ProjectRef,
    deployment: DeploymentRecord,
    event: Omit<NewEvent, 'deploymentId' | 'actorId'> & { action: string; notify?: boolean },
  ): Promise<void> {
    const repository = new DeploymentRepository(tx);
    await repository.recordEvent({
      deploymentId: deployment.id,
      kind: event.kind,
      revisionId: event.revisionId ?? null,
      actorId: principal?.userId ?? null,
      message: event.message,
      details: event.details ?? {},
    });
    await new AuditRepository(tx).record(principal, {
      projectId: project.id,
      action: event.action,
      targetType: 'deployment',
      targetId: deployment.id,
      details: { name: deployment.name, ...(event.details ?? {}) },
    });
    if (event.notify !== false) await repository.notifyChanged(deployment.id);
  }
}

function outsideStore(version: ModelVersionRecord, field: string): DomainError {
  return new DomainError(
    'ARTIFACT_OUTSIDE_STORE',
    `Version ${version.number} cannot be deployed: its artifactUri is not inside this project's models in Lepton's artifact store ` +
      `(other schemes, hosts, buckets, absolute paths and '..' or %-encoded segments are refused)`,
    { field },
  );
}

/**
 * The key of a model's folder when `uri` is, by the store's own strict parser, a URI of this store
 * under the project's models (`models/<projectId>/…`, where training writes them); else null.
 */
export function projectModelKey(artifacts: ArtifactStore, projectId: string, uri: string): string | null {
  let key: string;
  try {
    key = artifacts.keyFromUri(uri);
  } catch (error) {
    if (error instanceof ArtifactKeyError) return null;
    throw error;
  }
  return key.startsWith(artifactKeys.projectModels(projectId)) ? key : null;
}

export function batchingOf(revision: DeploymentRevisionRecord): Batching {
  return {
    maxBatchSize: revision.maxBatchSize,
    maxQueueDelayMs: revision.maxQueueDelayMs,
    maxQueueSize: revision.maxQueueSize,
  };
}

function sameBatching(a: Batching, b: Batching): boolean {
  return (
    a.maxBatchSize === b.maxBatchSize && a.maxQueueDelayMs === b.maxQueueDelayMs && a.maxQueueSize === b.maxQueueSize
  );
}

function clearedCanary(): DeploymentChanges {
  return {
    canaryRevisionId: null,
    canaryWeight: 0,
    canaryAnalysis: null,
    canaryStartedAt: null,
    canaryLastAnalysis: null,
    canaryAnalyzedAt: null,
  };
}

function canaryChanges(revisionId: string, weight: number, analysis: CanaryAnalysisConfig | null): DeploymentChanges {
  return {
    canaryRevisionId: revisionId,
    canaryWeight: weight,
    canaryAnalysis: analysis as Prisma.InputJsonValue | null,
    canaryStartedAt: new Date(),
    canaryLastAnalysis: null,
    canaryAnalyzedAt: null,
  };
}

/** `revisionId` becomes stable; the old stable is remembered for rollback; any canary is gone. */
function promotion(deployment: DeploymentRecord, revisionId: string): DeploymentChanges {
  return { ...clearedCanary(), stableRevisionId: revisionId, previousRevisionId: deployment.stableRevisionId };
}
