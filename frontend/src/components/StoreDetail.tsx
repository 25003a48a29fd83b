import { useEffect, useId, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, errorMessage } from '../api/client';
import type { Revision, Store, StoreProgress } from '../api/types';
import { useNow } from '../hooks/useNow';
import { useActivity, useRevisions, useRevisionValues, useStore } from '../hooks/usePolling';
import { actionLabel, actionTone, elapsedText, relativeTime } from '../lib/format';
import { CopyButton } from './CopyButton';
import { FailureReason } from './FailureReason';
import { StatusBadge } from './StatusBadge';
import { ValuesDiff } from './ValuesDiff';

const ENGINE_LABEL: Record<string, string> = { woocommerce: 'WooCommerce', medusa: 'Medusa' };

/** The running operation's step, "Step 2 of 4: helm upgrade", with the time it has been running. */
export function ProgressLine({ progress, now }: { progress: StoreProgress; now: number }) {
  const started = Date.parse(progress.startedAt);
  return (
    <p className="progress-line" data-testid="progress">
      <span>
        Step {progress.index} of {progress.of}: <strong>{progress.step}</strong>
      </span>{' '}
      {!Number.isNaN(started) && (
        <span className="progress-elapsed">
          running for <time dateTime={progress.startedAt}>{elapsedText((now - started) / 1000)}</time>
        </span>
      )}
      <progress max={progress.of} value={Math.max(0, progress.index - 1)} aria-label={`Step ${progress.index} of ${progress.of}`} />
    </p>
  );
}

function Summary({ store, now }: { store: Store; now: number }) {
  return (
    <section className="panel" aria-labelledby="detail-status-heading">
      <h3 id="detail-status-heading">Status</h3>
      <p>
        <StatusBadge status={store.status} operation={store.operation} />
      </p>
      {store.progress && <ProgressLine progress={store.progress} now={now} />}
      <dl className="detail-facts">
        <div>
          <dt>Engine</dt>
          <dd>{ENGINE_LABEL[store.engine] ?? store.engine}</dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd>{store.userId}</dd>
        </div>
        <div>
          <dt>Revision</dt>
          <dd>{store.revision ?? '—'}</dd>
        </div>
        <div>
          <dt>Namespace</dt>
          <dd>{store.namespace}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <time dateTime={store.createdAt} title={store.createdAt}>
              {relativeTime(store.createdAt, now)}
            </time>
          </dd>
        </div>
      </dl>
      {store.status === 'READY' && /^https?:\/\//i.test(store.url) && (
        <p>
          <a href={store.url} target="_blank" rel="noreferrer noopener">
            {store.url}
          </a>
        </p>
      )}
      {store.status === 'FAILED' && store.error && (
        <p>
          <FailureReason text={store.error} />
        </p>
      )}
    </section>
  );
}

function Timeline({ name, now }: { name: string; now: number }) {
  const activity = useActivity(name, 100);
  const entries = useMemo(
    () => [...(activity.data ?? [])].sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp)),
    [activity.data],
  );
  return (
    <section className="panel" aria-labelledby="detail-activity-heading">
      <h3 id="detail-activity-heading">Activity</h3>
      {activity.isError && !activity.data ? (
        <p className="field-error">{errorMessage(activity.error)}</p>
      ) : activity.isLoading ? (
        <p className="state state-loading" role="status">
          Loading activity…
        </p>
      ) : entries.length === 0 ? (
        <p className="state state-empty">No activity for {name} yet.</p>
      ) : (
        <ol className="timeline" aria-label={`Activity of ${name}, newest first`}>
          {entries.map((e) => (
            <li key={e.id} className={`timeline-item tone-${actionTone(e.action)}`} data-action={e.action}>
              <span className="timeline-action">{actionLabel(e.action)}</span>{' '}
              <time dateTime={e.timestamp} title={e.timestamp} className="activity-time">
                {relativeTime(e.timestamp, now)}
              </time>
              {e.actor && (
                <span className="activity-actor">
                  {' '}
                  by <strong>{e.actor}</strong>
                  {e.userId && e.userId !== e.actor ? ` for ${e.userId}` : ''}
                </span>
              )}
              {e.detail && <span className="activity-detail">{e.detail}</span>}
              {e.traceId && (
                <span className="trace-id">
                  trace <code>{e.traceId}</code> <CopyButton text={e.traceId} label={`Copy trace id ${e.traceId}`} />
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Two revisions chosen by the user and the diff of their values. */
function RevisionDiff({ name, revisions }: { name: string; revisions: Revision[] }) {
  const fromId = useId();
  const toId = useId();
  const numbers = revisions.map((r) => r.revision);
  // Default: the previous revision against the newest (the list is newest first).
  const [from, setFrom] = useState<number | null>(numbers[1] ?? null);
  const [to, setTo] = useState<number | null>(numbers[0] ?? null);
  // A new revision appearing while the page is open: keep the user's choice, fill in what was missing.
  useEffect(() => {
    if (to === null && numbers[0] !== undefined) setTo(numbers[0]);
    if (from === null && numbers[1] !== undefined) setFrom(numbers[1]);
  }, [numbers, from, to]);

  const left = useRevisionValues(name, from);
  const right = useRevisionValues(name, to);
  const failure = left.error ?? right.error;

  if (numbers.length < 2) return <p className="state state-empty">A values diff needs two revisions; this store has {numbers.length}.</p>;
  const option = (n: number) => (
    <option key={n} value={n}>
      Revision {n}
    </option>
  );
  return (
    <div className="revision-diff">
      <div className="diff-pickers">
        <div className="field inline">
          <label htmlFor={fromId}>Compare revision</label>
          <select id={fromId} value={from ?? ''} onChange={(e) => setFrom(Number(e.target.value))}>
            {numbers.map(option)}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor={toId}>with revision</label>
          <select id={toId} value={to ?? ''} onChange={(e) => setTo(Number(e.target.value))}>
            {numbers.map(option)}
          </select>
        </div>
      </div>
      {failure ? (
        <p className="field-error" role="alert">
          Cannot load the values: {errorMessage(failure)}
        </p>
      ) : left.data && right.data ? (
        <ValuesDiff before={left.data.values} after={right.data.values} beforeLabel={`revision ${from}`} afterLabel={`revision ${to}`} />
      ) : (
        <p className="state state-loading" role="status">
          Loading values…
        </p>
      )}
    </div>
  );
}

function History({ name, now }: { name: string; now: number }) {
  const revisions = useRevisions(name);
  return (
    <section className="panel" aria-labelledby="detail-history-heading">
      <h3 id="detail-history-heading">Helm history</h3>
      {revisions.isError && !revisions.data ? (
        <p className="field-error">Cannot load the history: {errorMessage(revisions.error)}</p>
      ) : !revisions.data ? (
        <p className="state state-loading" role="status">
          Loading history…
        </p>
      ) : revisions.data.length === 0 ? (
        <p className="state state-empty">No Helm revisions yet.</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="revisions">
              <caption className="visually-hidden">Helm revisions of {name}, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Revision</th>
                  <th scope="col">Chart</th>
                  <th scope="col">App version</th>
                  <th scope="col">Status</th>
                  <th scope="col">Description</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {revisions.data.map((r) => (
                  <tr key={r.revision} data-revision={r.revision}>
                    <th scope="row" className="num">
                      {r.revision}
                    </th>
                    <td>{r.chart}</td>
                    <td>{r.appVersion ?? '—'}</td>
                    <td>{r.status}</td>
                    <td>{r.description ?? ''}</td>
                    <td>
                      <time dateTime={r.updatedAt} title={r.updatedAt}>
                        {relativeTime(r.updatedAt, now)}
                      </time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h4>Values diff</h4>
          <RevisionDiff name={name} revisions={revisions.data} />
        </>
      )}
    </section>
  );
}

/** /stores/{name}: one store's status and current step, its activity, Helm history and values diffs. */
export function StoreDetail({ name }: { name: string }) {
  const store = useStore(name);
  const now = useNow(1000);
  const notFound = store.error instanceof ApiError && store.error.status === 404;

  return (
    <main className="layout layout-single store-detail">
      <nav aria-label="Breadcrumb">
        <Link to="/">← All stores</Link>
      </nav>
      <h2 tabIndex={-1}>
        Store <span className="store-name">{name}</span>
      </h2>
      {notFound ? (
        <p className="state state-empty">There is no store named {name} (or it is not yours to see).</p>
      ) : store.isError && !store.data ? (
        <p className="field-error" role="alert">
          {errorMessage(store.error)}
        </p>
      ) : !store.data ? (
        <p className="state state-loading" role="status">
          Loading {name}…
        </p>
      ) : (
        <div className="detail-grid">
          <Summary store={store.data} now={now} />
          <Timeline name={name} now={now} />
          <History name={name} now={now} />
        </div>
      )}
    </main>
  );
}
