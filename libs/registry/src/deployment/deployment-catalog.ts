import type { ArtifactStore } from '@lepton/artifacts';
import type { NotificationBus, PrismaClient } from '@lepton/db';
import type { AuthService } from '../auth/auth.service';
import { effectiveRole } from '../auth/principal';
import { bearerToken, hashToken } from '../auth/token';
import { DomainError, isDomainError, notFound, unauthenticated } from '../shared/domain-error';
import type { Batching } from './deployment-config';
import {
  DeploymentCatalogRepository,
  DeploymentRepository,
  DEPLOYMENT_CHANGED,
  type CatalogRow,
} from './deployment.repository';
import { batchingOf, DEPLOYMENT_KEY_PREFIX, projectModelKey } from './deployment.service';
import type { RequestSample } from './request-stats.repository';
import type { RequestStatsService } from './request-stats.service';
import type { RequestStatsRow } from './request-stats';
import type { InstanceReport } from './serving-instance.repository';
import type { ServingInstanceService } from './serving-instance.service';

export interface CatalogRevision {
  id: string;
  number: number;
  batching: Batching;
  modelVersion: {
    id: string;
    number: number;
    model: string;
    artifactUri: string;
    /** The version's folder in the artifact store, checked with the store's own parser (load `<artifactKey>/model.json`). */
    artifactKey: string;
    framework: string;
    inputSignature: unknown;
    outputSignature: unknown;
  };
  /**
   * The training dataset version: its stored schema (kind, featureShape, classes, features, label, preprocessing, ...),
   * and where its files are with their content hash (serving reads the fitted preprocessing from its manifest.json).
   */
  trainingDataset: { id: string; schema: unknown; storageUri: string; contentSha256: string } | null;
}

export interface CatalogDeployment {
  id: string;
  name: string;
  projectId: string;
  logPayloads: boolean;
  updatedAt: Date;
  stable: CatalogRevision;
  /** Gets `weight` % of requests (0..100), once loaded and ready in the serving process. */
  canary: (CatalogRevision & { weight: number }) | null;
}

export interface DeploymentChanged {
  deploymentId: string;
}

/** Who may invoke: a project token (VIEWER or more) or one of the deployment's invoke keys. */
export interface InvokeGrant {
  deploymentId: string;
  via: 'token' | 'key';
  tokenId?: string;
  keyId?: string;
}

/** Positive answers of authorizeInvoke are reused this long: revoking a token or key takes effect on serving within it. */
export const INVOKE_AUTH_CACHE_MS = 1000;

/**
 * What serving processes need from the control plane: the deployments to serve (and word when
 * they change), who may call them, and where their statistics, request log and heartbeats go.
 */
export class DeploymentCatalog {
  private readonly grants = new Map<string, { grant: InvokeGrant; expires: number }>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly bus: NotificationBus,
    private readonly artifacts: ArtifactStore,
    private readonly auth: AuthService,
    private readonly stats: RequestStatsService,
    private readonly instances: ServingInstanceService,
    private readonly log: (line: string) => void = (line) => console.warn(line),
  ) {}

  async loadAll(): Promise<CatalogDeployment[]> {
    return this.entries(await new DeploymentCatalogRepository(this.prisma).load());
  }

  /** null: the deployment no longer exists (unload it). */
  async load(deploymentId: string): Promise<CatalogDeployment | null> {
    const [entry] = this.entries(await new DeploymentCatalogRepository(this.prisma).load([deploymentId]));
    return entry ?? null;
  }

  /** Every committed change to any deployment (create, traffic moves, delete, keys, revisions ready or failed). */
  changes(): AsyncIterableIterator<DeploymentChanged> {
    return this.bus.subscribe<DeploymentChanged>(
      DEPLOYMENT_CHANGED,
      (payload) => typeof payload?.deploymentId === 'string',
    );
  }

  /**
   * `Authorization: Bearer lep_…` (a token reaching the deployment's project) or `Bearer lepd_…`
   * (a key of this deployment). UNAUTHENTICATED without a valid one; NOT_FOUND for a deployment
   * that does not exist or that the credential cannot reach (the same answer: no oracle).
   */
  async authorizeInvoke(authorization: string | undefined | null, deploymentName: string): Promise<InvokeGrant> {
    const token = bearerToken(authorization);
    if (!token) throw unauthenticated('Send a token or deployment key: Authorization: Bearer <token>');
    const cacheKey = `${hashToken(token)}|${deploymentName}`;
    const cached = this.grants.get(cacheKey);
    if (cached && cached.expires > Date.now()) return cached.grant;
    const grant = await this.authorize(token, authorization!, deploymentName);
    if (this.grants.size > 10_000) this.grants.clear();
    this.grants.set(cacheKey, { grant, expires: Date.now() + INVOKE_AUTH_CACHE_MS });
    return grant;
  }

  /** Adds a serving process's statistics (rows from RequestStatsAccumulator.drain()). */
  recordStats(rows: readonly RequestStatsRow[]): Promise<void> {
    return this.stats.record(rows);
  }

  recordSamples(samples: readonly RequestSample[]): Promise<void> {
    return this.stats.recordSamples(samples);
  }

  heartbeatInstance(report: InstanceReport): Promise<void> {
    return this.instances.heartbeat(report);
  }

  removeInstance(id: string): Promise<void> {
    return this.instances.remove(id);
  }

  private async authorize(token: string, authorization: string, deploymentName: string): Promise<InvokeGrant> {
    const repository = new DeploymentRepository(this.prisma);
    const missing = () => notFound(`Deployment "${deploymentName.slice(0, 80)}" does not exist`);
    if (token.startsWith(DEPLOYMENT_KEY_PREFIX)) {
      const key = await repository.findActiveKeyByHash(hashToken(token));
      if (!key) throw unauthenticated('The deployment key is invalid or has been revoked');
      const deployment = await repository.findByName(deploymentName);
      if (!deployment || deployment.id !== key.deploymentId) throw missing();
      const now = new Date();
      if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > 60_000)
        repository.touchKey(key.id, now).catch(() => undefined);
      return { deploymentId: deployment.id, via: 'key', keyId: key.id };
    }
    const principal = await this.auth.authenticate(authorization);
    const deployment = await repository.findByName(deploymentName);
    if (!deployment || effectiveRole(principal, deployment.projectId) === null) throw missing();
    return { deploymentId: deployment.id, via: 'token', tokenId: principal.tokenId };
  }

  private entries(rows: CatalogRow[]): CatalogDeployment[] {
    return rows.flatMap((row) => {
      try {
        const stable = this.revision(row.projectId, row.stableRevision!);
        const canary = row.canaryRevision
          ? { ...this.revision(row.projectId, row.canaryRevision), weight: row.canaryWeight }
          : null;
        return [
          {
            id: row.id,
            name: row.name,
            projectId: row.projectId,
            logPayloads: row.logPayloads,
            updatedAt: row.updatedAt,
            stable,
            canary,
          },
        ];
      } catch (error) {
        // Checked at deploy time; a store moved since (another LEPTON_ARTIFACT_STORE) must not be read blindly.
        if (!isDomainError(error, 'ARTIFACT_OUTSIDE_STORE')) throw error;
        this.log(`[catalog] not serving deployment "${row.name}": ${error.message}`);
        return [];
      }
    });
  }

  private revision(projectId: string, row: NonNullable<CatalogRow['stableRevision']>): CatalogRevision {
    const version = row.modelVersion;
    const artifactKey = projectModelKey(this.artifacts, projectId, version.artifactUri);
    if (artifactKey === null) {
      throw new DomainError(
        'ARTIFACT_OUTSIDE_STORE',
        `model version ${version.number}'s artifactUri is not inside the project's models in the artifact store`,
      );
    }
    return {
      id: row.id,
      number: row.number,
      batching: batchingOf(row),
      modelVersion: {
        id: version.id,
        number: version.number,
        model: version.model.name,
        artifactUri: version.artifactUri,
        artifactKey,
        framework: version.framework,
        inputSignature: version.inputSignature,
        outputSignature: version.outputSignature,
      },
      trainingDataset: readyDataset(version.trainingDatasetVersion),
    };
  }
}

/** The training data a revision's preprocessing comes from: only a READY version has any. */
function readyDataset(
  version: { id: string; schema: unknown; storageUri: string | null; contentSha256: string | null } | null,
): CatalogRevision['trainingDataset'] {
  if (!version || version.storageUri === null || version.contentSha256 === null) return null;
  return { id: version.id, schema: version.schema, storageUri: version.storageUri, contentSha256: version.contentSha256 };
}
