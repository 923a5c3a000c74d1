export { createRegistry } from './registry';
export type { Registry, RegistryDependencies } from './registry';
export { DomainError, isDomainError } from './shared/domain-error';
export type { DomainErrorReason } from './shared/domain-error';
export type { Page, PageRequest } from './shared/pagination';
export type { Principal } from './auth/principal';
export { reachableProjects } from './auth/principal';
export { MIN_TOKEN_LENGTH } from './auth/token';
export { DEFAULT_PROJECT } from './project/project.service';
export type { DatasetRecord, DatasetVersionRecord } from './dataset/dataset.repository';
export type { ModelRecord } from './model/model.repository';
export type { ModelVersionRecord, ModelAliasRecord } from './model-version/model-version.repository';
export type { RunRecord, RunLease } from './run/run.repository';
export type { RunUpdatedEvent } from './run/run.service';
export { runLease } from './run/run-lease';
export type { RunLeaseView, RunLeaseState } from './run/run-lease';
export type { EvaluationRecord } from './evaluation/evaluation.repository';
export { thresholdCurve, outcomesAuc, MIN_CURVE_POINTS, MAX_CURVE_POINTS } from './evaluation/threshold-curve';
export type { ThresholdPoint, BinaryOutcomes } from './evaluation/threshold-curve';
export type { ApiTokenRecord } from './auth/auth.repository';
export type { MetricSeries, SeriesPoint, MetricsLoggedEvent, LatestMetric } from './metric/metric.service';
export { MAX_POINTS_PER_BATCH } from './metric/metric.service';
export type { UploadRecord } from './upload/upload.repository';
export { DEFAULT_MAX_UPLOAD_BYTES } from './upload/upload.service';
export type { ClaimedRun, TrainedVersion, ProgressReport, ReapedRun } from './training/training-worker.service';
export { MAX_LOST_LEASES } from './training/training-worker.service';
export type { PromotionDecision, PromotionPolicy } from './training/promotion.service';
export type { MetricRow } from './metric/metric.repository';
export type { ImportedSchema } from './dataset/dataset-import.service';
export type { DeploymentRecord, DeploymentRevisionRecord, DeploymentEventRecord, DeploymentKeyRecord } from './deployment/deployment.repository';
export { DEPLOYMENT_CHANGED } from './deployment/deployment.repository';
export type { CreateDeploymentInput, SetCanaryInput, CanaryInput } from './deployment/deployment.service';
export { DEPLOYMENT_KEY_PREFIX } from './deployment/deployment.service';
export { DEFAULT_BATCHING, DEFAULT_CANARY_ANALYSIS, DEFAULT_REQUEST_LOG_RETENTION_HOURS, storedCanaryAnalysis } from './deployment/deployment-config';
export type { Batching, CanaryAnalysisConfig } from './deployment/deployment-config';
export { decideCanary, LATENCY_RATIO_FLOOR_MS } from './deployment/canary-analysis';
export type { AnalysisDecision, AnalysisFigures, AnalysisVerdict, WindowStats } from './deployment/canary-analysis';
export type { AnalysisOutcome } from './deployment/canary-analysis.service';
export { DeploymentCatalog, INVOKE_AUTH_CACHE_MS } from './deployment/deployment-catalog';
export type { CatalogDeployment, CatalogRevision, DeploymentChanged, InvokeGrant } from './deployment/deployment-catalog';
export {
  RequestStatsAccumulator,
  RequestSampler,
  LATENCY_BUCKETS_MS,
  STATS_BUCKET_SECONDS,
  histogramQuantile,
} from './deployment/request-stats';
export type { RequestOutcome, RequestStatsRow, RecordedRequest } from './deployment/request-stats';
export type { RequestSample, RequestSampleRecord } from './deployment/request-stats.repository';
export { STATS_RETENTION_DAYS } from './deployment/request-stats.repository';
export type { DeploymentMetrics, RevisionMetrics, MetricsPoint } from './deployment/request-stats.service';
export { SERVING_HEARTBEAT_SECONDS, SERVING_INSTANCE_TTL_SECONDS } from './deployment/serving-instance.repository';
export type { InstanceReport, ServingInstanceRecord } from './deployment/serving-instance.repository';
export { revisionServingState } from './deployment/serving-instance.service';
export type { RevisionServingState, RevisionState } from './deployment/serving-instance.service';
export { startDeploymentMaintenance, MAINTENANCE_LOCK_KEY } from './deployment/deployment-maintenance';
export type { DeploymentMaintenance } from './deployment/deployment-maintenance';
export { DEFAULT_SERVING_URL, MAX_PREDICT_BODY_BYTES, MAX_PREDICT_INSTANCES } from './deployment/prediction.service';
export type { PredictionResult } from './deployment/prediction.service';
