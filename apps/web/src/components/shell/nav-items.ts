/** The sidebar, in order. A new section adds one entry here and a folder under app/p/[project]/. */
export interface NavItem {
  /** Path below /p/<project>; '' is the overview. */
  segment: string;
  label: string;
  /** Shown only to roles that can write (the page itself also says so to a VIEWER). */
  writeOnly?: boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { segment: '', label: 'Overview' },
  { segment: 'models', label: 'Models' },
  { segment: 'deployments', label: 'Deployments' },
  { segment: 'datasets', label: 'Datasets' },
  { segment: 'runs', label: 'Runs' },
  { segment: 'train', label: 'Train', writeOnly: true },
  { segment: 'scenarios', label: 'Scenarios' },
];

export function projectPath(project: string, ...segments: (string | number)[]): string {
  return ['/p', project, ...segments]
    .map((part, index) => (index === 0 ? part : encodeURIComponent(String(part))))
    .join('/');
}
