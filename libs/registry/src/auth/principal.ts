import type { Role } from '@lepton/db';
import { forbidden } from '../shared/domain-error';

const RANK: Record<Role, number> = { VIEWER: 1, EDITOR: 2, ADMIN: 3 };

/** Who is calling: the token's owner, narrowed by the token's own project scope and role cap. */
export interface Principal {
  userId: string;
  userName: string;
  tokenId: string;
  /** Set when the token may reach only this project. */
  tokenProjectId: string | null;
  /** Set when the token grants less than its owner's membership. */
  tokenRole: Role | null;
  /** projectId -> the owner's role there. */
  memberships: ReadonlyMap<string, Role>;
}

export interface ProjectRef {
  id: string;
  name: string;
}

export function atLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

export function effectiveRole(principal: Principal, projectId: string): Role | null {
  if (principal.tokenProjectId !== null && principal.tokenProjectId !== projectId) return null;
  const membership = principal.memberships.get(projectId);
  if (!membership) return null;
  if (principal.tokenRole && RANK[principal.tokenRole] < RANK[membership]) return principal.tokenRole;
  return membership;
}

export function requireRole(principal: Principal, project: ProjectRef, needed: Role): void {
  const role = effectiveRole(principal, project.id);
  if (!role) throw forbidden(`This token has no access to project "${project.name}"`);
  if (!atLeast(role, needed)) throw forbidden(`This needs the ${needed} role in project "${project.name}"; the token has ${role}`);
}

/** For ids that name a resource directly (runs, tokens): its project must be reachable. */
export function canRead(principal: Principal, projectId: string): boolean {
  return effectiveRole(principal, projectId) !== null;
}

/** The projects this principal can reach, with the role it has in each. */
export function reachableProjects(principal: Principal): { projectId: string; role: Role }[] {
  return [...principal.memberships.keys()].flatMap((projectId) => {
    const role = effectiveRole(principal, projectId);
    return role ? [{ projectId, role }] : [];
  });
}
