import { NextResponse, type NextRequest } from 'next/server';
import { graphql } from '@/graphql/generated';
import { liveEventStream, type LiveSubscription } from '@/lib/server/live';
import { tokenOf } from '@/lib/server/session';

const ScenarioUpdatedSubscription = graphql(`
  subscription ScenarioUpdatedLive($project: String!, $key: ScenarioKey!) {
    scenarioUpdated(project: $project, key: $key) {
      ...ScenarioProgress
    }
  }
`);

const DemoDeploymentSubscription = graphql(`
  subscription DemoDeploymentLive($name: String!) {
    deploymentUpdated(name: $name) {
      ...DemoDeployment
    }
  }
`);

export const dynamic = 'force-dynamic';

const KEYS = new Set(['MEDICAL', 'SECURITY', 'FINANCE']);
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const MAX_DEPLOYMENTS = 4;

/**
 * GET /api/live/scenario?project=<p>&key=<KEY>[&deployment=<name>…]: the scenario's progress
 * (`scenario` events) and its demos' deployments (`deployment` events, for canary rollouts) as
 * server-sent events, subscribed server side with the cookie's token.
 */
export async function GET(request: NextRequest): Promise<Response> {
  const token = tokenOf(request);
  if (!token) return NextResponse.json({ error: 'Sign in first' }, { status: 401 });
  const search = request.nextUrl.searchParams;
  const project = search.get('project') ?? '';
  const key = search.get('key') ?? '';
  const deployments = search.getAll('deployment');
  if (
    !NAME.test(project) ||
    !KEYS.has(key) ||
    deployments.length > MAX_DEPLOYMENTS ||
    !deployments.every((name) => NAME.test(name))
  )
    return NextResponse.json(
      { error: 'Pass ?project=<name>&key=MEDICAL|SECURITY|FINANCE[&deployment=<name>]' },
      { status: 400 },
    );
  const subscriptions: LiveSubscription[] = [
    {
      event: 'scenario',
      document: ScenarioUpdatedSubscription as LiveSubscription['document'],
      variables: { project, key },
    },
    ...deployments.map((name) => ({
      event: 'deployment',
      document: DemoDeploymentSubscription as LiveSubscription['document'],
      variables: { name },
    })),
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
