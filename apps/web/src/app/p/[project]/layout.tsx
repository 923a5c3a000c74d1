import Link from 'next/link';
import type { ReactNode } from 'react';
import { AppShell } from '@/components/shell/app-shell';
import { projectPath } from '@/components/shell/nav-items';
import { getViewer } from '@/lib/server/api';

export default async function ProjectLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ project: string }>;
}) {
  const project = decodeURIComponent((await params).project);
  const viewer = await getViewer();
  const membership = viewer.memberships.find((candidate) => candidate.project.name === project);
  const projects = viewer.memberships.map((candidate) => candidate.project.name);
  if (!membership) {
    return (
      <main className="state" id="main">
        <h1>No access to “{project}”</h1>
        <p>This token cannot reach that project, or it does not exist.</p>
        <ul style={{ listStyle: 'none', padding: 0 }}>
          {projects.map((name) => (
            <li key={name}>
              <Link href={projectPath(name)}>Open {name}</Link>
            </li>
          ))}
        </ul>
      </main>
    );
  }
  return (
    <AppShell project={project} projects={projects} user={viewer.user.name} role={membership.role}>
      {children}
    </AppShell>
  );
}
