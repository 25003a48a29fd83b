import { useId, useMemo, useState } from 'react';
import type { Store } from '../api/types';
import { useNow } from '../hooks/useNow';
import { useActivity } from '../hooks/usePolling';
import { actionLabel, actionTone, relativeTime } from '../lib/format';

interface ActivityPanelProps {
  stores: Store[] | undefined;
}

/** Recent activity, newest first, optionally for one store (server-side `?store=` filter). */
export function ActivityPanel({ stores }: ActivityPanelProps) {
  const [store, setStore] = useState<string>('');
  const selectId = useId();
  const now = useNow(5000);
  const activity = useActivity(store || null);

  // Offer current stores plus any name seen in the feed (deleted stores still have history).
  const entries = activity.data;
  const names = useMemo(() => {
    const set = new Set<string>();
    stores?.forEach((s) => set.add(s.name));
    entries?.forEach((e) => e.storeName && set.add(e.storeName));
    if (store) set.add(store);
    return [...set].sort();
  }, [stores, entries, store]);

  const sorted = useMemo(
    () => [...(entries ?? [])].sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp)),
    [entries],
  );

  return (
    <section className="panel activity" aria-labelledby="activity-heading">
      <div className="panel-header">
        <h2 id="activity-heading">Activity</h2>
        <div className="field inline">
          <label htmlFor={selectId}>Filter by store</label>
          <select id={selectId} value={store} onChange={(e) => setStore(e.target.value)}>
            <option value="">All stores</option>
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
      </div>
      {activity.isLoading && !entries ? (
        <p className="state state-loading" role="status">
          Loading activity…
        </p>
      ) : sorted.length === 0 ? (
        <p className="state state-empty">{store ? `No activity for ${store} yet.` : 'No activity yet.'}</p>
      ) : (
        <ol className="activity-list" aria-label="Activity, newest first">
          {sorted.map((e) => (
            <li key={e.id} className={`activity-item tone-${actionTone(e.action)}`} data-action={e.action}>
              <span className="activity-action">{actionLabel(e.action)}</span>
              <span className="activity-store">{e.storeName}</span>
              <time dateTime={e.timestamp} title={e.timestamp} className="activity-time">
                {relativeTime(e.timestamp, now)}
              </time>
              {e.actor && (
                <span className="activity-actor">
                  by <strong>{e.actor}</strong>
                  {e.userId && e.userId !== e.actor ? ` for ${e.userId}` : ''}
                </span>
              )}
              {e.detail && <span className="activity-detail">{e.detail}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
