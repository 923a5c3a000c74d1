'use client';

import { useRouter } from 'next/navigation';
import { projectPath } from './nav-items';
import styles from './shell.module.css';

export function ProjectSwitcher({ project, projects }: { project: string; projects: string[] }) {
  const router = useRouter();
  if (projects.length <= 1) {
    return <div className={styles.projectName}>{project}</div>;
  }
  return (
    <label className={styles.switcher}>
      <span className="visually-hidden">Project</span>
      <select value={project} onChange={(event) => router.push(projectPath(event.target.value))}>
        {projects.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
