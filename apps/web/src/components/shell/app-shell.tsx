import Link from 'next/link';
import type { ReactNode } from 'react';
import type { Role } from '@/lib/server/api';
import { NavLinks } from './nav-links';
import { ProjectSwitcher } from './project-switcher';
import styles from './shell.module.css';

export function AppShell(props: {
  project: string;
  projects: string[];
  user: string;
  role: Role;
  children: ReactNode;
}) {
  const canWrite = props.role !== 'VIEWER';
  return (
    <div className={styles.shell}>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <aside className={styles.sidebar}>
        <Link href="/" className={styles.brand}>
          <span className={styles.logo} aria-hidden="true">
            λ
          </span>
          Lepton
        </Link>
        <div className={styles.projectLabel}>Project</div>
        <ProjectSwitcher project={props.project} projects={props.projects} />
        <nav aria-label="Main">
          <NavLinks project={props.project} canWrite={canWrite} />
        </nav>
      </aside>
      <div className={styles.content}>
        <header className={styles.topbar}>
          <div className={styles.identity}>
            <span>{props.user}</span>
            <span className="badge" title="Your role in this project">
              {props.role}
            </span>
          </div>
          <form method="post" action="/api/session/sign-out">
            <button type="submit" className="btn btn-small">
              Sign out
            </button>
          </form>
        </header>
        <main id="main" className={styles.main}>
          {props.children}
        </main>
      </div>
    </div>
  );
}
