'use client';

import { useEffect, useRef } from 'react';
import type { MetricsLoggedLiveSubscription, RunUpdatedLiveSubscription } from '@/graphql/generated/graphql';

export type LiveRun = RunUpdatedLiveSubscription['runUpdated'];
export type LiveMetrics = MetricsLoggedLiveSubscription['metricsLogged'];

/**
 * Follows a run through /api/live (server-sent events relayed from the API's subscriptions).
 * EventSource reconnects by itself after a dropped connection.
 */
export function useLiveRun(
  runId: string,
  enabled: boolean,
  handlers: {
    onRun: (run: LiveRun) => void;
    onMetrics: (event: LiveMetrics) => void;
    onFailure: (message: string) => void;
  },
) {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    if (!enabled) return;
    const source = new EventSource(`/api/live?run=${encodeURIComponent(runId)}`);
    source.addEventListener('run', (event) =>
      latest.current.onRun((JSON.parse((event as MessageEvent<string>).data) as RunUpdatedLiveSubscription).runUpdated),
    );
    source.addEventListener('metrics', (event) =>
      latest.current.onMetrics(
        (JSON.parse((event as MessageEvent<string>).data) as MetricsLoggedLiveSubscription).metricsLogged,
      ),
    );
    source.addEventListener('failure', (event) => {
      // A refused subscription would only be refused again: stop instead of reconnecting.
      source.close();
      latest.current.onFailure((JSON.parse((event as MessageEvent<string>).data) as { message: string }).message);
    });
    return () => source.close();
  }, [runId, enabled]);
}
