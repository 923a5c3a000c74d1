import type { ArtifactStore } from '@lepton/artifacts';
import { importLimitsFromEnv, type ImportLimits } from '@lepton/datasets';
import type { Database, NotificationBus } from '@lepton/db';
import type { JobQueue } from '@lepton/jobs';
import { AuditService } from './audit/audit.service';
import { AuthService } from './auth/auth.service';
import { DatasetImportWorkerService } from './dataset/dataset-import-worker.service';
import { DatasetImportService } from './dataset/dataset-import.service';
import { DatasetService } from './dataset/dataset.service';
import { CanaryAnalysisService } from './deployment/canary-analysis.service';
import { DeploymentCatalog } from './deployment/deployment-catalog';
import { DeploymentService } from './deployment/deployment.service';
import { PredictionService } from './deployment/prediction.service';
import { RequestStatsService } from './deployment/request-stats.service';
import { ServingInstanceService } from './deployment/serving-instance.service';
import { EvaluationService } from './evaluation/evaluation.service';
import { MetricService } from './metric/metric.service';
import { ModelVersionService } from './model-version/model-version.service';
import { ModelService } from './model/model.service';
import { ProjectService } from './project/project.service';
import { RunService } from './run/run.service';
import { PromotionService } from './training/promotion.service';
import { TrainingWorkerService } from './training/training-worker.service';
import { TrainingService } from './training/training.service';
import { UploadService } from './upload/upload.service';

/** The domain, wired once per process and shared by every request. */
export interface Registry {
  auth: AuthService;
  projects: ProjectService;
  datasets: DatasetService;
  datasetImports: DatasetImportService;
  /** The worker's half of imports: parses queued uploads. */
  datasetImportWorker: DatasetImportWorkerService;
  uploads: UploadService;
  models: ModelService;
  versions: ModelVersionService;
  runs: RunService;
  metrics: MetricService;
  evaluations: EvaluationService;
  audit: AuditService;
  training: TrainingService;
  trainingWorker: TrainingWorkerService;
  promotion: PromotionService;
  deployments: DeploymentService;
  requestStats: RequestStatsService;
  servingInstances: ServingInstanceService;
  canaryAnalysis: CanaryAnalysisService;
  predictions: PredictionService;
  /** What serving processes read and write. */
  deploymentCatalog: DeploymentCatalog;
}

export interface RegistryDependencies {
  /** Where uploads, prepared datasets and models live. */
  artifacts: ArtifactStore;
  /** The training and import queue, started on first use (API processes that never train never start it). */
  queue: () => Promise<JobQueue>;
  /** Caps on what an import reads; default: the LEPTON_IMPORT_* variables, else the defaults. */
  importLimits?: ImportLimits;
  /** LEPTON_SERVING_URL: where the API forwards predictions (else a live serving instance, else port 4001). */
  servingUrl?: string;
}

export function createRegistry(db: Database, bus: NotificationBus, dependencies: RegistryDependencies): Registry {
  const projects = new ProjectService(db.prisma);
  const versions = new ModelVersionService(db.prisma, projects);
  const runs = new RunService(db.prisma, projects, bus);
  const metrics = new MetricService(db.pool, runs, bus);
  const uploads = new UploadService(db.prisma, projects, dependencies.artifacts);
  const auth = new AuthService(db.prisma, projects);
  const deployments = new DeploymentService(db.prisma, projects, versions, dependencies.artifacts, bus);
  versions.onAliasMoved((tx, principal, move) => deployments.followAlias(tx, principal, move));
  const requestStats = new RequestStatsService(db.prisma);
  const servingInstances = new ServingInstanceService(db.prisma);
  const importLimits = dependencies.importLimits ?? importLimitsFromEnv();
  return {
    auth,
    projects,
    datasets: new DatasetService(db.prisma, projects),
    datasetImports: new DatasetImportService(db.prisma, projects, uploads, bus, dependencies.queue, importLimits),
    datasetImportWorker: new DatasetImportWorkerService(db.prisma, bus, dependencies.artifacts, importLimits),
    uploads,
    models: new ModelService(db.prisma, projects),
    versions,
    runs,
    metrics,
    evaluations: new EvaluationService(db.prisma, projects, versions),
    audit: new AuditService(db.prisma, projects),
    training: new TrainingService(db.prisma, projects, runs, bus, dependencies.queue),
    trainingWorker: new TrainingWorkerService(db.prisma, metrics, bus, dependencies.queue),
    promotion: new PromotionService(db.prisma, projects, versions),
    deployments,
    requestStats,
    servingInstances,
    canaryAnalysis: new CanaryAnalysisService(db.prisma, deployments, requestStats, servingInstances),
    predictions: new PredictionService(deployments, servingInstances, dependencies.servingUrl),
    deploymentCatalog: new DeploymentCatalog(db.prisma, bus, dependencies.artifacts, auth, requestStats, servingInstances),
  };
}
