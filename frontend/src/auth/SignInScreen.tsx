import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, api, errorMessage } from '../api/client';
import type { Me } from '../api/types';

/** The page a signed-out visitor sees: title, why they are here (e.g. a session that ended), the way in. */
export function SignInScreen({ message, children }: { message: string | null; children: ReactNode }) {
  return (
    <div className="signin">
      <main className="panel signin-panel" aria-labelledby="signin-heading">
        <h1 id="signin-heading">Store provisioning</h1>
        <p className="hint">Sign in to manage stores.</p>
        {message && (
          <p className="banner banner-error" role="alert">
            {message}
          </p>
        )}
        {children}
      </main>
    </div>
  );
}

/** A whole-page status line while sign-in settings or the caller are being loaded. */
export function Pending({ children }: { children: ReactNode }) {
  return (
    <div className="signin">
      <p className="state state-loading" role="status">
        {children}
      </p>
    </div>
  );
}

/**
 * apikey mode: the key is checked with GET /api/me before it is kept, so a mistyped key stays on this
 * screen with the server's reason instead of opening an empty dashboard.
 */
export function ApiKeySignIn({ message, onSignedIn }: { message: string | null; onSignedIn: (key: string, me: Me) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const id = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const candidate = key.trim();
    if (!candidate) {
      setError('Enter an API key.');
      return;
    }
    setChecking(true);
    setError(null);
    try {
      const me = await api.me(undefined, candidate);
      onSignedIn(candidate, me);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? `That API key was not accepted: ${err.message}` : errorMessage(err));
      setChecking(false);
    }
  }

  return (
    <SignInScreen message={error ? null : message}>
      <form className="signin-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={id}>API key</label>
          <input
            id={id}
            name="apiKey"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={key}
            onChange={(e) => setKey(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-err` : undefined}
          />
        </div>
        {error && (
          <p id={`${id}-err`} className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={checking}>
          {checking ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </SignInScreen>
  );
}
