import { WebStorageStateStore, type UserManagerSettings } from 'oidc-client-ts';
import type { AuthConfig } from '../api/types';

/** The scopes to ask for: the server's, always with `openid` (the library needs an id token). */
export function scopesOf(config: AuthConfig): string {
  const raw = config.scopes ?? [];
  const list = (Array.isArray(raw) ? raw : raw.split(/[\s,]+/)).map((s) => s.trim()).filter(Boolean);
  return [...new Set(['openid', ...list])].join(' ');
}

/**
 * Authorization code + PKCE (oidc-client-ts does both: response_type "code", S256 challenge). The
 * dashboard's own address is the redirect target; the user and the sign-in state live in
 * sessionStorage, like the API key, so nothing outlives the tab.
 */
export function oidcSettings(config: AuthConfig, origin: string = window.location.origin): UserManagerSettings {
  if (!config.authority || !config.clientId) {
    throw new Error('The server is in OIDC mode but did not say which authority and client id to use (AUTH_AUTHORITY, AUTH_CLIENT_ID).');
  }
  const home = new URL(import.meta.env.BASE_URL, origin).href;
  return {
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: home,
    post_logout_redirect_uri: home,
    response_type: 'code',
    scope: scopesOf(config),
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
  };
}
