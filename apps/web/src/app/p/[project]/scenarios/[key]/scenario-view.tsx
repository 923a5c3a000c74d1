'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { projectPath } from '@/components/shell/nav-items';
import { formatMetric, numericMetrics } from '@/components/ui/format';
import type {
  DemoDeploymentFragment,
  DemoDeploymentLiveSubscription,
  ScenarioDetailQuery,
  ScenarioProgressFragment,
  ScenarioUpdatedLiveSubscription,
} from '@/graphql/generated/graphql';
import { parseCosts, costOptimal } from '@/lib/scenarios/threshold';
import { EvaluationPanel, type CostInputs } from './evaluation-panel';
import { PreparePanel } from './prepare-panel';
import { RolloutPanel } from './rollout-panel';
import { segmentOf } from './scenario-keys';
import {
  BatchScorePanel,
  ImageServePanel,
  LiveFeedPanel,
  TabularServePanel,
  type Answer,
  type ServeContext,
} from './serve-panels';

type Scenario = ScenarioDetailQuery['scenario'];
type Demo = Scenario['demos'][number];

/** What, when it changes in the live stream, needs the page's data again (a new evaluation, deployment, version). */
function signature(progress: ScenarioProgressFragment): string {
  return progress.demos
    .map(
      (demo) =>
        `${demo.key}:${demo.state}:${demo.modelVersion?.number ?? ''}:${demo.retraining?.state ?? ''}:${demo.retraining?.modelVersion?.number ?? ''}`,
    )
    .join('|');
}

/** Follows scenarioUpdated and the demos' deploymentUpdated through /api/live/scenario (SSE). */
function useLiveScenario(
  project: string,
  scenario: Scenario,
  onProgress: (progress: ScenarioProgressFragment) => void,
  onDeployment: (deployment: DemoDeploymentFragment) => void,
  onFailure: (message: string) => void,
) {
  const handlers = useRef({ onProgress, onDeployment, onFailure });
  handlers.current = { onProgress, onDeployment, onFailure };
  const deployments = scenario.demos.flatMap((demo) => (demo.deployment ? [demo.deployment.name] : [])).join(',');
  useEffect(() => {
    const search = new URLSearchParams({ project, key: scenario.key });
    for (const name of deployments ? deployments.split(',') : []) search.append('deployment', name);
    const source = new EventSource(`/api/live/scenario?${search}`);
    source.addEventListener('scenario', (event) =>
      handlers.current.onProgress(
        (JSON.parse((event as MessageEvent<string>).data) as ScenarioUpdatedLiveSubscription).scenarioUpdated,
      ),
    );
    source.addEventListener('deployment', (event) => {
      const deployment = (JSON.parse((event as MessageEvent<string>).data) as DemoDeploymentLiveSubscription)
        .deploymentUpdated;
      if (deployment) handlers.current.onDeployment(deployment);
    });
    source.addEventListener('failure', (event) => {
      source.close();
      handlers.current.onFailure((JSON.parse((event as MessageEvent<string>).data) as { message: string }).message);
    });
    return () => source.close();
  }, [project, scenario.key, deployments]);
}

export function ScenarioView(props: { project: string; scenario: Scenario; canWrite: boolean }) {
  const { scenario, project } = props;
  const router = useRouter();
  const [progress, setProgress] = useState<ScenarioProgressFragment>(scenario);
  const [deployments, setDeployments] = useState<Record<string, DemoDeploymentFragment>>({});
  const [liveError, setLiveError] = useState<string | null>(null);
  const rendered = signature(scenario);
  const refreshed = useRef(rendered);

  // New server data replaces what the stream said before it.
  useEffect(() => {
    setProgress(scenario);
    setDeployments({});
    refreshed.current = rendered;
  }, [scenario, rendered]);

  const onProgress = useCallback(
    (next: ScenarioProgressFragment) => {
      setProgress(next);
      const now = signature(next);
      if (now !== refreshed.current) {
        refreshed.current = now;
        router.refresh();
      }
    },
    [router],
  );
  useLiveScenario(
    project,
    scenario,
    onProgress,
    (deployment) => setDeployments((previous) => ({ ...previous, [deployment.name]: deployment })),
    setLiveError,
  );

  const titles = Object.fromEntries(scenario.demos.map((demo) => [demo.key, demo.title]));
  return (
    <div className="stack">
      <PreparePanel
        project={project}
        scenarioKey={scenario.key}
        progress={progress}
        titles={titles}
        canWrite={props.canWrite}
        onProgress={onProgress}
        liveError={liveError}
      />
      {scenario.demos.map((demo) => (
        <DemoSection
          // A new evaluation (after Prepare) starts the section afresh: finance's threshold is its cost optimum.
          key={`${demo.key}:${demo.evaluation?.id ?? ''}`}
          project={project}
          scenario={scenario}
          demo={demo}
          progress={progress.demos.find((entry) => entry.key === demo.key) ?? null}
          deployment={(demo.deployment && deployments[demo.deployment.name]) || demo.deployment || null}
          canWrite={props.canWrite}
        />
      ))}
    </div>
  );
}

const DEFAULT_COSTS: CostInputs = { falseNegative: '5', falsePositive: '1' };

function DemoSection(props: {
  project: string;
  scenario: Scenario;
  demo: Demo;
  progress: ScenarioProgressFragment['demos'][number] | null;
  deployment: DemoDeploymentFragment | null;
  canWrite: boolean;
}) {
  const { demo, scenario, project } = props;
  const segment = segmentOf(scenario.key);
  const id = `demo-${demo.key}`;
  const curve = useMemo(() => demo.evaluation?.thresholdCurve ?? [], [demo.evaluation]);
  const [costs, setCosts] = useState<CostInputs>(DEFAULT_COSTS);
  const parsed = useMemo(() => parseCosts(costs.falseNegative, costs.falsePositive), [costs]);
  const [threshold, setThreshold] = useState(() => {
    if (segment !== 'finance') return 0.5;
    return (
      costOptimal(curve, parseCosts(DEFAULT_COSTS.falseNegative, DEFAULT_COSTS.falsePositive).costs!)?.threshold ?? 0.5
    );
  });
  const [answers, setAnswers] = useState<Answer[]>([]);
  const onAnswer = useCallback(
    (next: Answer[]) => setAnswers((previous) => [...next.slice().reverse(), ...previous].slice(0, 50)),
    [],
  );

  const heading = `${id}-title`;
  if (!demo.evaluation || !demo.deployment) {
    return (
      <section className="card" aria-labelledby={heading}>
        <div className="card-header">
          <h2 id={heading}>{demo.title}</h2>
        </div>
        <div className="card-body">
          <p>{demo.description}</p>
          <p className="muted">
            Evaluate, Serve and Retrain open here once Prepare has evaluated and deployed this model.
          </p>
        </div>
      </section>
    );
  }

  const context: ServeContext = {
    id,
    deployment: demo.deployment.name,
    positiveClass: demo.positiveLabel,
    positiveName: demo.positiveName,
    negativeName: demo.negativeName,
    threshold,
    onAnswer,
  };
  const metrics = numericMetrics(demo.evaluation.metrics);
  const bar = numericMetrics(demo.qualityBar);
  const features = demo.features;

  return (
    <section className="card" aria-labelledby={heading} data-testid={id}>
      <div className="card-header">
        <h2 id={heading}>{demo.title}</h2>
        <div className="row" style={{ gap: 12 }}>
          <Link href={projectPath(project, 'models', demo.modelName)}>Model</Link>
          <Link href={projectPath(project, 'datasets', demo.datasetName)}>Dataset</Link>
        </div>
      </div>
      <div className="card-body stack">
        <p>{demo.description}</p>
        <p className="muted" data-testid={`${id}-quality`}>
          Test split:{' '}
          {Object.entries(bar)
            .map(
              ([name, target]) =>
                `${name} ${formatMetric(name === 'auc' ? (demo.evaluation!.auc ?? metrics[name]) : metrics[name])} (bar ${formatMetric(target)})`,
            )
            .join(', ') || `accuracy ${formatMetric(metrics['accuracy'])}`}
          {demo.evaluation.auc !== null && demo.evaluation.auc !== undefined && !('auc' in bar)
            ? `, AUC ${formatMetric(demo.evaluation.auc)}`
            : ''}
        </p>

        <h3>2. Evaluate</h3>
        <EvaluationPanel
          id={id}
          scenario={segment}
          positiveLabel={demo.positiveName}
          negativeLabel={demo.negativeName}
          auc={demo.evaluation.auc ?? null}
          split={demo.evaluation.split}
          curve={curve}
          threshold={threshold}
          onThreshold={setThreshold}
          costs={costs}
          onCosts={setCosts}
          parsedCosts={parsed.costs ?? null}
          costError={parsed.error ?? null}
        />

        <h3>3. Serve</h3>
        <p className="muted">
          Requests go to the live deployment <span className="mono">{demo.deployment.name}</span>; decisions use the
          threshold {threshold.toFixed(2)} chosen above.
        </p>
        {demo.task === 'IMAGE' ? (
          <ImageServePanel
            context={context}
            samples={demo.samples}
            project={project}
            scenarioKey={scenario.key}
            demoKey={demo.key}
          />
        ) : (
          <>
            {segment === 'security' ? (
              <>
                <h4>Live feed of held-out sites</h4>
                <LiveFeedPanel context={context} samples={demo.samples} />
                <h4>Score one site</h4>
              </>
            ) : null}
            {segment === 'finance' ? <h4>Score one applicant</h4> : null}
            <TabularServePanel
              context={context}
              features={features}
              samples={demo.samples}
              title={
                segment === 'finance'
                  ? 'Score one applicant'
                  : segment === 'security'
                    ? 'Score one site'
                    : `Score with ${demo.title}`
              }
            />
            {segment === 'finance' ? (
              <>
                <h4>Batch-score a CSV</h4>
                <BatchScorePanel context={context} features={features} />
              </>
            ) : null}
          </>
        )}

        <h3>4. Retrain and roll out</h3>
        <RolloutPanel
          id={id}
          project={project}
          scenarioKey={scenario.key}
          demoKey={demo.key}
          hyperparameters={demo.hyperparameters}
          spec={demo.spec}
          imageTask={demo.task === 'IMAGE'}
          retraining={props.progress?.retraining ?? null}
          deployment={props.deployment}
          answers={answers}
          canWrite={props.canWrite}
        />
      </div>
    </section>
  );
}
