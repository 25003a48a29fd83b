import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import { BUSY_STATUSES, type Store, type StoreAction } from '../api/types';
import { useStoreActions } from '../hooks/useStoreMutations';
import { relativeTime } from '../lib/format';
import { ConfirmDialog } from './ConfirmDialog';
import { FailureReason } from './FailureReason';
import { RollbackDialog } from './RollbackDialog';
import { StatusBadge } from './StatusBadge';
import { UpgradeDialog } from './UpgradeDialog';

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
  const { upgrade, rollback, retry, remove, cancel, pending } = useStoreActions(store.name);
  const [dialog, setDialog] = useState<'delete' | 'rollback' | 'cancel' | 'upgrade' | null>(null);
  // The operator's plans and versions; without them (an older API) Upgrade re-applies the chart as before.
  const catalog = useQuery({ queryKey: ['catalog'], queryFn: ({ signal }) => api.catalog(signal), staleTime: 5 * 60_000, retry: false });

  // No new action while the server is working on the store or a request of ours is in flight.
  const busy = pending || BUSY_STATUSES.includes(store.status);
  const busyHint = busy ? 'An operation is in progress' : undefined;
  const label = (action: string) => `${action} ${store.name}`;

  // The API lists what the store allows now; nothing is asked while a request of ours is in flight.
  const allows = (action: StoreAction) => !pending && (store.actions ?? []).includes(action);

  return (
    <tr data-store={store.name} aria-busy={busy || undefined}>
      <th scope="row" className="store-name">
        <Link to={`/stores/${encodeURIComponent(store.name)}`} title={`Details of ${store.name}`}>
          {store.name}
        </Link>
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
          onClick={() => (catalog.data ? setDialog('upgrade') : upgrade.mutate(undefined))}
          disabled={!allows('upgrade')}
          title={busyHint}
          aria-label={label('Upgrade')}
        >
          Upgrade
        </button>
        <button
          type="button"
          onClick={() => setDialog('rollback')}
          disabled={!allows('rollback')}
          title={busyHint ?? (allows('rollback') ? undefined : 'No earlier revision to roll back to')}
          aria-label={label('Rollback')}
        >
          Rollback
        </button>
        {(store.actions ?? []).includes('retry') && (
          <button
            type="button"
            onClick={() => retry.mutate()}
            disabled={!allows('retry')}
            title={busyHint}
            aria-label={label('Retry')}
          >
            Retry
          </button>
        )}
        {/* Offered while an operation is in flight (the API's actions); it leaves the store FAILED, retryable. */}
        {(store.actions ?? []).includes('cancel') && (
          <button
            type="button"
            onClick={() => setDialog('cancel')}
            disabled={!allows('cancel')}
            aria-label={label('Cancel')}
          >
            Cancel
          </button>
        )}
        <button
          type="button"
          className="danger"
          onClick={() => setDialog('delete')}
          disabled={!allows('delete')}
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
        {dialog === 'cancel' && (
          <ConfirmDialog
            title={`Cancel the ${store.operation ?? 'operation'} of ${store.name}?`}
            message={`This stops the running ${store.operation ?? 'operation'} of "${store.name}" (helm or kubectl is stopped) and leaves the store FAILED. You can retry it afterwards.`}
            confirmLabel="Cancel operation"
            onCancel={() => setDialog(null)}
            onConfirm={() => {
              setDialog(null);
              cancel.mutate();
            }}
          />
        )}
        {dialog === 'upgrade' && catalog.data && (
          <UpgradeDialog
            storeName={store.name}
            engine={store.engine}
            catalog={catalog.data}
            // The owner column is shown exactly to operators and admins (the signed-in role), who may edit raw values.
            canEditRawValues={showOwner}
            onCancel={() => setDialog(null)}
            onPreview={(values) => api.upgradePreview(store.name, values)}
            onSubmit={async (values) => {
              await upgrade.mutateAsync(values);
              setDialog(null);
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
