import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { projectPath } from '@/components/shell/nav-items';
import { canWrite, serverQuery } from '@/lib/server/api';
import { ATTRIBUTIONS } from '../attribution';
import styles from '../scenarios.module.css';
import { scenarioKeyOf, segmentOf } from './scenario-keys';
import { ScenarioDetailQuery } from './scenario-queries';
import { ScenarioView } from './scenario-view';

type Params = Promise<{ project: string; key: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { key } = await params;
  const scenario = scenarioKeyOf(key);
  return { title: scenario ? `Scenario: ${segmentOf(scenario)}` : 'Scenario' };
}

export default async function ScenarioPage({ params }: { params: Params }) {
  const { project: rawProject, key: segment } = await params;
  const project = decodeURIComponent(rawProject);
  const key = scenarioKeyOf(segment);
  if (!key) notFound();
  const [data, writer] = await Promise.all([serverQuery(ScenarioDetailQuery, { project, key }), canWrite(project)]);
  const scenario = data.scenario;
  return (
    <div className="stack">
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <Link href={projectPath(project, 'scenarios')}>Scenarios</Link> / <span>{scenario.title}</span>
      </nav>
      <div className="page-header">
        <div>
          <h1>{scenario.title}</h1>
          <p>
            {scenario.field}: {scenario.summary}
          </p>
        </div>
      </div>
      <ScenarioView project={project} scenario={scenario} canWrite={writer} />
      <section className="card" aria-labelledby="about-title">
        <div className="card-header">
          <h2 id="about-title">5. What these models are, and are not</h2>
        </div>
        <div className="card-body stack">
          <p className="prewrap" data-testid="scenario-caveats">
            {scenario.caveats}
          </p>
          <h3>Data</h3>
          <ul className={styles.prose}>
            {ATTRIBUTIONS[segmentOf(key)].map((source) => (
              <li key={source.url}>
                <a href={source.url} rel="noreferrer">
                  {source.name}
                </a>
                , {source.citation}. Licensed under{' '}
                <a href="https://creativecommons.org/licenses/by/4.0/" rel="noreferrer">
                  CC BY 4.0
                </a>
                ; changed here: {source.changes}.
              </li>
            ))}
          </ul>
        </div>
      </section>
    </div>
  );
}
