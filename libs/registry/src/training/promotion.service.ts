import type { PrismaClient } from '@lepton/db';
import { AuditRepository } from '../audit/audit.repository';
import type { Principal } from '../auth/principal';
import { EvaluationRepository, type EvaluationWithOutcomes } from '../evaluation/evaluation.repository';
import { ModelVersionRepository } from '../model-version/model-version.repository';
import type { ModelVersionService } from '../model-version/model-version.service';
import type { ProjectService } from '../project/project.service';
import { badInput, conflict } from '../shared/domain-error';
import { inTransaction } from '../shared/transaction';
import { validAlias } from '../shared/validation';
import { pairedBootstrap, PROMOTION_METRICS, type Outcomes, type PromotionMetric } from './paired-bootstrap';

export interface PromotionPolicy {
  metric: string;
  minDelta?: number | null;
  confidence?: number | null;
}

export interface PromotionDecision {
  promoted: boolean;
  alias: string;
  version: number;
  previousVersion: number | null;
  metric: string;
  split: string | null;
  datasetVersionId: string | null;
  candidateValue: number | null;
  holderValue: number | null;
  difference: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  confidence: number;
  minDelta: number;
  reason: string;
}

function outcomesOf(evaluation: EvaluationWithOutcomes): Outcomes | null {
  if (evaluation.targets.length === 0 || evaluation.targets.length !== evaluation.predictions.length) return null;
  return { targets: evaluation.targets, predictions: evaluation.predictions, scores: evaluation.scores };
}

const fmt = (value: number) => value.toFixed(4);

export class PromotionService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly projects: ProjectService,
    private readonly versions: ModelVersionService,
  ) {}

  /**
   * Moves `alias` to the candidate only if it beats the alias's current version on the same
   * dataset version and split: the lower bound of the paired-bootstrap interval of the metric
   * difference must exceed minDelta. Otherwise the alias stays and the decision says why.
   */
  async promote(
    principal: Principal,
    input: { project?: string | null; model: string; version: number; alias: string; policy: PromotionPolicy },
  ): Promise<PromotionDecision> {
    const project = await this.projects.access(principal, input.project, 'EDITOR');
    const alias = validAlias(input.alias);
    const metric = input.policy.metric as PromotionMetric;
    if (!PROMOTION_METRICS.includes(metric)) {
      throw badInput(`policy.metric must be one of ${PROMOTION_METRICS.join(', ')}`, { field: 'policy.metric' });
    }
    const minDelta = input.policy.minDelta ?? 0;
    const confidence = input.policy.confidence ?? 0.95;
    if (!Number.isFinite(minDelta) || minDelta < -1 || minDelta > 1) throw badInput('policy.minDelta must be between -1 and 1', { field: 'policy.minDelta' });
    if (!(confidence > 0.5 && confidence < 1)) throw badInput('policy.confidence must be between 0.5 and 1 (exclusive)', { field: 'policy.confidence' });

    return inTransaction(this.prisma, async (tx) => {
      const candidate = await this.versions.requireVersion(tx, project, input.model, input.version);
      // Serialise promotions of one alias: two concurrent gates must not both pass on stale holders.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${candidate.modelId + '/' + alias}))`;
      const versions = new ModelVersionRepository(tx);
      const current = await versions.findAlias(candidate.modelId, alias);
      const [holder] = current ? await versions.findByIds([current.versionId]) : [];
      const decision = (fields: Partial<PromotionDecision> & { promoted: boolean; reason: string }): PromotionDecision => ({
        alias,
        version: candidate.number,
        previousVersion: holder?.number ?? null,
        metric,
        split: null,
        datasetVersionId: null,
        candidateValue: null,
        holderValue: null,
        difference: null,
        ciLow: null,
        ciHigh: null,
        confidence,
        minDelta,
        ...fields,
      });
      const record = async (result: PromotionDecision) => {
        // Through the versions service, so deployments that follow the alias move in this transaction.
        if (result.promoted) await this.versions.moveAlias(tx, principal, { project, alias, version: candidate });
        await new AuditRepository(tx).record(principal, {
          projectId: project.id,
          action: result.promoted ? 'modelAlias.promote' : 'modelAlias.promoteRefused',
          targetType: 'registeredModel',
          targetId: candidate.modelId,
          details: { ...result },
        });
        return result;
      };

      const evaluations = await new EvaluationRepository(tx).listWithOutcomes([candidate.id, ...(holder ? [holder.id] : [])]);
      const candidateEvaluations = evaluations.filter((evaluation) => evaluation.modelVersionId === candidate.id && outcomesOf(evaluation));
      if (candidateEvaluations.length === 0) {
        throw conflict(`Version ${candidate.number} has no evaluation with per-example outcomes; record one before promoting it`);
      }
      if (!holder) {
        return record(decision({ promoted: true, reason: `"${alias}" pointed at no version; version ${candidate.number} takes it.` }));
      }
      if (holder.id === candidate.id) {
        return record(decision({ promoted: false, reason: `"${alias}" already points at version ${candidate.number}.` }));
      }
      // The most recent shared (dataset version, split), preferring the test split.
      const shared = candidateEvaluations
        .map((mine) => ({
          mine,
          theirs: evaluations.find(
            (other) =>
              other.modelVersionId === holder.id &&
              other.datasetVersionId === mine.datasetVersionId &&
              other.split === mine.split &&
              outcomesOf(other) !== null &&
              other.targets.length === mine.targets.length,
          ),
        }))
        .filter((pair) => pair.theirs)
        .sort((a, b) => Number(b.mine.split === 'test') - Number(a.mine.split === 'test') || b.mine.createdAt.getTime() - a.mine.createdAt.getTime());
      const pair = shared[0];
      if (!pair?.theirs) {
        throw conflict(
          `Versions ${candidate.number} and ${holder.number} have no evaluation on the same dataset version and split; evaluate both on one`,
        );
      }
      const mine = outcomesOf(pair.mine)!;
      const theirs = outcomesOf(pair.theirs)!;
      if (mine.targets.some((target, index) => target !== theirs.targets[index])) {
        throw conflict('The two evaluations disagree on the true labels of the split; they were not made on the same examples');
      }
      if (metric === 'auc' && (mine.scores.length !== mine.targets.length || theirs.scores.length !== theirs.targets.length)) {
        throw badInput('policy.metric "auc" needs per-example scores (binary tasks only)', { field: 'policy.metric' });
      }
      const result = pairedBootstrap(metric, mine, theirs, { confidence });
      const promoted = result.ciLow > minDelta;
      const level = `${Math.round(confidence * 100)}%`;
      const summary =
        `${metric} ${fmt(result.candidate)} (v${candidate.number}) vs ${fmt(result.holder)} (v${holder.number}) on ` +
        `split "${pair.mine.split}": difference ${result.difference >= 0 ? '+' : ''}${fmt(result.difference)}, ` +
        `${level} CI [${fmt(result.ciLow)}, ${fmt(result.ciHigh)}]`;
      return record(
        decision({
          promoted,
          split: pair.mine.split,
          datasetVersionId: pair.mine.datasetVersionId,
          candidateValue: result.candidate,
          holderValue: result.holder,
          difference: result.difference,
          ciLow: result.ciLow,
          ciHigh: result.ciHigh,
          reason: promoted
            ? `Promoted: ${summary}; the lower bound exceeds minDelta ${minDelta}.`
            : `Refused: ${summary}; the lower bound does not exceed minDelta ${minDelta}.`,
        }),
      );
    });
  }
}
