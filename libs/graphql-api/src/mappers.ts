// What each GraphQL object type is resolved from (graphql-codegen mappers).
import type {
  AnalysisFigures,
  AnalysisVerdict,
  ApiTokenRecord,
  DeploymentEventRecord,
  DeploymentKeyRecord,
  DeploymentMetrics,
  DeploymentRecord,
  DeploymentRevisionRecord,
  MetricsPoint,
  PredictionResult,
  RequestSampleRecord,
  RevisionMetrics,
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

export type DeploymentSource = DeploymentRecord;
export type DeploymentRevisionSource = DeploymentRevisionRecord;
export type DeploymentEventSource = DeploymentEventRecord;
export type DeploymentKeySource = DeploymentKeyRecord;
export type RequestLogEntrySource = RequestSampleRecord;
export type DeploymentConnectionSource = Page<DeploymentRecord>;
export type DeploymentRevisionConnectionSource = Page<DeploymentRevisionRecord>;
export type DeploymentEventConnectionSource = Page<DeploymentEventRecord>;
export type RequestLogConnectionSource = Page<RequestSampleRecord>;
/** Canary and AliasFollowing are views of the deployment row. */
export type CanarySource = DeploymentRecord;
export type AliasFollowingSource = DeploymentRecord;
export interface TrafficSplitSource {
  revisionId: string;
  weight: number;
}
export type DeploymentMetricsSource = DeploymentMetrics;
export type RevisionMetricsSource = RevisionMetrics;
export type DeploymentMetricsPointSource = MetricsPoint;
/** As stored in deployment.canary_last_analysis. */
export interface CanaryAnalysisResultSource {
  verdict: AnalysisVerdict;
  reason: string;
  figures: AnalysisFigures;
  at: string;
}
export type PredictResultSource = PredictionResult;
export interface CreateDeploymentKeyResultSource {
  key: string;
  record: DeploymentKeyRecord;
}

export type { DemoView as ScenarioDemoSource, ScenarioView as ScenarioSource, FeatureSummary as ScenarioFeatureSource } from '@lepton/scenarios';
export type { ScenarioStep as ScenarioStepSource } from '@lepton/scenarios';
/** The demo's latest retraining, as stored on its row. */
export type { StoredRetraining as ScenarioRetrainingSource } from '@lepton/scenarios';
export type { ThresholdPoint as ThresholdPointSource } from '@lepton/registry';
