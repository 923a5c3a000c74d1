import { predictedLabels, type Predictions } from '@lepton/inference';
import {
  MAX_PREDICT_INSTANCES,
  type CatalogDeployment,
  type CatalogRevision,
  type DeploymentCatalog,
} from '@lepton/registry';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Endpoint, ServingMetrics } from '../metrics/serving-metrics';
import type { ServingReporter } from '../reporting/serving-reporter';
import type { CatalogSync } from '../revisions/catalog-sync';
import type { ServedDeployments } from '../revisions/served-deployments';
import { pickRevision, ROUTING_KEY_HEADER } from '../routing/traffic';
import { badRequest, errorAnswer, notReady, ServingHttpError, tooLarge } from './http-errors';
import { isRecord, parseJson, readBody, sendJson } from './http-io';
import { datatypeOf, oipRequest, OUTPUT_NAMES, type OutputName } from './oip-inputs';

/** Says which revision answered, on every answer a revision gave (also errors after routing). */
export const REVISION_HEADER = 'x-lepton-revision';
/** Payloads go to the request log (when the deployment opts in) only up to this size. */
const MAX_LOGGED_PAYLOAD_BYTES = 64 * 1024;
const DEPLOYMENT_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const MODEL_PATH = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(?:\/(ready|infer))?$/;
const PREDICT_PATH = /^\/v1\/deployments\/([^/]+)\/predict$/;

export interface ServingHandlerContext {
  served: ServedDeployments;
  sync: CatalogSync;
  auth: Pick<DeploymentCatalog, 'authorizeInvoke'>;
  reporter: ServingReporter;
  metrics: ServingMetrics;
  maxBodyBytes: number;
  log: (line: string) => void;
}

/** What one invocation learned, for the answer, the metrics, the statistics and the request log. */
interface Invocation {
  started: number;
  deployment: CatalogDeployment | null;
  revision: CatalogRevision | null;
  status: number;
  body: Buffer | null;
  request: unknown;
  answer: unknown;
  instances: number;
  batchSize: number;
  error: string | null;
}

/**
 * Serving's HTTP API on Node's own server: Open Inference Protocol v2 (health, model metadata and readiness,
 * infer) and the friendly `POST /v1/deployments/{name}/predict`, plus `/metrics`. Every error is answered by one
 * mapper (http-errors.ts); nothing a request does can throw out of the handler.
 */
export function servingRequestHandler(
  context: ServingHandlerContext,
): (request: IncomingMessage, response: ServerResponse) => void {
  const { served, sync, metrics } = context;

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0]!;
    const method = request.method ?? 'GET';
    if (path === '/v2/health/live') return only(method, 'GET', () => sendJson(response, 200, { live: true }));
    if (path === '/v2/health/ready') {
      return only(method, 'GET', () => {
        const ready = sync.synced && served.settled();
        sendJson(response, ready ? 200 : 503, { ready });
      });
    }
    if (path === '/metrics') {
      return only(method, 'GET', async () => {
        const text = await metrics.text();
        response.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
        response.end(text);
      });
    }
    const predict = PREDICT_PATH.exec(path);
    if (predict) return only(method, 'POST', () => invoke(request, response, predict[1]!, null, 'predict'));
    const model = MODEL_PATH.exec(path);
    if (model) {
      const [, name, version, action] = model;
      if (action === 'infer')
        return only(method, 'POST', () => invoke(request, response, name!, version ?? null, 'infer'));
      return only(method, 'GET', () =>
        invoke(request, response, name!, version ?? null, action === 'ready' ? 'ready' : 'metadata'),
      );
    }
    throw new ServingHttpError(404, 'NOT_FOUND', `No endpoint ${method} ${path.slice(0, 200)}`);
  };

  async function only(method: string, allowed: string, run: () => void | Promise<void>): Promise<void> {
    if (method !== allowed)
      throw new ServingHttpError(405, 'METHOD_NOT_ALLOWED', `Use ${allowed} here`, { allow: allowed });
    await run();
  }

  async function invoke(
    request: IncomingMessage,
    response: ServerResponse,
    rawName: string,
    version: string | null,
    action: 'predict' | 'infer' | 'ready' | 'metadata',
  ): Promise<void> {
    const call: Invocation = {
      started: performance.now(),
      deployment: null,
      revision: null,
      status: 500,
      body: null,
      request: undefined,
      answer: undefined,
      instances: 0,
      batchSize: 0,
      error: null,
    };
    try {
      const name = deploymentName(rawName);
      const grant = await context.auth.authorizeInvoke(request.headers.authorization, name);
      const deployment = await known(grant.deploymentId);
      call.deployment = deployment;
      if (action === 'ready') {
        const ready =
          version === null
            ? served.readyTraffic(deployment.id) !== null
            : served.isReady(pinned(deployment, version).id);
        call.status = ready ? 200 : 503;
        sendJson(response, call.status, { name: deployment.name, ready });
        return;
      }
      const revision = version === null ? routed(deployment, request) : readyPinned(deployment, version);
      call.revision = revision;
      response.setHeader(REVISION_HEADER, String(revision.number));
      const answer =
        action === 'metadata'
          ? await metadata(deployment, revision)
          : await predictWith(request, call, deployment, revision, action);
      call.answer = answer;
      call.status = 200;
      sendJson(response, 200, answer);
    } catch (error) {
      const answer = errorAnswer(error);
      if (answer.unexpected) context.log(`${request.method} ${request.url}: ${describe(answer.unexpected)}`);
      call.status = answer.status;
      call.error = answer.body.error;
      if (!response.headersSent) sendJson(response, answer.status, answer.body, answer.headers);
    } finally {
      account(call, action === 'predict' || action === 'infer' ? action : 'metadata');
    }
  }

  /** The catalog entry, re-read once when this process has not heard of the deployment yet (just created). */
  async function known(deploymentId: string): Promise<CatalogDeployment> {
    let deployment = served.deployment(deploymentId);
    if (!deployment) {
      await sync.refresh(deploymentId);
      deployment = served.deployment(deploymentId);
    }
    if (!deployment) throw notReady('The deployment has no revision to serve yet');
    return deployment;
  }

  function routed(deployment: CatalogDeployment, request: IncomingMessage): CatalogRevision {
    const traffic = served.readyTraffic(deployment.id);
    if (!traffic) throw notReady(`Deployment "${deployment.name}" is not ready: ${served.whyNotReady(deployment.id)}`);
    const key = request.headers[ROUTING_KEY_HEADER];
    return pickRevision(traffic, deployment.id, typeof key === 'string' ? key : null);
  }

  /** `/versions/{v}`: the revision of this deployment's traffic that serves model version v. */
  function pinned(deployment: CatalogDeployment, version: string): CatalogRevision {
    const revisions = served.trafficRevisions(deployment.id);
    const number = /^[0-9]{1,9}$/.test(version) ? Number(version) : NaN;
    const match = revisions.find((revision) => revision.modelVersion.number === number);
    if (!match) {
      const serving = revisions.map((revision) => revision.modelVersion.number).join(', ');
      throw new ServingHttpError(
        404,
        'NOT_FOUND',
        `Deployment "${deployment.name}" serves model version ${serving}, not ${version.slice(0, 20)}`,
      );
    }
    return match;
  }

  function readyPinned(deployment: CatalogDeployment, version: string): CatalogRevision {
    const revision = pinned(deployment, version);
    if (!served.isReady(revision.id))
      throw notReady(`Revision ${revision.number} of "${deployment.name}" is not ready in this process`);
    return revision;
  }

  async function predictWith(
    request: IncomingMessage,
    call: Invocation,
    deployment: CatalogDeployment,
    revision: CatalogRevision,
    action: 'predict' | 'infer',
  ): Promise<unknown> {
    call.body = await readBody(request, context.maxBodyBytes);
    const json = parseJson(call.body);
    call.request = json;
    const lease = await served.acquire(revision);
    let predictions: Predictions;
    let outputs: readonly OutputName[] = OUTPUT_NAMES;
    let id: string | null = null;
    try {
      const parsed =
        action === 'predict'
          ? { instances: friendlyInstances(json), field: undefined }
          : oipRequest(json, lease.model.encoder);
      if ('outputs' in parsed) ({ outputs, id } = parsed);
      call.instances = parsed.instances.length;
      predictions = await lease.model.predict(parsed.instances, parsed.field);
    } finally {
      lease.release();
    }
    call.batchSize = predictions.batchSize;
    const labels = predictedLabels(predictions);
    const { classes, probabilities } = predictions;
    if (action === 'predict') {
      return {
        deployment: deployment.name,
        revision: revision.number,
        modelVersion: revision.modelVersion.number,
        predictions: labels.map((label, row) => ({
          label,
          probabilities: Object.fromEntries(classes.map((name, c) => [name, probabilities[row * classes.length + c]!])),
        })),
      };
    }
    const tensors = {
      probabilities: {
        name: 'probabilities',
        datatype: 'FP32',
        shape: [predictions.rows, classes.length],
        data: Array.from(probabilities),
      },
      label: { name: 'label', datatype: 'BYTES', shape: [predictions.rows], data: labels },
    };
    return {
      model_name: deployment.name,
      model_version: String(revision.modelVersion.number),
      ...(id !== null ? { id } : {}),
      parameters: { revision: revision.number },
      outputs: outputs.map((name) => tensors[name]),
    };
  }

  async function metadata(deployment: CatalogDeployment, revision: CatalogRevision): Promise<unknown> {
    const lease = await served.acquire(revision);
    try {
      const { encoder, classes, backend } = lease.model;
      const traffic = served.readyTraffic(deployment.id);
      return {
        name: deployment.name,
        versions: served.trafficRevisions(deployment.id).map((r) => String(r.modelVersion.number)),
        platform: 'tensorflowjs_layers',
        inputs: encoder.features.map((feature) => ({ name: feature.name, datatype: datatypeOf(feature), shape: [-1] })),
        outputs: [
          { name: 'probabilities', datatype: 'FP32', shape: [-1, classes.length] },
          { name: 'label', datatype: 'BYTES', shape: [-1] },
        ],
        parameters: {
          model: revision.modelVersion.model,
          model_version: revision.modelVersion.number,
          revision: revision.number,
          classes,
          batching: revision.batching,
          backend: { name: backend.backend, reason: backend.reason, trials: backend.trials },
          traffic: served.trafficRevisions(deployment.id).map((r) => ({
            revision: r.number,
            model_version: r.modelVersion.number,
            state: served.status(r.id)?.state ?? 'LOADING',
            weight:
              traffic === null
                ? 0
                : traffic.canary?.revision.id === r.id
                  ? traffic.canary.weight
                  : traffic.stable.id === r.id
                    ? 100 - (traffic.canary?.weight ?? 0)
                    : 0,
          })),
        },
      };
    } finally {
      lease.release();
    }
  }

  /** Prometheus, request statistics and the sampled request log. */
  function account(call: Invocation, endpoint: Endpoint): void {
    const latencyMs = performance.now() - call.started;
    const { deployment, revision } = call;
    metrics.request(
      deployment?.name ?? '',
      revision ? String(revision.number) : 'none',
      endpoint,
      call.status,
      latencyMs / 1000,
    );
    if (!deployment || endpoint === 'metadata') return;
    const outcome = call.status < 400 ? 'ok' : call.status < 500 ? 'client_error' : 'error';
    if (revision) {
      context.reporter.record({
        deploymentId: deployment.id,
        revisionId: revision.id,
        latencyMs,
        outcome,
        batchSize: call.batchSize,
      });
    }
    if (!context.reporter.shouldSample(deployment.id, call.status)) return;
    const logPayload = deployment.logPayloads && call.body !== null;
    context.reporter.sample({
      deploymentId: deployment.id,
      revisionId: revision?.id ?? null,
      at: new Date(),
      latencyMs,
      status: call.status,
      inputSha256: createHash('sha256')
        .update(call.body ?? Buffer.alloc(0))
        .digest('hex'),
      instances: call.instances,
      error: call.error,
      ...(logPayload
        ? {
            payload:
              call.body!.length <= MAX_LOGGED_PAYLOAD_BYTES
                ? { request: call.request ?? null, response: call.answer ?? null }
                : {
                    omitted: `the request is ${call.body!.length} bytes, more than the ${MAX_LOGGED_PAYLOAD_BYTES} logged`,
                  },
          }
        : {}),
    });
  }

  return (request, response) => {
    route(request, response).catch((error: unknown) => {
      const answer = errorAnswer(error);
      if (answer.unexpected) context.log(`${request.method} ${request.url}: ${describe(answer.unexpected)}`);
      if (!response.headersSent) sendJson(response, answer.status, answer.body, answer.headers);
      else response.destroy();
    });
  };
}

/** A URL segment that can be a deployment name; anything else is answered like an unknown deployment. */
function deploymentName(segment: string): string {
  let name: string;
  try {
    name = decodeURIComponent(segment);
  } catch {
    name = '';
  }
  if (!DEPLOYMENT_NAME.test(name))
    throw new ServingHttpError(404, 'NOT_FOUND', `Deployment "${segment.slice(0, 80)}" does not exist`);
  return name;
}

/** `{"instances": [...]}`: 1 to MAX_PREDICT_INSTANCES instances. */
function friendlyInstances(body: unknown): unknown[] {
  if (!isRecord(body)) throw badRequest('body', 'expected a JSON object {"instances": [...]}');
  for (const key of Object.keys(body))
    if (key !== 'instances') throw badRequest(key, 'unknown field; send {"instances": [...]}');
  const instances = body['instances'];
  if (!Array.isArray(instances)) throw badRequest('instances', 'expected an array of instances');
  if (instances.length === 0) throw badRequest('instances', 'send at least one instance');
  if (instances.length > MAX_PREDICT_INSTANCES) {
    throw tooLarge(
      'instances',
      `${instances.length} instances, more than the ${MAX_PREDICT_INSTANCES} a request may have`,
    );
  }
  return instances;
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
