import { useState } from 'react';
import { Route, Routes, useNavigate, useParams } from 'react-router-dom';
import { ActivityPanel } from './components/ActivityPanel';
import { ApiKeysPanel } from './components/ApiKeysPanel';
import { ErrorBanner } from './components/ErrorBanner';
import { DurationsPanel } from './components/DurationsPanel';
import { HealthIndicator } from './components/HealthIndicator';
import { MetricsPanel } from './components/MetricsPanel';
import { SignedInAs } from './components/SignedInAs';
import { StoreForm } from './components/StoreForm';
import { StoreDetail } from './components/StoreDetail';
import { StoreTable } from './components/StoreTable';
import { ApiError, errorMessage } from './api/client';
import type { Session } from './auth/AuthGate';
import { useHealth, useMetrics, useOperationDurations, useStores } from './hooks/usePolling';
import { clockTime } from './lib/format';
import { canActForOthers } from './lib/roles';

type View = 'stores' | 'keys';

function StoreDetailRoute() {
  const { name = '' } = useParams();
  return <StoreDetail key={name} name={name} />;
}

export function Dashboard({ session }: { session: Session }) {
  const { me } = session;
  const staff = canActForOthers(me.role);
  const [view, setView] = useState<View>('stores');
  const stores = useStores();
  const metrics = useMetrics();
  const health = useHealth(staff);
  const durations = useOperationDurations();
  const navigate = useNavigate();

  // The stores list is the dashboard's heartbeat: when it fails, say so, keep the data.
  const failing = stores.isError ? stores : metrics.isError ? metrics : null;
  const lastSuccessAt = stores.dataUpdatedAt || null;
  // A refusal (401 where no sign-in screen can help, 403, 429) is an answer, not an outage: say so.
  const status = failing?.error instanceof ApiError ? failing.error.status : 0;
  const refused = [401, 403, 429].includes(status);

  const overview = (
    <main className="layout">
      <div className="main-col">
        <section className="panel" aria-label="New store">
          <StoreForm askOwner={staff} />
        </section>
        <section className="panel stores-panel" aria-labelledby="stores-heading">
          <h2 id="stores-heading" tabIndex={-1} data-focus-fallback>
            {staff ? 'Stores' : 'Your stores'}{' '}
            {stores.data ? <span className="count">({stores.data.length})</span> : null}
            {stores.isFetching && <span className="refreshing" aria-hidden="true"> ⟳</span>}
          </h2>
          <StoreTable stores={stores.data} isLoading={stores.isLoading} showOwner={staff} />
        </section>
      </div>
      <div className="side">
        <MetricsPanel metrics={metrics.data} isLoading={metrics.isLoading} />
        <DurationsPanel durations={durations.data} isLoading={durations.isLoading} error={durations.error} />
        <ActivityPanel stores={stores.data} />
      </div>
    </main>
  );

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
          <HealthIndicator health={failing && !refused ? undefined : health.data} isError={health.isError || (!!failing && !refused)} />
          <SignedInAs me={me} onSignOut={session.signOut} />
        </div>
      </header>
      {me.role === 'admin' && (
        <nav className="views" aria-label="Views">
          <button
            type="button"
            aria-current={view === 'stores' ? 'page' : undefined}
            onClick={() => {
              setView('stores');
              navigate('/');
            }}
          >
            Stores
          </button>
          <button type="button" aria-current={view === 'keys' ? 'page' : undefined} onClick={() => setView('keys')}>
            API keys
          </button>
        </nav>
      )}
      {failing && (
        <ErrorBanner
          title={status === 401 ? 'Not signed in' : refused ? 'Refused' : undefined}
          message={errorMessage(failing.error)}
          lastSuccessAt={lastSuccessAt}
        />
      )}
      {view === 'keys' && me.role === 'admin' ? (
        <main className="layout layout-single">
          <ApiKeysPanel />
        </main>
      ) : (
        <Routes>
          <Route path="/stores/:name" element={<StoreDetailRoute />} />
          <Route path="*" element={overview} />
        </Routes>
      )}
    </div>
  );
}
