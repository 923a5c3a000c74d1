const TONE: Record<string, string> = {
  SUCCEEDED: 'badge-success',
  READY: 'badge-success',
  RUNNING: 'badge-info',
  IMPORTING: 'badge-info',
  QUEUED: 'badge-warning',
  PENDING: 'badge-warning',
  FAILED: 'badge-danger',
  CANCELLED: '',
  ARCHIVED: '',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${TONE[status] ?? ''}`}>{status.charAt(0) + status.slice(1).toLowerCase()}</span>;
}
