import { vi } from 'vitest';
import type {
  ActivityEntry,
  ApiKeyInfo,
  AuthConfig,
  Health,
  Me,
  Metrics,
  OperationDurations,
  Problem,
  Revision,
  Role,
  Store,
  UpgradePreview,
} from '../api/types';
import storeActions from './fixtures/store-actions.json';

export interface RecordedCall {
  method: string;
  path: string;
  search: URLSearchParams;
  body: unknown;
  /** The Authorization header as sent, or null. */
  authorization: string | null;
}

/** A credential the fake accepts: `Authorization: Bearer <token>` makes the caller this identity. */
export interface FakeIdentity {
  userId: string;
  role: Role;
}

export interface FakeAuth {
  config: AuthConfig;
  /** Bearer token → identity. */
  tokens: Record<string, FakeIdentity>;
  /** easyauth: the identity the platform's session (a cookie, not a header) stands for. */
  platformIdentity?: FakeIdentity;
}

/** Routes that answer without credentials, as on the real server. */
const ANONYMOUS = new Set(['GET /api/health', 'GET /api/auth/config']);

/** Today's behaviour without AUTH_MODE: nothing to sign in to, the caller may do everything. */
const NO_AUTH: FakeAuth = { config: { mode: 'none' }, tokens: {} };
const ANONYMOUS_ADMIN: FakeIdentity = { userId: 'anonymous', role: 'admin' };

type Handler = (call: RecordedCall) => Response | Promise<Response>;

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

export function problem(status: number, p: Problem): Response {
  return new Response(JSON.stringify({ type: 'about:blank', status, ...p }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}

let seq = 0;

/**
 * A store's `actions` as the API returns them, read from the shared fixture (written from the server's transition
 * table and checked against it by StoreActionsFixtureTests): the fake never restates the rules.
 */
export function actionsFor(status: Store['status'], revision: number | null): Store['actions'] {
  const asServed = revision === null ? null : Math.min(revision, 2);
  const row = storeActions.stores.find((r) => r.status === status && r.revision === asServed);
  if (!row) throw new Error(`store-actions.json has no row for ${status} at revision ${revision}`);
  return [...row.actions] as Store['actions'];
}

export function makeStore(overrides: Partial<Store> & { name: string }): Store {
  seq += 1;
  const now = new Date().toISOString();
  const store: Store = {
    id: `id-${overrides.name}-${seq}`,
    userId: 'alice',
    engine: 'woocommerce',
    status: 'READY',
    operation: null,
    namespace: `store-${overrides.name}`,
    url: `http://${overrides.name}.127.0.0.1.nip.io`,
    revision: 1,
    error: null,
    createdAt: now,
    updatedAt: now,
    actions: [],
    ...overrides,
  };
  return overrides.actions ? store : { ...store, actions: actionsFor(store.status, store.revision) };
}

/** One Helm revision of a store as the fake keeps it: the history row and its tenant-visible values. */
export interface FakeRevision extends Revision {
  values: Record<string, unknown>;
}

export function makeRevision(revision: number, values: Record<string, unknown>, overrides: Partial<Revision> = {}): FakeRevision {
  return {
    revision,
    chart: 'woocommerce-0.3.0',
    appVersion: '6.8',
    status: revision === 1 ? 'superseded' : 'deployed',
    description: revision === 1 ? 'Install complete' : 'Upgrade complete',
    updatedAt: new Date().toISOString(),
    rollbackTarget: false,
    values,
    ...overrides,
  };
}

export const emptyDurations: OperationDurations = {
  since: new Date(Date.now() - 24 * 3600_000).toISOString(),
  operations: [],
  queue: { waiting: 0, inUse: 0, capacity: 2 },
};

/** The API's window rule (1h..7d as Nh/Nd): the fake refuses what the server refuses. */
const WINDOW = /^(\d+)([hd])$/;
function windowHours(w: string): number | null {
  const m = WINDOW.exec(w);
  if (!m) return null;
  const hours = Number(m[1]) * (m[2] === 'd' ? 24 : 1);
  return hours >= 1 && hours <= 168 ? hours : null;
}

export const zeroMetrics: Metrics = { activeStores: 0, provisioning: 0, failed: 0, upgrades: 0, rollbacks: 0, retries: 0 };

/**
 * Replaces global fetch with an in-memory implementation of the store API
 * contract. `override(method, path, handler)` lets a test answer one route
 * differently (errors, slow responses); every call is recorded in `calls`.
 */
export function installFakeApi(initial: {
  stores?: Store[];
  metrics?: Metrics;
  activity?: ActivityEntry[];
  health?: Health;
  auth?: FakeAuth;
  keys?: ApiKeyInfo[];
  /** Helm history per store name, any order (the fake serves it newest first). */
  revisions?: Record<string, FakeRevision[]>;
  durations?: OperationDurations;
} = {}) {
  const auth = initial.auth ?? NO_AUTH;
  const state = {
    tokens: { ...auth.tokens },
    keys: [...(initial.keys ?? [])],
    stores: [...(initial.stores ?? [])],
    metrics: { ...(initial.metrics ?? zeroMetrics) },
    activity: [...(initial.activity ?? [])],
    revisions: Object.fromEntries(Object.entries(initial.revisions ?? {}).map(([k, v]) => [k, [...v]])) as Record<string, FakeRevision[]>,
    durations: initial.durations ?? emptyDurations,
    health: initial.health ?? {
      database: { status: 'Healthy', message: null },
      helm: { status: 'Healthy', message: 'v3' },
      kubectl: { status: 'Healthy', message: null },
      cluster: { status: 'Healthy', message: null },
    },
  };
  const calls: RecordedCall[] = [];
  const overrides = new Map<string, Handler>();

  const find = (name: string) => state.stores.find((s) => s.name === name);
  const transition = (name: string, patch: Partial<Store>) => {
    const s = find(name);
    if (!s) return problem(404, { title: 'Not Found', detail: `Store '${name}' was not found.` });
    Object.assign(s, patch, { updatedAt: new Date().toISOString() });
    s.actions = actionsFor(s.status, s.revision);
    return json(s, 202);
  };

  /** The verified caller, or null when the request carries no accepted credential. */
  const callerOf = (c: RecordedCall): FakeIdentity | null => {
    if (auth.config.mode === 'none') return ANONYMOUS_ADMIN;
    if (auth.config.mode === 'easyauth') return auth.platformIdentity ?? null;
    const token = c.authorization?.match(/^Bearer (.+)$/)?.[1];
    return token ? (state.tokens[token] ?? null) : null;
  };
  // Ownership as the server enforces it: a `user` sees only their own stores, others' are 404.
  const visible = (who: FakeIdentity, s: Store) => who.role !== 'user' || s.userId === who.userId;

  const route: Handler = (c) => {
    const custom = overrides.get(`${c.method} ${c.path}`);
    if (custom) return custom(c);
    if (c.method === 'GET' && c.path === '/api/auth/config') return json(auth.config);
    if (c.method === 'GET' && c.path === '/api/health') return json(state.health);
    const who = callerOf(c);
    if (!who && !ANONYMOUS.has(`${c.method} ${c.path}`)) {
      return problem(401, { title: 'Unauthorized', detail: 'Send a valid API key or token as Authorization: Bearer.' });
    }
    const caller = who as FakeIdentity;
    const m = c.path.match(/^\/api\/stores\/([^/]+)(?:\/(upgrade|rollback|retry|cancel))?$/);
    if (c.method === 'GET' && c.path === '/api/me') return json({ ...caller, authMode: auth.config.mode } satisfies Me);
    if (c.method === 'GET' && c.path === '/api/health/details') {
      return caller.role === 'user' ? problem(403, { detail: 'Operators only.' }) : json(state.health);
    }
    if (c.path === '/api/keys' || c.path.startsWith('/api/keys/')) {
      if (caller.role !== 'admin') return problem(403, { title: 'Forbidden', detail: 'Only admins manage API keys.' });
      if (c.method === 'GET' && c.path === '/api/keys') return json(state.keys);
      if (c.method === 'POST' && c.path === '/api/keys') {
        const b = c.body as { userId: string; role: Role; name?: string };
        seq += 1;
        const info: ApiKeyInfo = { id: `key-${seq}`, userId: b.userId, role: b.role, name: b.name ?? null, createdAt: new Date().toISOString() };
        const key = `sk-fake-${seq}-${'x'.repeat(40)}`;
        state.keys.push(info);
        state.tokens[key] = { userId: b.userId, role: b.role };
        return json({ ...info, key }, 201);
      }
      const id = decodeURIComponent(c.path.slice('/api/keys/'.length));
      if (c.method === 'DELETE' && state.keys.some((k) => k.id === id)) {
        state.keys = state.keys.filter((k) => k.id !== id);
        return new Response(null, { status: 204 });
      }
    }
    if (c.method === 'GET' && c.path === '/api/stores') return json(state.stores.filter((s) => visible(caller, s)));
    if (c.method === 'GET' && c.path === '/api/stores/metrics') return json(state.metrics);
    if (c.method === 'GET' && c.path === '/api/stores/activity') {
      const store = c.search.get('store');
      return json(store ? state.activity.filter((a) => a.storeName === store) : state.activity);
    }
    if (c.method === 'GET' && c.path === '/api/operations/durations') {
      if (windowHours(c.search.get('window') ?? '24h') === null) {
        return problem(400, { title: 'Bad window', detail: 'window must be 1h..7d, e.g. 24h or 7d.' });
      }
      return json(state.durations);
    }
    const sub = c.path.match(/^\/api\/stores\/([^/]+)\/(revisions(?:\/([^/]+)\/values)?|upgrade\/preview)$/);
    if (sub) {
      const name = decodeURIComponent(sub[1]);
      const s = find(name);
      if (!s || !visible(caller, s)) return problem(404, { detail: `Store '${name}' was not found.` });
      const history = [...(state.revisions[name] ?? [])].sort((a, b) => b.revision - a.revision);
      if (c.method === 'GET' && sub[2] === 'revisions') return json(history.map(({ values: _values, ...row }) => row));
      if (c.method === 'GET' && sub[3] !== undefined) {
        const rev = history.find((r) => String(r.revision) === sub[3]);
        return rev ? json({ revision: rev.revision, values: rev.values }) : problem(404, { detail: `Revision ${sub[3]} of '${name}' was not found.` });
      }
      if (c.method === 'POST' && sub[2] === 'upgrade/preview') {
        const current = history[0]?.values ?? {};
        const asked = ((c.body as { values?: Record<string, unknown> } | undefined)?.values ?? {}) as Record<string, unknown>;
        return json({ fromRevision: s.revision, current, proposed: { ...current, ...asked } } satisfies UpgradePreview);
      }
    }
    if (c.method === 'POST' && c.path === '/api/stores') {
      const b = c.body as { storeName: string; userId?: string; engine?: Store['engine'] };
      if (caller.role === 'user' && b.userId !== undefined && b.userId !== caller.userId) {
        return problem(403, { title: 'Forbidden', detail: 'You can only create stores for yourself.' });
      }
      const owner = caller.role === 'user' || b.userId === undefined ? caller.userId : b.userId;
      const s = makeStore({ name: b.storeName, userId: owner, engine: b.engine ?? 'woocommerce', status: 'NEW', operation: 'install', revision: null });
      state.stores.unshift(s);
      return json(s, 202);
    }
    if (m) {
      const name = decodeURIComponent(m[1]);
      const target = find(name);
      if (target && !visible(caller, target)) return problem(404, { detail: 'Not found' });
      if (c.method === 'GET' && !m[2]) return find(name) ? json(find(name)) : problem(404, { detail: 'Not found' });
      if (c.method === 'DELETE' && !m[2]) return transition(name, { status: 'DELETING', operation: 'delete' });
      if (c.method === 'POST' && m[2] === 'cancel') {
        const s = find(name);
        if (!s) return problem(404, { detail: 'Not found' });
        if (!actionsFor(s.status, s.revision).includes('cancel')) return problem(409, { detail: 'no operation is in flight to cancel.' });
        Object.assign(s, { status: 'FAILED', error: `The ${s.operation} was cancelled by ${caller.userId}. Retry it to run it again.`, updatedAt: new Date().toISOString() });
        s.actions = actionsFor(s.status, s.revision);
        return json(s, 200);
      }
      if (c.method === 'POST' && m[2]) return transition(name, { status: 'PROVISIONING', operation: m[2] as Store['operation'] });
    }
    return problem(404, { title: 'Not Found', detail: `No route for ${c.method} ${c.path}` });
  };

  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost');
    const call: RecordedCall = {
      method: (init?.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      search: url.searchParams,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      authorization: new Headers(init?.headers).get('Authorization'),
    };
    calls.push(call);
    return route(call);
  });
  vi.stubGlobal('fetch', fetchMock);

  return {
    state,
    calls,
    fetchMock,
    override(method: string, path: string, handler: Handler) {
      overrides.set(`${method} ${path}`, handler);
    },
    clearOverride(method: string, path: string) {
      overrides.delete(`${method} ${path}`);
    },
    callsTo(method: string, path: string) {
      return calls.filter((c) => c.method === method && c.path === path);
    },
  };
}
