import { JSON_LIMITS, jsonLimitMessage, jsonLimitViolation } from '@lepton/util';
import type { Principal } from '../auth/principal';
import { DomainError, type DomainErrorReason } from '../shared/domain-error';
import type { DeploymentService } from './deployment.service';
import type { ServingInstanceRecord } from './serving-instance.repository';
import type { ServingInstanceService } from './serving-instance.service';

/** Where serving listens when LEPTON_SERVING_URL is not set and no live instance says otherwise. */
export const DEFAULT_SERVING_URL = 'http://127.0.0.1:4001';
/** The serving endpoint's own limits, checked here too so nothing larger leaves the API. */
export const MAX_PREDICT_INSTANCES = 1024;
export const MAX_PREDICT_BODY_BYTES = 8 * 1024 * 1024;
const FORWARD_TIMEOUT_MS = 30_000;

export interface PredictionResult {
  deployment: string;
  /** The revision that answered (its number). */
  revision: number;
  modelVersion: number;
  predictions: { label: string; probabilities: Record<string, number> }[];
}

const REASON_OF_STATUS: Record<number, DomainErrorReason> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'BAD_USER_INPUT',
  422: 'BAD_USER_INPUT',
  503: 'DEPLOYMENT_NOT_READY',
};

/**
 * Predictions for the dashboard. The API process never loads a model: it forwards the request,
 * with the caller's own credentials, to a serving process's friendly endpoint and maps its errors
 * to domain reasons.
 */
export class PredictionService {
  constructor(
    private readonly deployments: DeploymentService,
    private readonly instances: ServingInstanceService,
    /** LEPTON_SERVING_URL: when set, always used. */
    private readonly servingUrl?: string,
  ) {}

  async predict(
    principal: Principal,
    authorization: string,
    name: string,
    instances: unknown,
  ): Promise<PredictionResult> {
    const deployment = await this.deployments.requireAccessible(principal, name, 'VIEWER');
    if (!Array.isArray(instances) || instances.length === 0) {
      throw new DomainError('BAD_USER_INPUT', 'instances must be a non-empty JSON array of instances', {
        field: 'instances',
      });
    }
    if (instances.length > MAX_PREDICT_INSTANCES) {
      throw new DomainError('BAD_USER_INPUT', `At most ${MAX_PREDICT_INSTANCES} instances per request`, {
        field: 'instances',
      });
    }
    const violation = jsonLimitViolation(instances, {
      maxDepth: JSON_LIMITS.maxDepth,
      maxLength: MAX_PREDICT_BODY_BYTES,
    });
    if (violation)
      throw new DomainError('BAD_USER_INPUT', jsonLimitMessage('instances', violation), { field: 'instances' });

    const base = await this.baseUrl(deployment.stableRevisionId);
    let response: Response;
    try {
      response = await fetch(`${base}/v1/deployments/${encodeURIComponent(deployment.name)}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ instances }),
        signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
      });
    } catch {
      throw new DomainError(
        'SERVING_UNAVAILABLE',
        `No serving process answered at ${base} (start one with npm start or npm run start:serving)`,
      );
    }
    const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (!response.ok) {
      const reason = REASON_OF_STATUS[response.status] ?? 'SERVING_UNAVAILABLE';
      const said =
        typeof body?.['error'] === 'string' ? (body['error'] as string).slice(0, 1000) : `HTTP ${response.status}`;
      throw new DomainError(reason, reason === 'SERVING_UNAVAILABLE' ? `The serving process failed: ${said}` : said);
    }
    if (!body || !Array.isArray(body['predictions']))
      throw new DomainError('SERVING_UNAVAILABLE', 'The serving process answered without predictions');
    return body as unknown as PredictionResult;
  }

  /** The serving URL to show users: LEPTON_SERVING_URL, else the oldest live instance's, else the default. */
  publicBaseUrl(live: readonly ServingInstanceRecord[]): string {
    return (this.servingUrl ?? live[0]?.url ?? DEFAULT_SERVING_URL).replace(/\/+$/, '');
  }

  /** LEPTON_SERVING_URL, else a live instance that has the stable revision ready, else the default. */
  private async baseUrl(stableRevisionId: string | null): Promise<string> {
    if (this.servingUrl) return this.servingUrl.replace(/\/+$/, '');
    const live = await this.instances.live();
    const ready = live.filter(
      (instance) => stableRevisionId !== null && instance.readyRevisionIds.includes(stableRevisionId),
    );
    const pool = ready.length > 0 ? ready : live;
    const chosen = pool[Math.floor(Math.random() * pool.length)];
    return (chosen?.url ?? DEFAULT_SERVING_URL).replace(/\/+$/, '');
  }
}
