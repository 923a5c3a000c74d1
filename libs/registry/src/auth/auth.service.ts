import type { PrismaClient, Role } from '@lepton/db';
import { AuditRepository } from '../audit/audit.repository';
import { DEFAULT_PROJECT } from '../project/project.service';
import { ProjectRepository } from '../project/project.repository';
import type { ProjectService } from '../project/project.service';
import { badInput, conflict, forbidden, notFound, unauthenticated } from '../shared/domain-error';
import { inTransaction } from '../shared/transaction';
import { LIMITS, validName, validUuid } from '../shared/validation';
import { AuthRepository } from './auth.repository';
import { effectiveRole, type Principal } from './principal';
import { bearerToken, displayPrefix, generateToken, hashToken, MIN_TOKEN_LENGTH } from './token';

export interface BootstrapResult {
  /** Set only when this call created the first admin. */
  adminToken?: string;
  generated: boolean;
}

export class AuthService {
  private readonly repository: AuthRepository;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly projects: ProjectService,
  ) {
    this.repository = new AuthRepository(prisma);
  }

  /** `Authorization` header → Principal, or UNAUTHENTICATED. */
  async authenticate(authorization: string | undefined | null): Promise<Principal> {
    const token = bearerToken(authorization);
    if (!token) throw unauthenticated('Send a token: Authorization: Bearer <token>');
    const record = await this.repository.findActiveTokenByHash(hashToken(token));
    if (!record) throw unauthenticated('The token is invalid or has been revoked');
    const now = new Date();
    if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() > 60_000) {
      this.repository.touchToken(record.id, now).catch(() => undefined);
    }
    return principalOf(record);
  }

  /**
   * The principal of a token by id, exactly as authenticate would give it, for work done later on
   * a caller's behalf (scenario preparation); UNAUTHENTICATED once the token is revoked.
   */
  async principalOfToken(tokenId: string): Promise<Principal> {
    const record = await this.repository.findActiveTokenById(tokenId);
    if (!record) throw unauthenticated('The token that asked for this has been revoked');
    return principalOf(record);
  }

  /**
   * On an empty database, creates the `admin` user (ADMIN of `default`) and its first token:
   * `presetToken` when given (LEPTON_BOOTSTRAP_TOKEN), else a random one returned once.
   */
  async bootstrap(presetToken?: string): Promise<BootstrapResult> {
    if (presetToken !== undefined && presetToken.length < MIN_TOKEN_LENGTH) {
      throw badInput(`LEPTON_BOOTSTRAP_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters`);
    }
    return inTransaction(this.prisma, async (tx) => {
      // Several API processes may start at once; one of them bootstraps.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(4242001)`;
      const repository = new AuthRepository(tx);
      if ((await repository.countUsers()) > 0) return { generated: false };
      const project = await new ProjectRepository(tx).findByName(DEFAULT_PROJECT);
      if (!project) throw new Error('The default project is missing: migrations did not run');
      const user = await repository.createUser('admin');
      await repository.upsertMembership(project.id, user.id, 'ADMIN');
      const token = presetToken ?? generateToken();
      await repository.createToken({
        userId: user.id,
        projectId: null,
        name: 'bootstrap',
        role: null,
        tokenHash: hashToken(token),
        prefix: displayPrefix(token),
      });
      return { adminToken: token, generated: presetToken === undefined };
    });
  }

  async createApiToken(principal: Principal, input: { project?: string | null; name: string; role: Role; user?: string | null }) {
    const project = await this.projects.access(principal, input.project, 'ADMIN');
    const name = validName(input.name, 'name', 64);
    return inTransaction(this.prisma, async (tx) => {
      const repository = new AuthRepository(tx);
      let ownerId = principal.userId;
      if (input.user && input.user !== principal.userName) {
        const owner = await repository.findUserByName(input.user);
        const members = owner ? await repository.listMembers(project.id) : [];
        if (!owner || !members.some((member) => member.user.id === owner.id)) {
          throw notFound(`User "${input.user}" is not a member of project "${project.name}"`);
        }
        ownerId = owner.id;
      }
      const token = generateToken();
      const apiToken = await repository.createToken({
        userId: ownerId,
        projectId: project.id,
        name,
        role: input.role,
        tokenHash: hashToken(token),
        prefix: displayPrefix(token),
      });
      await new AuditRepository(tx).record(principal, {
        projectId: project.id,
        action: 'apiToken.create',
        targetType: 'apiToken',
        targetId: apiToken.id,
        details: { name, role: input.role },
      });
      return { token, apiToken };
    });
  }

  /** Project ADMINs revoke the project's tokens; anyone may revoke a token they own. */
  async revokeApiToken(principal: Principal, id: string) {
    const tokenId = validUuid(id, 'id');
    const existing = await this.repository.findToken(tokenId);
    if (!existing) throw notFound(`API token ${tokenId} does not exist`);
    const isOwner = existing.user.id === principal.userId && principal.tokenProjectId === null;
    const projectId = existing.projectId;
    const isAdmin = projectId !== null && effectiveRole(principal, projectId) === 'ADMIN';
    if (!isOwner && !isAdmin) {
      if (projectId !== null && effectiveRole(principal, projectId) === null) throw notFound(`API token ${tokenId} does not exist`);
      throw forbidden('Only the project ADMIN or the owner may revoke this token');
    }
    if (existing.revokedAt) throw conflict(`API token ${tokenId} is already revoked`);
    return inTransaction(this.prisma, async (tx) => {
      const revoked = await new AuthRepository(tx).revokeToken(tokenId, new Date());
      await new AuditRepository(tx).record(principal, {
        projectId,
        action: 'apiToken.revoke',
        targetType: 'apiToken',
        targetId: tokenId,
      });
      return revoked;
    });
  }

  async tokenOf(principal: Principal) {
    const token = await this.repository.findToken(principal.tokenId);
    if (!token) throw unauthenticated('The token is invalid or has been revoked');
    return token;
  }

  async listApiTokens(principal: Principal, projectName?: string | null) {
    const project = await this.projects.access(principal, projectName, 'ADMIN');
    return this.repository.listTokens(project.id);
  }

  /** For nested fields (who created a deployment): the caller already reached the parent. */
  usersByIds(ids: readonly string[]) {
    return this.repository.findUsersByIds(ids);
  }

  async listMembers(principal: Principal, projectName?: string | null) {
    const project = await this.projects.access(principal, projectName, 'VIEWER');
    return this.repository.listMembers(project.id);
  }

  /** Adds (creating the user if new) or re-roles a member. */
  async addProjectMember(principal: Principal, input: { project?: string | null; user: string; role: Role }) {
    const project = await this.projects.access(principal, input.project, 'ADMIN');
    const userName = validName(input.user, 'user', LIMITS.projectName);
    return inTransaction(this.prisma, async (tx) => {
      const repository = new AuthRepository(tx);
      const user = (await repository.findUserByName(userName)) ?? (await repository.createUser(userName));
      if (input.role !== 'ADMIN') await this.keepAnAdmin(repository, project.id, user.id);
      const membership = await repository.upsertMembership(project.id, user.id, input.role);
      await new AuditRepository(tx).record(principal, {
        projectId: project.id,
        action: 'member.set',
        targetType: 'user',
        targetId: user.id,
        details: { user: userName, role: input.role },
      });
      return membership;
    });
  }

  async removeProjectMember(principal: Principal, input: { project?: string | null; user: string }) {
    const project = await this.projects.access(principal, input.project, 'ADMIN');
    return inTransaction(this.prisma, async (tx) => {
      const repository = new AuthRepository(tx);
      const user = await repository.findUserByName(validName(input.user, 'user', LIMITS.projectName));
      if (!user) throw notFound(`User "${input.user}" does not exist`);
      await this.keepAnAdmin(repository, project.id, user.id);
      if (!(await repository.deleteMembership(project.id, user.id))) {
        throw notFound(`User "${input.user}" is not a member of project "${project.name}"`);
      }
      await new AuditRepository(tx).record(principal, {
        projectId: project.id,
        action: 'member.remove',
        targetType: 'user',
        targetId: user.id,
        details: { user: input.user },
      });
      return true;
    });
  }

  /** A project must never lose its last ADMIN, or nobody could manage it again. */
  private async keepAnAdmin(repository: AuthRepository, projectId: string, userId: string): Promise<void> {
    const members = await repository.listMembers(projectId);
    const admins = members.filter((member) => member.role === 'ADMIN');
    if (admins.length === 1 && admins[0]!.user.id === userId) {
      throw conflict('This would leave the project without an ADMIN');
    }
  }
}

type ActiveToken = NonNullable<Awaited<ReturnType<AuthRepository['findActiveTokenById']>>>;

function principalOf(record: ActiveToken): Principal {
  return {
    userId: record.user.id,
    userName: record.user.name,
    tokenId: record.id,
    tokenProjectId: record.projectId,
    tokenRole: record.role,
    memberships: new Map(record.user.memberships.map((m) => [m.projectId, m.role])),
  };
}
