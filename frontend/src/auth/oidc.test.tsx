import { act, screen, waitFor } from '@testing-library/react';
import { User } from 'oidc-client-ts';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../App';
import type { AuthConfig } from '../api/types';
import { installFakeApi, json, makeStore } from '../test/fakeApi';
import { renderWithProviders } from '../test/render';
import { oidcSettings, scopesOf } from './oidc';

const AUTHORITY = 'https://idp.example.test';
const config: AuthConfig = { mode: 'oidc', authority: AUTHORITY, clientId: 'dashboard', scopes: 'openid profile api://stores/access' };
const TOKEN = 'eyJ.access-token-for-olivia.sig';

const discovery = {
  issuer: AUTHORITY,
  authorization_endpoint: `${AUTHORITY}/authorize`,
  token_endpoint: `${AUTHORITY}/token`,
  end_session_endpoint: `${AUTHORITY}/endsession`,
  jwks_uri: `${AUTHORITY}/jwks`,
  code_challenge_methods_supported: ['S256'],
};

function installOidcFake() {
  const fake = installFakeApi({
    auth: { config, tokens: { [TOKEN]: { userId: 'olivia', role: 'user' } } },
    stores: [makeStore({ name: 'olivia-shop', userId: 'olivia' }), makeStore({ name: 'peter-shop', userId: 'peter' })],
  });
  fake.override('GET', '/.well-known/openid-configuration', () => json(discovery));
  return fake;
}

/** What oidc-client-ts keeps after a completed sign-in, as after a reload of the tab. */
function storeSignedInUser(expiresInSeconds = 3600) {
  const user = new User({
    access_token: TOKEN,
    token_type: 'Bearer',
    id_token: 'eyJ.id.sig',
    scope: 'openid profile',
    profile: { sub: 'olivia', iss: AUTHORITY, aud: 'dashboard', exp: Math.floor(Date.now() / 1000) + expiresInSeconds, iat: 0 },
    expires_at: Math.floor(Date.now() / 1000) + expiresInSeconds,
  });
  sessionStorage.setItem(`oidc.user:${AUTHORITY}:dashboard`, user.toStorageString());
}

afterEach(() => {
  sessionStorage.clear();
  localStorage.clear();
});

describe('OIDC settings', () => {
  // Proves the dashboard asks for the authorization code flow (PKCE is oidc-client-ts's default for it),
  // comes back to its own address and keeps the user and sign-in state in sessionStorage.
  it('uses the code flow back to the dashboard, with session storage', () => {
    const s = oidcSettings(config, 'http://127.0.0.1:4173');
    expect(s.response_type).toBe('code');
    expect(s.redirect_uri).toBe('http://127.0.0.1:4173/');
    expect(s.post_logout_redirect_uri).toBe('http://127.0.0.1:4173/');
    expect(s.authority).toBe(AUTHORITY);
    expect(s.client_id).toBe('dashboard');
    expect(s.scope).toBe('openid profile api://stores/access');
    expect(s.disablePKCE).toBeUndefined();
  });

  // Proves openid is always asked for and list/space/comma forms of the server's scopes all work.
  it.each([
    [undefined, 'openid'],
    ['profile email', 'openid profile email'],
    [['api://x/.default', 'openid'], 'openid api://x/.default'],
    ['a,b', 'openid a b'],
  ])('scopes %j → %s', (scopes, expected) => {
    expect(scopesOf({ mode: 'oidc', scopes: scopes as AuthConfig['scopes'] })).toBe(expected);
  });

  // Proves a server in OIDC mode without authority or client id is reported with the settings to fix.
  it('names the missing settings', () => {
    expect(() => oidcSettings({ mode: 'oidc', authority: AUTHORITY })).toThrow(/AUTH_AUTHORITY, AUTH_CLIENT_ID/);
  });
});

describe('sign-in (oidc mode)', () => {
  // Proves the Sign in button starts the provider's login: metadata from the authority, and a PKCE
  // code verifier kept in sessionStorage for the way back (never localStorage).
  it('starts the authorization code + PKCE login', async () => {
    const fake = installOidcFake();
    const { user } = renderWithProviders(<App />);
    await user.click(await screen.findByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(fake.callsTo('GET', '/.well-known/openid-configuration')).toHaveLength(1));
    await waitFor(() => {
      const states = Object.keys(sessionStorage).filter((k) => k.startsWith('oidc.') && !k.startsWith('oidc.user:'));
      expect(states).toHaveLength(1);
      expect(JSON.parse(sessionStorage.getItem(states[0])!).code_verifier).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
    });
    expect(localStorage.length).toBe(0);
    expect(fake.callsTo('GET', '/api/stores')).toHaveLength(0);
  });

  // Proves a signed-in OIDC user's access token is the bearer, and Sign out forgets the user and data and
  // goes to the provider's end-session endpoint (which jsdom cannot follow; the browser e2e does).
  it('sends the access token as the bearer and signs out', async () => {
    storeSignedInUser();
    const fake = installOidcFake();
    const { user } = renderWithProviders(<App />);
    expect(await screen.findByRole('rowheader', { name: 'olivia-shop' })).toBeInTheDocument();
    expect(screen.queryByText('peter-shop')).toBeNull();
    expect(screen.getByText(/signed in as/)).toHaveTextContent('signed in as olivia (user)');
    for (const c of fake.calls.filter((c) => c.path.startsWith('/api/') && c.path !== '/api/auth/config')) {
      expect(c.authorization, c.path).toBe(`Bearer ${TOKEN}`);
    }

    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByText('Signing out…')).toBeInTheDocument();
    expect(screen.queryByText('olivia-shop')).toBeNull();
    expect(sessionStorage.getItem(`oidc.user:${AUTHORITY}:dashboard`)).toBeNull();
  });

  // Proves a stored sign-in whose token has expired asks to sign in again, sending nothing with it.
  it('asks to sign in again when the token has expired', async () => {
    storeSignedInUser(-60);
    const fake = installOidcFake();
    renderWithProviders(<App />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Your sign-in has expired. Sign in again.');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(fake.calls.filter((c) => c.authorization)).toEqual([]);
  });

  // Proves a 401 (token revoked or expired at the server) returns to the sign-in screen with a message.
  it('returns to the sign-in screen when the token is refused', async () => {
    storeSignedInUser();
    const fake = installOidcFake();
    const { queryClient } = renderWithProviders(<App />);
    await screen.findByRole('rowheader', { name: 'olivia-shop' });
    delete fake.state.tokens[TOKEN];
    await act(() => queryClient.refetchQueries({ queryKey: ['stores'] }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/^Your session has ended \(.*\)\. Sign in again\.$/);
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    await waitFor(() => expect(sessionStorage.getItem(`oidc.user:${AUTHORITY}:dashboard`)).toBeNull());
  });
});
