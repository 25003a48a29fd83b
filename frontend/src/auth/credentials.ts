/**
 * The one place the API client learns who is calling: the bearer to send and whom to tell when the
 * server answers 401. The signed-in session (AuthGate) sets both while it renders, so they are in
 * place before any child query runs.
 */
let bearer: string | null = null;
let onUnauthorized: ((detail: string) => void) | null = null;

export function setBearer(token: string | null): void {
  bearer = token;
}

export function currentBearer(): string | null {
  return bearer;
}

export function setUnauthorizedHandler(handler: ((detail: string) => void) | null): void {
  onUnauthorized = handler;
}

/** Called by the client on a 401 to a request that carried the session's credentials. */
export function reportUnauthorized(detail: string): void {
  onUnauthorized?.(detail);
}

const API_KEY_ITEM = 'store-dashboard.api-key';

/**
 * The API key lives in sessionStorage only: it ends with the tab, and never reaches the URL or
 * localStorage (which other tabs and later visits would share).
 */
export const apiKeyStorage = {
  get(): string | null {
    try {
      return sessionStorage.getItem(API_KEY_ITEM);
    } catch {
      return null;
    }
  },
  set(key: string): void {
    sessionStorage.setItem(API_KEY_ITEM, key);
  },
  clear(): void {
    try {
      sessionStorage.removeItem(API_KEY_ITEM);
    } catch {
      /* storage unavailable: nothing stored */
    }
  },
};
