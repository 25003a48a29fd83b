import { useMemo, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { AuthProvider, useAuth } from 'react-oidc-context';
import { api, errorMessage } from '../api/client';
import type { AuthConfig, Me } from '../api/types';
import { queryKeys } from '../hooks/queryKeys';
import { apiKeyStorage, setBearer, setUnauthorizedHandler } from './credentials';
import { oidcSettings } from './oidc';
import { ApiKeySignIn, Pending, SignInScreen } from './SignInScreen';

/** The verified caller and how to end the session (null when there is nothing to sign out of). */
export interface Session {
  me: Me;
  signOut: (() => void) | null;
}

/** Nothing the last caller could see stays in memory for the next one (the sign-in settings may). */
function forgetCaller(qc: QueryClient) {
  void qc.cancelQueries({ predicate: (q) => q.queryKey[0] !== queryKeys.authConfig[0] });
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== queryKeys.authConfig[0] });
  qc.getMutationCache().clear();
}

type RenderSignedIn = (session: Session) => ReactNode;

const ENDED = (detail: string) => `Your session has ended (${detail.replace(/\.$/, '')}). Sign in again.`;

/**
 * Asks the server how to sign in (GET /api/auth/config, anonymous) and renders the matching sign-in
 * screen, or `children` once the caller is known. The credential is handed to the API client while
 * this renders, so the dashboard's first queries already carry it.
 */
export function AuthGate({ children }: { children: RenderSignedIn }) {
  const config = useQuery({
    queryKey: queryKeys.authConfig,
    queryFn: ({ signal }) => api.authConfig(signal),
    staleTime: Infinity,
  });
  if (config.isPending) return <Pending>Loading…</Pending>;
  if (config.isError) {
    return (
      <SignInScreen message={`Cannot load the sign-in settings: ${errorMessage(config.error)}`}>
        <button type="button" onClick={() => void config.refetch()}>
          Try again
        </button>
      </SignInScreen>
    );
  }
  return <ForMode config={config.data}>{children}</ForMode>;
}

function ForMode({ config, children }: { config: AuthConfig; children: RenderSignedIn }) {
  if (config.mode !== 'apikey' && config.mode !== 'oidc') {
    // The platform's cookie (easyauth) or nothing (none) identifies the caller: no bearer to send.
    setBearer(null);
    setUnauthorizedHandler(null);
  }
  switch (config.mode) {
    case 'apikey':
      return <ApiKeySession>{children}</ApiKeySession>;
    case 'oidc':
      return <OidcSession config={config}>{children}</OidcSession>;
    case 'easyauth':
      // App Service / Container Apps authentication owns the session (its cookie); its logout ends it.
      return <CallerLoader signOut={() => window.location.assign('/.auth/logout')}>{children}</CallerLoader>;
    case 'none':
      return <CallerLoader signOut={null}>{children}</CallerLoader>;
    default:
      return <SignInScreen message={`The server asks for an unknown sign-in mode "${String(config.mode)}".`}>{null}</SignInScreen>;
  }
}

/** Loads GET /api/me with the session's credential and renders the dashboard for that caller. */
function CallerLoader({ signOut, children }: { signOut: (() => void) | null; children: RenderSignedIn }) {
  const me = useQuery({ queryKey: queryKeys.me, queryFn: ({ signal }) => api.me(signal), staleTime: Infinity });
  if (me.isPending) return <Pending>Checking who you are…</Pending>;
  if (me.isError) {
    return (
      <SignInScreen message={`Cannot tell who you are: ${errorMessage(me.error)}`}>
        <button type="button" onClick={() => void me.refetch()}>
          Try again
        </button>
      </SignInScreen>
    );
  }
  return <>{children({ me: me.data, signOut })}</>;
}

function ApiKeySession({ children }: { children: RenderSignedIn }) {
  const qc = useQueryClient();
  const [key, setKey] = useState(() => apiKeyStorage.get());
  const [message, setMessage] = useState<string | null>(null);

  const end = (why: string | null) => {
    apiKeyStorage.clear();
    setBearer(null);
    setUnauthorizedHandler(null);
    forgetCaller(qc);
    setKey(null);
    setMessage(why);
  };

  setBearer(key);
  setUnauthorizedHandler(key ? (detail) => end(ENDED(detail)) : null);

  if (!key) {
    return (
      <ApiKeySignIn
        message={message}
        onSignedIn={(k, me) => {
          apiKeyStorage.set(k);
          qc.setQueryData(queryKeys.me, me);
          setMessage(null);
          setKey(k);
        }}
      />
    );
  }
  return <CallerLoader signOut={() => end(null)}>{children}</CallerLoader>;
}

function OidcSession({ config, children }: { config: AuthConfig; children: RenderSignedIn }) {
  const settings = useMemo(() => {
    try {
      return oidcSettings(config);
    } catch (err) {
      return err as Error;
    }
  }, [config]);
  if (settings instanceof Error) return <SignInScreen message={settings.message}>{null}</SignInScreen>;
  return (
    <AuthProvider
      {...settings}
      // Back from the provider: drop ?code=&state= from the address bar.
      onSigninCallback={() => window.history.replaceState({}, document.title, window.location.pathname)}
    >
      <OidcSignedIn>{children}</OidcSignedIn>
    </AuthProvider>
  );
}

function OidcSignedIn({ children }: { children: RenderSignedIn }) {
  const auth = useAuth();
  const qc = useQueryClient();
  const [message, setMessage] = useState<string | null>(null);
  const token = auth.user && !auth.user.expired ? auth.user.access_token : null;

  setBearer(token);
  setUnauthorizedHandler(
    token
      ? (detail) => {
          setBearer(null);
          setUnauthorizedHandler(null);
          forgetCaller(qc);
          setMessage(ENDED(detail));
          void auth.removeUser();
        }
      : null,
  );

  if (auth.activeNavigator?.startsWith('signout')) return <Pending>Signing out…</Pending>;
  if (auth.isLoading || auth.activeNavigator) return <Pending>Signing in…</Pending>;
  if (!token) {
    const failed = auth.error ? `Sign-in failed: ${auth.error.message}` : null;
    const expired = auth.user?.expired ? 'Your sign-in has expired. Sign in again.' : null;
    return (
      <SignInScreen message={message ?? failed ?? expired}>
        <button type="button" className="primary" onClick={() => void auth.signinRedirect()}>
          Sign in
        </button>
      </SignInScreen>
    );
  }
  const signOut = () => {
    setBearer(null);
    forgetCaller(qc);
    // Ends the provider's session too when it offers an end-session endpoint; otherwise only ours.
    auth.signoutRedirect().catch(() => auth.removeUser());
  };
  return <CallerLoader signOut={signOut}>{children}</CallerLoader>;
}
