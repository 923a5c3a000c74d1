'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { NAV_ITEMS, projectPath } from './nav-items';
import styles from './shell.module.css';

export function NavLinks({ project, canWrite }: { project: string; canWrite: boolean }) {
  const pathname = usePathname();
  const base = projectPath(project);
  return (
    <ul className={styles.nav}>
      {NAV_ITEMS.filter((item) => canWrite || !item.writeOnly).map((item) => {
        const href = item.segment ? `${base}/${item.segment}` : base;
        const active = item.segment ? pathname === href || pathname.startsWith(`${href}/`) : pathname === base;
        return (
          <li key={item.segment}>
            <Link href={href} className={styles.navLink} aria-current={active ? 'page' : undefined}>
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
