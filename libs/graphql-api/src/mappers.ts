// What each GraphQL object type is resolved from (graphql-codegen mappers).
import type {
  ApiTokenRecord,
  DatasetRecord,
  DatasetVersionRecord,
  EvaluationRecord,
  LatestMetric,
  MetricsLoggedEvent,
  MetricSeries,
  ModelAliasRecord,
  ModelRecord,
  ModelVersionRecord,
  Page,
  Principal,
  PromotionDecision,
  RunRecord,
  SeriesPoint,
} from '@lepton/registry';

export type {
  ApiTokenRecord,
  DatasetRecord,
  DatasetVersionRecord,
  EvaluationRecord,
  LatestMetric,
  ModelAliasRecord,
  ModelRecord,
  ModelVersionRecord,
  RunRecord,
  SeriesPoint,
};

export type MetricSeriesSource = MetricSeries;
export type MetricsLoggedEventSource = MetricsLoggedEvent;

export type ViewerSource = Principal;
export interface ProjectSource {
  id: string;
  name: string;
  description: string;
  createdAt: Date;
}
export interface UserSource {
  id: string;
  name: string;
}
export interface MembershipSource {
  projectId: string;
  role: 'VIEWER' | 'EDITOR' | 'ADMIN';
}
export interface MemberSource {
  user: UserSource;
  role: 'VIEWER' | 'EDITOR' | 'ADMIN';
  createdAt: Date;
}
export interface AuditEventSource {
  id: bigint;
  action: string;
  targetType: string;
  targetId: string;
  details: unknown;
  createdAt: Date;
  actor: { name: string } | null;
}

export type AuditEventConnectionSource = Page<AuditEventSource>;
export type DatasetConnectionSource = Page<DatasetRecord>;
export type DatasetVersionConnectionSource = Page<DatasetVersionRecord>;
export type ModelConnectionSource = Page<ModelRecord>;
export type ModelVersionConnectionSource = Page<ModelVersionRecord>;
export type RunConnectionSource = Page<RunRecord>;

export type PromotionDecisionSource = PromotionDecision;
