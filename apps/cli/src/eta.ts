const MINUTE = 60;
const HOUR = 60 * MINUTE;

const twoDigits = (value: number) => String(value).padStart(2, '0');

/** A duration a person reads at a glance: "42s", "1m 05s", "2h 05m". */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds < MINUTE) return `${seconds}s`;
  if (seconds < HOUR) return `${Math.floor(seconds / MINUTE)}m ${twoDigits(seconds % MINUTE)}s`;
  return `${Math.floor(seconds / HOUR)}h ${twoDigits(Math.floor((seconds % HOUR) / MINUTE))}m`;
}

/** What the progress bar says about the time left of a run in the given status. */
export function timeLeft(status: string, etaSeconds: number | null | undefined): string {
  if (status === 'QUEUED') return 'queued';
  if (status !== 'RUNNING') return 'ended';
  return etaSeconds === null || etaSeconds === undefined ? 'ETA estimating' : `ETA ${formatDuration(etaSeconds)}`;
}
