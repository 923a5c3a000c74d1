import { redirect } from 'next/navigation';
import { getViewer } from '@/lib/server/api';

/** `/` opens the token's own project (a project-scoped token), else its first project. */
export default async function Home() {
  const viewer = await getViewer();
  const project = viewer.token.project?.name ?? viewer.memberships[0]?.project.name ?? 'default';
  redirect(`/p/${encodeURIComponent(project)}`);
}
