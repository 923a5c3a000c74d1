import type { Metadata } from 'next';
import Link from 'next/link';
import { projectPath } from '@/components/shell/nav-items';
import { EmptyState } from '@/components/ui/states';
import { projectParam, single, type SearchParams } from '@/lib/page-params';
import { canWrite } from '@/lib/server/api';
import { ImportForm } from './import-form';

export const metadata: Metadata = { title: 'Upload & import' };

export default async function ImportPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string }>;
  searchParams: SearchParams;
}) {
  const project = await projectParam(params);
  const name = single((await searchParams)['name']) ?? '';
  const writer = await canWrite(project);
  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <div className="breadcrumbs">
            <Link href={projectPath(project, 'datasets')}>Datasets</Link> /
          </div>
          <h1>Upload &amp; import</h1>
          <p>
            The file streams to the artifact store; the server parses it, splits it (stratified, seeded) and registers a
            content-hashed version.
          </p>
        </div>
      </div>
      {writer ? (
        <ImportForm project={project} initialName={name} />
      ) : (
        <div className="card">
          <EmptyState title="Read-only access">
            Your role in this project can read datasets but not import them.
          </EmptyState>
        </div>
      )}
    </div>
  );
}
