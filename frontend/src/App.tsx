import { AuthGate } from './auth/AuthGate';
import { Dashboard } from './Dashboard';

/**
 * Sign-in first (as the server's auth mode asks), then the dashboard for the verified caller. Routes (the router is
 * main.tsx's BrowserRouter): `/` the overview, `/stores/{name}` one store.
 */
export function App() {
  return <AuthGate>{(session) => <Dashboard session={session} />}</AuthGate>;
}
