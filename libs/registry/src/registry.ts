import type { Database, NotificationBus } from '@lepton/db';
import { AuthService } from './auth/auth.service';
import { DatasetService } from './dataset/dataset.service';
import { EvaluationService } from './evaluation/evaluation.service';
import { MetricService } from './metric/metric.service';
import { ModelVersionService } from './model-version/model-version.service';
import { ModelService } from './model/model.service';
import { AuditService } from './audit/audit.service';
import { ProjectService } from './project/project.service';
import { RunService } from './run/run.service';

/** The domain, wired once per process and shared by every request. */
export interface Registry {
  auth: AuthService;
  projects: ProjectService;
  datasets: DatasetService;
  models: ModelService;
  versions: ModelVersionService;
  runs: RunService;
  metrics: MetricService;
  evaluations: EvaluationService;
  audit: AuditService;
}

export function createRegistry(db: Database, bus: NotificationBus): Registry {
  const projects = new ProjectService(db.prisma);
  const versions = new ModelVersionService(db.prisma, projects);
  const runs = new RunService(db.prisma, projects, bus);
  return {
    auth: new AuthService(db.prisma, projects),
    projects,
    datasets: new DatasetService(db.prisma, projects),
    models: new ModelService(db.prisma, projects),
    versions,
    runs,
    metrics: new MetricService(db.pool, runs, bus),
    evaluations: new EvaluationService(db.prisma, projects, versions),
    audit: new AuditService(db.prisma, projects),
  };
}
