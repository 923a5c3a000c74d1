import type { Metadata } from 'next';
import Link from 'next/link';
import { projectPath } from '@/components/shell/nav-items';
import { formatDate } from '@/components/ui/format';
import { graphql } from '@/graphql/generated';
import { projectParam } from '@/lib/page-params';
import { serverQuery } from '@/lib/server/api';
import { StateBadge } from './[key]/prepare-panel';
import { segmentOf } from './[key]/scenario-keys';
import styles from './scenarios.module.css';

export const metadata: Metadata = { title: 'Scenarios' };

const ScenariosQuery = graphql(`
  query Scenarios($project: String!) {
    scenarios(project: $project) {
      key
      title
      field
      summary
      state
      preparedAt
      demos {
        key
        title
        task
        state
      }
    }
  }
`);

export default async function ScenariosPage({ params }: { params: Promise<{ project: string }> }) {
  const project = await projectParam(params);
  const { scenarios } = await serverQuery(ScenariosQuery, { project });
  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>Scenarios</h1>
          <p>
            Data → train → evaluate → deploy → serve, on real public data in three fields. Each one is prepared in a
            click, then evaluated the way people in the field read a model, and served live.
          </p>
        </div>
      </div>
      <ul className={styles.cards}>
        {scenarios.map((scenario) => (
          <li key={scenario.key} className="card" data-testid={`scenario-card-${segmentOf(scenario.key)}`}>
            <div className="card-header">
              <h2>
                <Link href={projectPath(project, 'scenarios', segmentOf(scenario.key))}>{scenario.title}</Link>
              </h2>
              <StateBadge state={scenario.state} />
            </div>
            <div className="card-body stack" style={{ gap: 8 }}>
              <p className="muted">{scenario.field}</p>
              <p>{scenario.summary}</p>
              <ul>
                {scenario.demos.map((demo) => (
                  <li key={demo.key}>
                    {demo.title} ({demo.task === 'IMAGE' ? 'images' : 'tabular'},{' '}
                    {demo.state.replace('_', ' ').toLowerCase()})
                  </li>
                ))}
              </ul>
              {scenario.preparedAt ? <p className="muted">Prepared {formatDate(scenario.preparedAt)}</p> : null}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
