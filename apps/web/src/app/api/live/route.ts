import { NextResponse, type NextRequest } from 'next/server';
import { graphql } from '@/graphql/generated';
import { liveEventStream, type LiveSubscription } from '@/lib/server/live';
import { tokenOf } from '@/lib/server/session';

export const dynamic = 'force-dynamic';

const RunUpdatedSubscription = graphql(`
  subscription RunUpdatedLive($id: ID!) {
    runUpdated(id: $id) {
      id
      status
      progress
      etaSeconds
      eta
      error
      attempt
      workerId
      backend
      heartbeatAt
      cancelRequested
      startedAt
      endedAt
      lease {
        state
        expiresAt
      }
      modelVersion {
        number
        model {
          name
        }
      }
    }
  }
`);

const MetricsLoggedSubscription = graphql(`
  subscription MetricsLoggedLive($runId: ID!) {
    metricsLogged(runId: $runId) {
      runId
      count
      latest {
        key
        step
        value
      }
    }
  }
`);

const DeploymentUpdatedSubscription = graphql(`
  subscription DeploymentUpdatedLive($name: String!) {
    deploymentUpdated(name: $name) {
      id
      name
      status
      updatedAt
    }
  }
`);

const DEPLOYMENT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * GET /api/live?run=<id>: the run's status and metric events as server-sent events
 * (`run`, `metrics`, `failure`); GET /api/live?deployment=<name>: `deployment` after every change
 * (null once deleted). The subscriptions run server side with the cookie's token.
 */
export async function GET(request: NextRequest): Promise<Response> {
  const token = tokenOf(request);
  if (!token) return NextResponse.json({ error: 'Sign in first' }, { status: 401 });
  const deployment = request.nextUrl.searchParams.get('deployment');
  if (deployment !== null) {
    if (!DEPLOYMENT_NAME.test(deployment))
      return NextResponse.json({ error: 'Pass ?deployment=<deployment name>' }, { status: 400 });
    return eventStream(token, request.signal, [
      {
        event: 'deployment',
        document: DeploymentUpdatedSubscription as LiveSubscription['document'],
        variables: { name: deployment },
      },
    ]);
  }
  const run = request.nextUrl.searchParams.get('run');
  if (!run || !UUID.test(run))
    return NextResponse.json({ error: 'Pass ?run=<run id> or ?deployment=<name>' }, { status: 400 });
  return eventStream(token, request.signal, [
    { event: 'run', document: RunUpdatedSubscription as LiveSubscription['document'], variables: { id: run } },
    {
      event: 'metrics',
      document: MetricsLoggedSubscription as LiveSubscription['document'],
      variables: { runId: run },
    },
  ]);
}

function eventStream(token: string, signal: AbortSignal, subscriptions: LiveSubscription[]): Response {
  return new Response(liveEventStream(token, subscriptions, signal), {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
