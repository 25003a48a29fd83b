import type { Metrics, StoreStatus } from '../api/types';
import { STATUS_ORDER, statusIcon, statusLabel } from './StatusBadge';

const COUNTERS: { key: keyof Metrics & string; label: string }[] = [
  { key: 'activeStores', label: 'Active stores' },
  { key: 'provisioning', label: 'Provisioning' },
  { key: 'failed', label: 'Failed' },
  { key: 'upgrades', label: 'Upgrades' },
  { key: 'rollbacks', label: 'Rollbacks' },
  { key: 'retries', label: 'Retries' },
];

interface MetricsPanelProps {
  metrics: Metrics | undefined;
  isLoading: boolean;
}

function asCount(v: unknown): string {
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : '—';
}

/** Stores by status (the API's byStatus counts) as one stacked SVG bar, with a text legend carrying the numbers. */
function StatusBar({ byStatus }: { byStatus: Partial<Record<StoreStatus, number>> }) {
  const counts = STATUS_ORDER.map((status) => {
    const n = byStatus[status as StoreStatus];
    return { status, count: typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0 };
  });
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  let x = 0;
  const summary = counts.map((c) => `${statusLabel(c.status)} ${c.count}`).join(', ');
  return (
    <figure className="status-bar">
      <svg
        viewBox="0 0 100 8"
        preserveAspectRatio="none"
        role="img"
        aria-label={`Stores by status: ${total === 0 ? 'none' : summary}`}
      >
        <rect x="0" y="0" width="100" height="8" className="bar-empty" />
        {total > 0 &&
          counts
            .filter((c) => c.count > 0)
            .map((c) => {
              const w = (c.count / total) * 100;
              const rect = <rect key={c.status} x={x} y="0" width={w} height="8" className={`bar-${c.status.toLowerCase()}`} />;
              x += w;
              return rect;
            })}
      </svg>
      <figcaption>
        <ul className="legend">
          {counts.map((c) => (
            <li key={c.status} className={`legend-${c.status.toLowerCase()}`}>
              <span className="swatch" aria-hidden="true" />
              <span aria-hidden="true">{statusIcon(c.status as StoreStatus)}</span> {statusLabel(c.status)}:{' '}
              <strong>{c.count}</strong>
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

export function MetricsPanel({ metrics, isLoading }: MetricsPanelProps) {
  return (
    <section className="panel metrics" aria-labelledby="metrics-heading">
      <h2 id="metrics-heading">Metrics</h2>
      {isLoading && !metrics ? (
        <p className="state state-loading" role="status">
          Loading metrics…
        </p>
      ) : (
        <dl className="counters">
          {COUNTERS.map((c) => (
            <div key={c.key} className="counter" data-metric={c.key}>
              <dt>{c.label}</dt>
              <dd>{asCount(metrics?.[c.key])}</dd>
            </div>
          ))}
        </dl>
      )}
      {typeof metrics?.averageInstallSeconds === 'number' && (
        <p className="metric-extra">
          Average install time: <strong>{metrics.averageInstallSeconds.toFixed(1)} s</strong>
        </p>
      )}
      {metrics?.byStatus && <StatusBar byStatus={metrics.byStatus} />}
    </section>
  );
}
