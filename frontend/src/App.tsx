import { ActivityPanel } from './components/ActivityPanel';
import { ErrorBanner } from './components/ErrorBanner';
import { HealthIndicator } from './components/HealthIndicator';
import { MetricsPanel } from './components/MetricsPanel';
import { StoreForm } from './components/StoreForm';
import { StoreTable } from './components/StoreTable';
import { errorMessage } from './api/client';
import { useHealth, useMetrics, useStores } from './hooks/usePolling';
import { clockTime } from './lib/format';

export function App() {
  const stores = useStores();
  const metrics = useMetrics();
  const health = useHealth();

  // The stores list is the dashboard's heartbeat: when it fails, say so, keep the data.
  const failing = stores.isError ? stores : metrics.isError ? metrics : null;
  const lastSuccessAt = stores.dataUpdatedAt || null;

  return (
    <div className="app">
      <header className="app-header">
        <h1>Store provisioning</h1>
        <div className="header-meta">
          {lastSuccessAt && (
            <span className="last-refresh">
              Last refresh: <time dateTime={new Date(lastSuccessAt).toISOString()}>{clockTime(lastSuccessAt)}</time>
            </span>
          )}
          {/* While the API is unreachable an older health answer would be misleading. */}
          <HealthIndicator health={failing ? undefined : health.data} isError={health.isError || !!failing} />
        </div>
      </header>
      {failing && <ErrorBanner message={errorMessage(failing.error)} lastSuccessAt={lastSuccessAt} />}
      <main className="layout">
        <div className="main-col">
          <section className="panel" aria-label="New store">
            <StoreForm />
          </section>
          <section className="panel stores-panel" aria-labelledby="stores-heading">
            <h2 id="stores-heading" tabIndex={-1} data-focus-fallback>
              Stores {stores.data ? <span className="count">({stores.data.length})</span> : null}
              {stores.isFetching && <span className="refreshing" aria-hidden="true"> ⟳</span>}
            </h2>
            <StoreTable stores={stores.data} isLoading={stores.isLoading} />
          </section>
        </div>
        <div className="side">
          <MetricsPanel metrics={metrics.data} isLoading={metrics.isLoading} />
          <ActivityPanel stores={stores.data} />
        </div>
      </main>
    </div>
  );
}
