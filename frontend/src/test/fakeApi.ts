import { vi } from 'vitest';
import type { ActivityEntry, Health, Metrics, Problem, Store } from '../api/types';

export interface RecordedCall {
  method: string;
  path: string;
  search: URLSearchParams;
  body: unknown;
}

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
/** What the real API's transition table allows (the fake stands in for the server). */
export function actionsFor(status: Store['status'], revision: number | null): Store['actions'] {
  const actions: Store['actions'] = [];
  if (status === 'READY' || status === 'FAILED') actions.push('upgrade');
  if ((status === 'READY' || status === 'FAILED') && (revision ?? 0) > 1) actions.push('rollback');
  if (status === 'FAILED') actions.push('retry');
  if (status === 'NEW' || status === 'READY' || status === 'FAILED') actions.push('delete');
  return actions;
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
} = {}) {
  const state = {
    stores: [...(initial.stores ?? [])],
    metrics: { ...(initial.metrics ?? zeroMetrics) },
    activity: [...(initial.activity ?? [])],
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

  const route: Handler = (c) => {
    const custom = overrides.get(`${c.method} ${c.path}`);
    if (custom) return custom(c);
    const m = c.path.match(/^\/api\/stores\/([^/]+)(?:\/(upgrade|rollback|retry))?$/);
    if (c.method === 'GET' && c.path === '/api/health') return json(state.health);
    if (c.method === 'GET' && c.path === '/api/stores') return json(state.stores);
    if (c.method === 'GET' && c.path === '/api/stores/metrics') return json(state.metrics);
    if (c.method === 'GET' && c.path === '/api/stores/activity') {
      const store = c.search.get('store');
      return json(store ? state.activity.filter((a) => a.storeName === store) : state.activity);
    }
    if (c.method === 'POST' && c.path === '/api/stores') {
      const b = c.body as { storeName: string; userId: string; engine?: Store['engine'] };
      const s = makeStore({ name: b.storeName, userId: b.userId, engine: b.engine ?? 'woocommerce', status: 'NEW', operation: 'install', revision: null });
      state.stores.unshift(s);
      return json(s, 202);
    }
    if (m) {
      const name = decodeURIComponent(m[1]);
      if (c.method === 'GET' && !m[2]) return find(name) ? json(find(name)) : problem(404, { detail: 'Not found' });
      if (c.method === 'DELETE' && !m[2]) return transition(name, { status: 'DELETING', operation: 'delete' });
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
