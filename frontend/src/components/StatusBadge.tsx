import type { StoreOperation, StoreStatus } from '../api/types';

const META: Record<StoreStatus, { icon: string; label: string }> = {
  NEW: { icon: '✦', label: 'New' },
  PROVISIONING: { icon: '⟳', label: 'Provisioning' },
  READY: { icon: '✓', label: 'Ready' },
  FAILED: { icon: '✕', label: 'Failed' },
  DELETING: { icon: '⌫', label: 'Deleting' },
};

/** Status as icon + text (never colour alone); PROVISIONING names the running operation. */
export function StatusBadge({ status, operation }: { status: StoreStatus; operation?: StoreOperation | null }) {
  const meta = META[status] ?? { icon: '?', label: status };
  const showOp = status === 'PROVISIONING' && operation;
  return (
    <span className={`badge badge-${status.toLowerCase()}`} data-status={status}>
      <span className={`badge-icon${status === 'PROVISIONING' ? ' spin' : ''}`} aria-hidden="true">
        {meta.icon}
      </span>
      <span className="badge-text">
        {meta.label}
        {showOp ? ` · ${operation}` : ''}
      </span>
    </span>
  );
}

export const STATUS_ORDER: StoreStatus[] = ['NEW', 'PROVISIONING', 'READY', 'FAILED', 'DELETING'];
export const statusLabel = (s: StoreStatus) => META[s]?.label ?? s;
export const statusIcon = (s: StoreStatus) => META[s]?.icon ?? '?';
