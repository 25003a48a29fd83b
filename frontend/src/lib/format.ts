/** "just now", "42s ago", "5m ago", "3h ago", "2d ago" (or "in 5s" for clock skew). */
export function relativeTime(iso: string | number | null | undefined, now: number = Date.now()): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  const t = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const diffSec = Math.round((now - t) / 1000);
  const abs = Math.abs(diffSec);
  if (abs < 5) return 'just now';
  let text: string;
  if (abs < 60) text = `${abs}s`;
  else if (abs < 3600) text = `${Math.floor(abs / 60)}m`;
  else if (abs < 86400) text = `${Math.floor(abs / 3600)}h`;
  else text = `${Math.floor(abs / 86400)}d`;
  return diffSec >= 0 ? `${text} ago` : `in ${text}`;
}

/** Local wall-clock time, e.g. "14:03:27". */
export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

const ACTION_LABELS: Record<string, string> = {
  'create.requested': 'Creation requested',
  'install.started': 'Install started',
  'install.succeeded': 'Install succeeded',
  'install.failed': 'Install failed',
  'upgrade.requested': 'Upgrade requested',
  'upgrade.started': 'Upgrade started',
  'upgrade.succeeded': 'Upgrade succeeded',
  'upgrade.failed': 'Upgrade failed',
  'rollback.requested': 'Rollback requested',
  'rollback.started': 'Rollback started',
  'rollback.succeeded': 'Rollback succeeded',
  'rollback.failed': 'Rollback failed',
  'retry.requested': 'Retry requested',
  'retry.started': 'Retry started',
  'retry.succeeded': 'Retry succeeded',
  'retry.failed': 'Retry failed',
  'delete.requested': 'Deletion requested',
  'delete.started': 'Deletion started',
  'delete.succeeded': 'Deletion succeeded',
  'delete.failed': 'Deletion failed',
  'store.removed': 'Store removed',
  'namespace.ready': 'Namespace ready',
  'namespace.deleted': 'Namespace deleted',
  'uninstall.succeeded': 'Uninstall succeeded',
  'uninstall.failed': 'Uninstall failed',
  'operation.timed-out': 'Operation timed out',
  'reconcile.drift': 'Drift detected',
};

/** Human-readable label for an activity action code; unknown codes get a readable fallback. */
export function actionLabel(code: string): string {
  const known = ACTION_LABELS[code];
  if (known) return known;
  const words = code
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[._\-\s]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  if (words.length === 0) return 'Unknown action';
  const sentence = words.join(' ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** Tone of an action for styling (text carries the meaning; colour only supports it). */
export function actionTone(code: string): 'ok' | 'fail' | 'info' {
  if (/(succeeded|removed|completed|ready|deleted|recovered)$/i.test(code)) return 'ok';
  if (/(failed|error|timed-out|stuck|drift)$/i.test(code)) return 'fail';
  return 'info';
}

/** An elapsed time in seconds as "8s", "2m 05s", "1h 03m". */
export function elapsedText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A duration in seconds for a chart or table: "0.42 s", "3.4 s", "2.1 min". */
export function secondsText(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 1) return `${seconds.toFixed(2)} s`;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  return `${(seconds / 60).toFixed(1)} min`;
}
