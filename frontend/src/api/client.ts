import { currentBearer, reportUnauthorized } from '../auth/credentials';
import { config } from '../config';
import type {
  ActivityEntry,
  ApiKeyInfo,
  AuthConfig,
  Catalog,
  CreateApiKeyRequest,
  CreatedApiKey,
  CreateStoreRequest,
  Health,
  Me,
  Metrics,
  OperationDurations,
  Problem,
  Revision,
  RevisionValues,
  Store,
  UpgradePreview,
} from './types';

/** An HTTP or network failure; `status` is 0 when the API could not be reached. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;

  constructor(status: number, message: string, problem: Problem | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

/** The most useful human-readable message for any error thrown by the client. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

function isProblemLike(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  /** Non-2xx statuses whose JSON body is still a valid answer (e.g. 503 from /health). */
  acceptStatuses?: number[];
  /**
   * The bearer to send instead of the session's (sign-in checks a key before keeping it); `null` sends
   * none. A 401 to such a request is the caller's to handle, not a lost session.
   */
  bearer?: string | null;
  /** Sees the successful response's headers (e.g. the store list's `Link: <…>; rel="next"`). */
  onHeaders?: (headers: Headers) => void;
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const ownCredentials = opts.bearer === undefined;
  const token = ownCredentials ? currentBearer() : opts.bearer;
  if (token) headers.Authorization = `Bearer ${token}`;

  let res: Response;
  try {
    res = await fetch(`${config.apiBase}${path}`, {
      method: opts.method ?? 'GET',
      headers,
      body,
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'Cannot reach the API');
  }

  const data = await readBody(res);
  if (res.ok || opts.acceptStatuses?.includes(res.status)) {
    opts.onHeaders?.(res.headers);
    return data as T;
  }

  const problem = isProblemLike(data) ? data : null;
  // A dev/preview proxy answers 5xx without a problem body when the backend is down.
  const fallback =
    res.status >= 500 ? `Cannot reach the API (HTTP ${res.status})` : `Request failed with HTTP ${res.status}`;
  const message = problem?.detail || problem?.title || fallback;
  // The session's credential is missing, expired or revoked: the session is over.
  if (res.status === 401 && ownCredentials) reportUnauthorized(message);
  throw new ApiError(res.status, message, problem);
}

const enc = encodeURIComponent;

/** Stores asked for per page; the API allows up to 500. */
export const STORE_PAGE_SIZE = 500;

/** The target of an RFC 8288 `Link` header's rel="next" entry, or null. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (match && /(^|;)\s*rel="?next"?\s*(;|$)/.test(match[2])) return match[1];
  }
  return null;
}

/**
 * Every store visible to the caller: the API pages its list, so this follows each page's `Link: rel="next"` until
 * the last page (which has none). Only same-origin paths (`/api/…`) are followed.
 */
async function listAllStores(signal?: AbortSignal): Promise<Store[]> {
  const all: Store[] = [];
  let path: string | null = `/api/stores?limit=${STORE_PAGE_SIZE}`;
  while (path) {
    let next: string | null = null;
    const page: Store[] = await request<Store[]>(path, {
      signal,
      onHeaders: (headers) => {
        next = nextLink(headers.get('Link'));
      },
    });
    all.push(...page);
    path = next !== null && (next as string).startsWith('/api/stores?') ? next : null;
  }
  return all;
}

export const api = {
  listStores: (signal?: AbortSignal) => listAllStores(signal),
  getStore: (name: string, signal?: AbortSignal) => request<Store>(`/api/stores/${enc(name)}`, { signal }),
  createStore: (req: CreateStoreRequest) => request<Store>('/api/stores', { method: 'POST', body: req }),
  deleteStore: (name: string) => request<Store>(`/api/stores/${enc(name)}`, { method: 'DELETE' }),
  upgradeStore: (name: string, values?: Record<string, unknown>) =>
    request<Store>(`/api/stores/${enc(name)}/upgrade`, { method: 'POST', body: values ? { values } : {} }),
  rollbackStore: (name: string, revision?: number) =>
    request<Store>(`/api/stores/${enc(name)}/rollback`, {
      method: 'POST',
      body: revision === undefined ? {} : { revision },
    }),
  /** What an upgrade with these values would change; validated like the upgrade, changes nothing. */
  upgradePreview: (name: string, values?: Record<string, unknown>) =>
    request<UpgradePreview>(`/api/stores/${enc(name)}/upgrade/preview`, { method: 'POST', body: values ? { values } : {} }),
  revisions: (name: string, signal?: AbortSignal) => request<Revision[]>(`/api/stores/${enc(name)}/revisions`, { signal }),
  revisionValues: (name: string, revision: number, signal?: AbortSignal) =>
    request<RevisionValues>(`/api/stores/${enc(name)}/revisions/${revision}/values`, { signal }),
  operationDurations: (window = '24h', signal?: AbortSignal) =>
    request<OperationDurations>(`/api/operations/durations?window=${enc(window)}`, { signal }),
  retryStore: (name: string) => request<Store>(`/api/stores/${enc(name)}/retry`, { method: 'POST' }),
  cancelStore: (name: string) => request<Store>(`/api/stores/${enc(name)}/cancel`, { method: 'POST' }),
  metrics: (signal?: AbortSignal) => request<Metrics>('/api/stores/metrics', { signal }),
  activity: (store: string | null, limit = 50, signal?: AbortSignal) => {
    const params = new URLSearchParams({ limit: String(limit) });
    if (store) params.set('store', store);
    return request<ActivityEntry[]>(`/api/stores/activity?${params.toString()}`, { signal });
  },
  catalog: (signal?: AbortSignal) => request<Catalog>('/api/catalog', { signal }),
  health: (signal?: AbortSignal) => request<Health>('/api/health', { signal, acceptStatuses: [503] }),
  /** Operators and admins: the components behind the overall status. */
  healthDetails: (signal?: AbortSignal) =>
    request<Health>('/api/health/details', { signal, acceptStatuses: [503] }),
  /** Anonymous: how to sign in. */
  authConfig: (signal?: AbortSignal) => request<AuthConfig>('/api/auth/config', { signal, bearer: null }),
  me: (signal?: AbortSignal, bearer?: string) => request<Me>('/api/me', { signal, bearer }),
  listKeys: (signal?: AbortSignal) => request<ApiKeyInfo[]>('/api/keys', { signal }),
  createKey: (req: CreateApiKeyRequest) => request<CreatedApiKey>('/api/keys', { method: 'POST', body: req }),
  revokeKey: (id: string) => request<void>(`/api/keys/${enc(id)}`, { method: 'DELETE' }),
};
