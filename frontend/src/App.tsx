import { AuthGate } from './auth/AuthGate';
import { Dashboard } from './Dashboard';

/** Sign-in first (as the server's auth mode asks), then the dashboard for the verified caller. */
export function App() {
  return <AuthGate>{(session) => <Dashboard session={session} />}</AuthGate>;
}
