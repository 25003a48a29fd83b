import { useState } from 'react';
import { BUSY_STATUSES, type Store } from '../api/types';
import { useStoreActions } from '../hooks/useStoreMutations';
import { relativeTime } from '../lib/format';
import { ConfirmDialog } from './ConfirmDialog';
import { FailureReason } from './FailureReason';
import { RollbackDialog } from './RollbackDialog';
import { StatusBadge } from './StatusBadge';

interface StoreRowProps {
  store: Store;
  now: number;
  showOwner?: boolean;
}

const ENGINE_LABEL: Record<string, string> = { woocommerce: 'WooCommerce', medusa: 'Medusa' };

function isSafeHttpUrl(url: string | null | undefined): url is string {
  return !!url && /^https?:\/\//i.test(url);
}

export function StoreRow({ store, now, showOwner = true }: StoreRowProps) {
  const { upgrade, rollback, retry, remove, pending } = useStoreActions(store.name);
  const [dialog, setDialog] = useState<'delete' | 'rollback' | null>(null);

  // No new action while the server is working on the store or a request of ours is in flight.
  const busy = pending || BUSY_STATUSES.includes(store.status);
  const busyHint = busy ? 'An operation is in progress' : undefined;
  const label = (action: string) => `${action} ${store.name}`;

  // The server refuses a rollback without an earlier revision (400); say so before the click.
  const canRollBack = (store.revision ?? 0) > 1;

  return (
    <tr data-store={store.name} aria-busy={busy || undefined}>
      <th scope="row" className="store-name">
        {store.name}
      </th>
      <td className="owner">
        <span className="engine">{ENGINE_LABEL[store.engine] ?? store.engine}</span>
        {showOwner && (
          <span className="user">
            <span className="visually-hidden">owner </span>
            {store.userId}
          </span>
        )}
      </td>
      <td>
        <StatusBadge status={store.status} operation={store.operation} />
        {pending && (
          <span className="pending" role="status">
            {' '}
            sending…
          </span>
        )}
      </td>
      <td className="num">{store.revision ?? '—'}</td>
      <td>
        <time dateTime={store.createdAt} title={store.createdAt}>
          {relativeTime(store.createdAt, now)}
        </time>
      </td>
      <td className="details">
        {store.status === 'READY' && isSafeHttpUrl(store.url) && (
          <a href={store.url} title={store.url} target="_blank" rel="noreferrer noopener">
            {store.url}
          </a>
        )}
        {store.status === 'FAILED' && store.error && <FailureReason text={store.error} />}
      </td>
      <td className="actions">
        <button
          type="button"
          onClick={() => upgrade.mutate()}
          disabled={busy}
          title={busyHint}
          aria-label={label('Upgrade')}
        >
          Upgrade
        </button>
        <button
          type="button"
          onClick={() => setDialog('rollback')}
          disabled={busy || !canRollBack}
          title={busyHint ?? (canRollBack ? undefined : 'No earlier revision to roll back to')}
          aria-label={label('Rollback')}
        >
          Rollback
        </button>
        {store.status === 'FAILED' && (
          <button
            type="button"
            onClick={() => retry.mutate()}
            disabled={busy}
            title={busyHint}
            aria-label={label('Retry')}
          >
            Retry
          </button>
        )}
        <button
          type="button"
          className="danger"
          onClick={() => setDialog('delete')}
          disabled={busy}
          title={busyHint}
          aria-label={label('Delete')}
        >
          Delete
        </button>
        {dialog === 'delete' && (
          <ConfirmDialog
            title={`Delete ${store.name}?`}
            message={`This uninstalls the store "${store.name}" and removes its namespace. This cannot be undone.`}
            confirmLabel="Delete store"
            onCancel={() => setDialog(null)}
            onConfirm={() => {
              setDialog(null);
              remove.mutate();
            }}
          />
        )}
        {dialog === 'rollback' && (
          <RollbackDialog
            storeName={store.name}
            currentRevision={store.revision}
            onCancel={() => setDialog(null)}
            onConfirm={(revision) => {
              setDialog(null);
              rollback.mutate(revision);
            }}
          />
        )}
      </td>
    </tr>
  );
}
