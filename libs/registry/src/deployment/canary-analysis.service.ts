import type { PrismaClient } from '@lepton/db';
import { decideCanary, type AnalysisVerdict } from './canary-analysis';
import { storedCanaryAnalysis } from './deployment-config';
import { DeploymentRepository } from './deployment.repository';
import type { DeploymentService } from './deployment.service';
import type { RequestStatsService } from './request-stats.service';
import { revisionServingState, type ServingInstanceService } from './serving-instance.service';

export interface AnalysisOutcome {
  deployment: string;
  canaryRevisionId: string;
  verdict: AnalysisVerdict;
  reason: string;
}

/**
 * Automatic canary analysis: every `intervalSeconds` after a canary starts, compare it with the
 * stable revision over the last `windowSeconds` (never before the canary started) and promote,
 * roll back or wait (see decideCanary); a canary the live serving processes report FAILED is
 * rolled back. `runOnce` is one pass over all deployments; the
 * maintenance loop runs it in one process at a time.
 */
export class CanaryAnalysisService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly deployments: DeploymentService,
    private readonly stats: RequestStatsService,
    private readonly instances: ServingInstanceService,
  ) {}

  async runOnce(): Promise<AnalysisOutcome[]> {
    const outcomes: AnalysisOutcome[] = [];
    const deployments = await new DeploymentRepository(this.prisma).withAnalyzedCanary();
    const live = deployments.length > 0 ? await this.instances.live() : [];
    for (const deployment of deployments) {
      const config = storedCanaryAnalysis(deployment.canaryAnalysis);
      const { canaryRevisionId, stableRevisionId, canaryStartedAt } = deployment;
      if (!config || !canaryRevisionId || !stableRevisionId || !canaryStartedAt) continue;
      const now = await this.stats.now();
      const last = deployment.canaryAnalyzedAt ?? canaryStartedAt;
      if (now.getTime() - last.getTime() < config.intervalSeconds * 1000) continue;
      const since = new Date(Math.max(canaryStartedAt.getTime(), now.getTime() - config.windowSeconds * 1000));
      const window = await this.stats.windowStats(deployment.id, [canaryRevisionId, stableRevisionId], since);
      const canary = revisionServingState(canaryRevisionId, live);
      const decision = decideCanary(
        config,
        window.get(canaryRevisionId)!,
        window.get(stableRevisionId)!,
        canary.state === 'FAILED' ? canary.failure : null,
      );
      const applied = await this.deployments.applyAnalysis(deployment.id, canaryRevisionId, decision, now);
      if (applied)
        outcomes.push({
          deployment: deployment.name,
          canaryRevisionId,
          verdict: decision.verdict,
          reason: decision.reason,
        });
    }
    return outcomes;
  }
}
