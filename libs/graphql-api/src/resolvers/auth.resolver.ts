import { reachableProjects } from '@lepton/registry';
import type { Resolvers } from '../generated/resolvers-types';
import { connectionResolvers } from './connection';

export const authResolvers: Resolvers = {
  Query: {
    viewer: (_, __, { principal }) => principal,
    projects: (_, __, { principal, registry }) => registry.projects.listVisible(principal),
    members: (_, args, { principal, registry }) => registry.auth.listMembers(principal, args.project),
    apiTokens: (_, args, { principal, registry }) => registry.auth.listApiTokens(principal, args.project),
    auditEvents: (_, args, { principal, registry }) => registry.audit.list(principal, args.project, args),
  },
  Mutation: {
    createProject: (_, { input }, { principal, registry }) => registry.projects.create(principal, input),
    addProjectMember: (_, { input }, { principal, registry }) => registry.auth.addProjectMember(principal, input),
    removeProjectMember: (_, args, { principal, registry }) => registry.auth.removeProjectMember(principal, args),
    createApiToken: (_, { input }, { principal, registry }) => registry.auth.createApiToken(principal, input),
    revokeApiToken: (_, { id }, { principal, registry }) => registry.auth.revokeApiToken(principal, id),
  },
  Viewer: {
    user: (principal) => ({ id: principal.userId, name: principal.userName }),
    token: (principal, _, { registry }) => registry.auth.tokenOf(principal),
    memberships: (principal) => reachableProjects(principal),
  },
  Membership: {
    project: async (membership, _, { loaders }) => (await loaders.project.load(membership.projectId))!,
  },
  ApiToken: {
    project: async (token, _, { loaders }) => (token.projectId ? loaders.project.load(token.projectId) : null),
  },
  AuditEvent: {
    id: (event) => event.id.toString(),
    actor: (event) => event.actor?.name ?? null,
  },
  AuditEventConnection: connectionResolvers(),
};
