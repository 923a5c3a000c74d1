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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * GET /api/live?run=<id>: the run's status and metric events as server-sent events
 * (`run`, `metrics`, `failure`). The subscriptions run server side with the cookie's token.
 */
export async function GET(request: NextRequest): Promise<Response> {
  const token = tokenOf(request);
  if (!token) return NextResponse.json({ error: 'Sign in first' }, { status: 401 });
  const run = request.nextUrl.searchParams.get('run');
  if (!run || !UUID.test(run)) return NextResponse.json({ error: 'Pass ?run=<run id>' }, { status: 400 });
  const subscriptions: LiveSubscription[] = [
    { event: 'run', document: RunUpdatedSubscription as LiveSubscription['document'], variables: { id: run } },
    {
      event: 'metrics',
      document: MetricsLoggedSubscription as LiveSubscription['document'],
      variables: { runId: run },
    },
  ];
  return new Response(liveEventStream(token, subscriptions, request.signal), {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
