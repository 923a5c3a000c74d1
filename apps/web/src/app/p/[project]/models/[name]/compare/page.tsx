import type { Metadata } from 'next';
import Link from 'next/link';
import { ConfusionMatrix } from '@/components/evaluation/confusion-matrix';
import { RocChart } from '@/components/evaluation/roc-chart';
import { projectPath } from '@/components/shell/nav-items';
import { formatMetric, formatSigned, numericMetrics } from '@/components/ui/format';
import { EmptyState } from '@/components/ui/states';
import { graphql } from '@/graphql/generated';
import { isBetter, metricNames } from '@/lib/metrics';
import { single, type SearchParams } from '@/lib/page-params';
import { serverQuery } from '@/lib/server/api';

type Params = Promise<{ project: string; name: string }>;

export const metadata: Metadata = { title: 'Compare versions' };

const CompareQuery = graphql(`
  query CompareVersions($project: String!, $name: String!, $a: Int!, $b: Int!) {
    model(project: $project, name: $name) {
      name
      a: version(number: $a) {
        ...ComparedVersion
      }
      b: version(number: $b) {
        ...ComparedVersion
      }
    }
  }
  fragment ComparedVersion on ModelVersion {
    number
    status
    trainingDatasetVersion {
      id
      number
      dataset {
        name
      }
    }
    evaluations {
      split
      metrics
      confusionMatrix
      labels
      positiveLabel
      auc
      thresholdCurve(points: 101) {
        threshold
        fpr
        tpr
      }
      datasetVersion {
        id
        number
        dataset {
          name
        }
      }
    }
  }
`);

const positiveInt = (value: string | undefined) =>
  value && /^\d{1,9}$/.test(value) && Number(value) > 0 ? Number(value) : null;

export default async function ComparePage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { project: rawProject, name: rawName } = await params;
  const project = decodeURIComponent(rawProject);
  const name = decodeURIComponent(rawName);
  const search = await searchParams;
  const a = positiveInt(single(search['a']));
  const b = positiveInt(single(search['b']));
  const back = projectPath(project, 'models', name);
  if (a === null || b === null) {
    return (
      <div className="card">
        <EmptyState title="Pick two versions" action={{ href: back, label: `Back to ${name}` }}>
          Open the model and choose two versions to compare.
        </EmptyState>
      </div>
    );
  }
  const { model } = await serverQuery(CompareQuery, { project, name, a, b });
  if (!model?.a || !model.b) {
    return (
      <div className="card">
        <EmptyState
          title={`${name} has no version ${!model?.a ? a : b}`}
          action={{ href: back, label: `Back to ${name}` }}
        />
      </div>
    );
  }
  const left = model.a;
  const right = model.b;
  // Compare like with like: the same split of the same dataset version, test preferred.
  const pairs = left.evaluations
    .map((evaluation) => ({
      left: evaluation,
      right: right.evaluations.find(
        (other) => other.split === evaluation.split && other.datasetVersion.id === evaluation.datasetVersion.id,
      ),
    }))
    .filter(
      (pair): pair is { left: (typeof left.evaluations)[number]; right: (typeof right.evaluations)[number] } =>
        pair.right !== undefined,
    );
  const pair = pairs.find((candidate) => candidate.left.split === 'test') ?? pairs[0];

  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <div className="breadcrumbs">
            <Link href={projectPath(project, 'models')}>Models</Link> / <Link href={back}>{name}</Link> /
          </div>
          <h1>
            v{left.number} vs v{right.number}
          </h1>
          <p>
            {pair
              ? `${pair.left.split} split of ${pair.left.datasetVersion.dataset.name} v${pair.left.datasetVersion.number}; Δ is v${right.number} − v${left.number}`
              : 'No shared evaluation'}
          </p>
        </div>
      </div>
      {!pair ? (
        <div className="card">
          <EmptyState title="These versions were not evaluated on the same data">
            Metric deltas need both versions evaluated on the same split of the same dataset version.
          </EmptyState>
        </div>
      ) : (
        <>
          <section className="card" aria-labelledby="deltas-title">
            <div className="card-header">
              <h2 id="deltas-title">Metrics</h2>
            </div>
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Metric</th>
                    <th scope="col" className="num">
                      v{left.number}
                    </th>
                    <th scope="col" className="num">
                      v{right.number}
                    </th>
                    <th scope="col" className="num">
                      Δ
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {metricNames([pair.left, pair.right]).map((metric) => {
                    const before = numericMetrics(pair.left.metrics)[metric];
                    const after = numericMetrics(pair.right.metrics)[metric];
                    const delta = before !== undefined && after !== undefined ? after - before : null;
                    const tone =
                      delta === null || delta === 0
                        ? ''
                        : isBetter(metric, after!, before!)
                          ? 'text-success'
                          : 'text-danger';
                    return (
                      <tr key={metric}>
                        <th scope="row">{metric}</th>
                        <td className="num">{formatMetric(before)}</td>
                        <td className="num">{formatMetric(after)}</td>
                        <td className={`num ${tone}`}>{formatSigned(delta)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>
          <section className="card" aria-labelledby="matrices-title">
            <div className="card-header">
              <h2 id="matrices-title">Confusion matrices</h2>
              <span className="muted">rows: true class · columns: predicted · shade: share of the row</span>
            </div>
            <div className="card-body grid-2">
              {[pair.left, pair.right].map((evaluation, index) => {
                const version = index === 0 ? left.number : right.number;
                return evaluation.confusionMatrix ? (
                  <ConfusionMatrix
                    key={version}
                    matrix={evaluation.confusionMatrix}
                    labels={evaluation.labels}
                    caption={`v${version}`}
                  />
                ) : (
                  <p key={version} className="muted">
                    v{version} has no confusion matrix.
                  </p>
                );
              })}
            </div>
          </section>
          <section className="card" aria-labelledby="roc-title">
            <div className="card-header">
              <h2 id="roc-title">ROC curves</h2>
              <span className="muted">from each version’s per-example scores, 101 thresholds</span>
            </div>
            <div className="card-body">
              {pair.left.thresholdCurve || pair.right.thresholdCurve ? (
                <RocChart
                  positiveLabel={pair.left.positiveLabel ?? pair.right.positiveLabel ?? null}
                  curves={[
                    { version: left.number, evaluation: pair.left },
                    { version: right.number, evaluation: pair.right },
                  ].flatMap(({ version, evaluation }) =>
                    evaluation.thresholdCurve
                      ? [{ label: `v${version}`, auc: evaluation.auc, points: evaluation.thresholdCurve }]
                      : [],
                  )}
                />
              ) : (
                <p className="muted" style={{ margin: 0 }}>
                  ROC curves need a binary evaluation with per-example scores; this one has {pair.left.labels.length}{' '}
                  classes or no stored scores.
                </p>
              )}
            </div>
          </section>
        </>
      )}
    </div>
  );
}
