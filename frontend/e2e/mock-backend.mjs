#!/usr/bin/env node
// A tiny in-memory stand-in for the store API, ONLY for working on the dashboard
// or on scenario.mjs while the real backend is unavailable:
//   node e2e/mock-backend.mjs 7071            (then `npm run dev`)
//   E2E_BACKEND_URL=http://127.0.0.1:7071 npm run test:e2e
// It mimics the contract and the fake helm rules (names starting with "fail" fail
// their first install; upgrade/rollback add a revision). The real e2e run uses
// tests/StoreProvisioning.TestServer, never this.
//
// Identity as in the contract: AUTH_MODE=none (default here) | apikey (BOOTSTRAP_ADMIN_KEY is an
// admin key; POST/GET/DELETE /api/keys) | oidc (AUTH_AUTHORITY, AUTH_AUDIENCE, AUTH_CLIENT_ID). In
// oidc mode it reads the token's claims WITHOUT checking the signature: a UI aid, not a verifier.
import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';

const port = Number(process.argv[2] || 7071);
const delayMs = Number(process.env.MOCK_DELAY_MS || 1000);
const maxPerUser = Number(process.env.MAX_STORES_PER_USER || 3);
const stores = [];
const activity = [];
const failedOnce = new Set();
const counters = { upgrades: 0, rollbacks: 0, retries: 0 };
let seq = 0;
const mode = process.env.AUTH_MODE || 'none';
const authority = process.env.AUTH_AUTHORITY?.replace(/\/+$/, '');
const keys = new Map(); // key → { id, userId, role, name, createdAt }
if (process.env.BOOTSTRAP_ADMIN_KEY) {
  keys.set(process.env.BOOTSTRAP_ADMIN_KEY, { id: 'bootstrap', userId: 'admin', role: 'admin', name: 'bootstrap', createdAt: new Date().toISOString() });
}

const now = () => new Date().toISOString();
let actor = null; // the caller of the request being handled
const record = (action, s, detail = null) =>
  activity.unshift({ id: ++seq, action, storeName: s.name, userId: s.userId, actor, timestamp: now(), detail });

/** The caller of a request, or null (→ 401). */
function callerOf(req) {
  if (mode === 'none') return { userId: 'anonymous', role: 'admin' };
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (!token) return null;
  if (mode === 'apikey') return keys.get(token) ?? null;
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    const aud = [].concat(claims.aud ?? []);
    if (claims.iss?.replace(/\/+$/, '') !== authority || !aud.includes(process.env.AUTH_AUDIENCE) || claims.exp * 1000 < Date.now()) return null;
    const roles = [].concat(claims.roles ?? []);
    return { userId: claims.sub, role: ['admin', 'operator'].find((r) => roles.includes(r)) ?? 'user' };
  } catch {
    return null;
  }
}
const send = (res, status, body, type = 'application/json') => {
  res.writeHead(status, { 'Content-Type': type });
  res.end(body === undefined ? '' : JSON.stringify(body));
};
const problem = (res, status, title, detail, errors) =>
  send(res, status, { type: 'about:blank', title, status, detail, ...(errors ? { errors } : {}) }, 'application/problem+json');

/** Helm history per store name: { revision, chart, appVersion, status, description, updatedAt, values }. */
const histories = new Map();
const historyOf = (s) => histories.get(s.name) ?? [];
/** Finished operations: { operation, seconds }, for GET /api/operations/durations. */
const runs = [];
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)];

function operate(s, op, next = {}) {
  s.status = 'PROVISIONING';
  s.operation = op;
  s.error = null;
  s.updatedAt = now();
  record(`${op}.started`, s);
  const started = Date.now();
  setTimeout(() => {
    runs.push({ operation: op === 'install' && s.revision !== null ? 'retry' : op, seconds: (Date.now() - started) / 1000 });
    actor = null; // the control plane itself
    if (op === 'install' && s.name.startsWith('fail') && !failedOnce.has(s.name)) {
      failedOnce.add(s.name);
      Object.assign(s, { status: 'FAILED', operation: null, error: 'Install failed: pod ' + s.name + '-app-0: ImagePullBackOff (Back-off pulling image). Details: helm exited with code 1: Error: INSTALL FAILED: resource not ready, name: ' + s.name + ', kind: Deployment (mock)', updatedAt: now() });
      record('install.failed', s, s.error);
      return;
    }
    s.revision = (s.revision ?? 0) + 1;
    const history = historyOf(s);
    const current = history.at(-1)?.values ?? { plan: 'small' };
    const values = op === 'rollback' ? structuredClone(history.find((h) => h.revision === next.rollbackTo)?.values ?? current) : { ...current, ...(next.values ?? {}) };
    history.forEach((h) => (h.status = 'superseded'));
    history.push({ revision: s.revision, chart: `${s.engine}-0.3.0`, appVersion: null, status: 'deployed', description: `${op} complete`, updatedAt: now(), values });
    histories.set(s.name, history);
    Object.assign(s, { status: 'READY', operation: null, updatedAt: now() });
    record(`${op}.succeeded`, s, `revision ${s.revision}`);
  }, delayMs);
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  let body = '';
  for await (const chunk of req) body += chunk;
  const json = body ? JSON.parse(body) : {};
  const p = url.pathname;
  const find = (n) => stores.find((s) => s.name === n);

  if (p === '/api/health') return send(res, 200, { status: 'ok' });
  if (p === '/api/auth/config') {
    return send(res, 200, mode === 'oidc' ? { mode, authority, clientId: process.env.AUTH_CLIENT_ID, scopes: 'openid profile' } : { mode });
  }
  const caller = callerOf(req);
  if (!caller) {
    res.setHeader('WWW-Authenticate', 'Bearer');
    return problem(res, 401, 'Unauthorized', 'Sign in: send a valid API key or token as Authorization: Bearer.');
  }
  actor = caller.userId;
  const sees = (s) => caller.role !== 'user' || s.userId === caller.userId;
  if (p === '/api/me') return send(res, 200, { userId: caller.userId, role: caller.role, authMode: mode });
  if (p === '/api/health/details') {
    if (caller.role === 'user') return problem(res, 403, 'Forbidden', 'Operators only.');
    const ok = { status: 'ok', message: 'mock' };
    return send(res, 200, { status: 'ok', database: ok, helm: ok, kubectl: ok, cluster: ok });
  }
  if (p.startsWith('/api/keys')) {
    if (caller.role !== 'admin') return problem(res, 403, 'Forbidden', 'Only admins manage API keys.');
    if (req.method === 'GET') return send(res, 200, [...keys.values()]);
    if (req.method === 'POST') {
      const key = randomBytes(32).toString('base64url');
      const info = { id: randomUUID(), userId: json.userId, role: json.role, name: json.name ?? null, createdAt: now() };
      keys.set(key, info);
      return send(res, 201, { ...info, key });
    }
    const id = decodeURIComponent(p.slice('/api/keys/'.length));
    for (const [k, v] of keys) if (v.id === id) keys.delete(k), res.writeHead(204), res.end();
    if (res.writableEnded) return;
    return problem(res, 404, 'Not Found', 'No such key.');
  }
  if (p === '/api/stores' && req.method === 'GET') return send(res, 200, stores.filter(sees));
  if (p === '/api/stores/metrics') {
    return send(res, 200, {
      activeStores: stores.filter(sees).filter((s) => s.status === 'READY').length,
      provisioning: stores.filter((s) => ['NEW', 'PROVISIONING'].includes(s.status)).length,
      failed: stores.filter((s) => s.status === 'FAILED').length,
      ...counters,
    });
  }
  if (p === '/api/stores/activity') {
    const st = url.searchParams.get('store');
    const limit = Number(url.searchParams.get('limit') || 50);
    return send(res, 200, activity.filter((a) => (!st || a.storeName === st) && (caller.role !== 'user' || a.userId === caller.userId)).slice(0, limit));
  }
  if (p === '/api/stores' && req.method === 'POST') {
    const { storeName: name = '', engine = 'woocommerce' } = json;
    if (caller.role === 'user' && json.userId !== undefined && json.userId !== caller.userId)
      return problem(res, 403, 'Forbidden', 'You can only create stores for yourself.');
    const userId = caller.role === 'user' || mode === 'none' ? (json.userId ?? caller.userId) : json.userId ?? '';
    if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length < 3 || name.length > 40)
      return problem(res, 400, 'Invalid request', 'One or more fields are invalid.', { storeName: ['Invalid store name.'] });
    if (find(name)) return problem(res, 400, 'Duplicate store', `A store named '${name}' already exists.`);
    if (stores.filter((s) => s.userId === userId).length >= maxPerUser)
      return problem(res, 403, 'Store limit reached', `User '${userId}' already has ${maxPerUser} stores (limit ${maxPerUser}).`);
    const s = {
      id: randomUUID(), name, userId, engine, status: 'NEW', operation: 'install', namespace: `store-${name}`,
      url: `http://${name}.127.0.0.1.nip.io`, revision: null, error: null, createdAt: now(), updatedAt: now(),
    };
    stores.unshift(s);
    record('create.requested', s);
    setTimeout(() => ((actor = null), operate(s, 'install')), 200);
    return send(res, 202, s);
  }
  if (p === '/api/operations/durations') {
    const operations = ['install', 'upgrade', 'rollback', 'retry', 'delete']
      .map((operation) => ({ operation, seconds: runs.filter((r) => r.operation === operation).map((r) => r.seconds) }))
      .filter((o) => o.seconds.length > 0)
      .map((o) => ({ operation: o.operation, count: o.seconds.length, p50Seconds: quantile(o.seconds, 0.5), p95Seconds: quantile(o.seconds, 0.95) }));
    const inUse = stores.filter((st) => ['PROVISIONING', 'DELETING'].includes(st.status)).length;
    return send(res, 200, { since: new Date(Date.now() - 86_400_000).toISOString(), operations, queue: { waiting: Math.max(0, inUse - 2), inUse: Math.min(inUse, 2), capacity: 2 } });
  }
  const sub = p.match(/^\/api\/stores\/([^/]+)\/(revisions(?:\/(\d+)\/values)?|upgrade\/preview)$/);
  if (sub) {
    const st = find(decodeURIComponent(sub[1]));
    if (!st || !sees(st)) return problem(res, 404, 'Not Found', `Store '${sub[1]}' was not found.`);
    const history = historyOf(st);
    // A UI aid: marks the revision before the current one as the rollback target (the real API applies its full rule).
    if (sub[2] === 'revisions') return send(res, 200, [...history].reverse().map(({ values, ...row }, i) => ({ ...row, rollbackTarget: i === 1 })));
    if (sub[3]) {
      const h = history.find((r) => r.revision === Number(sub[3]));
      return h ? send(res, 200, { revision: h.revision, values: h.values }) : problem(res, 404, 'Not Found', `Revision ${sub[3]} was not found.`);
    }
    const current = history.at(-1)?.values ?? {};
    return send(res, 200, { fromRevision: st.revision, current, proposed: { ...current, ...(json.values ?? {}) } });
  }
  const m = p.match(/^\/api\/stores\/([^/]+)(?:\/(upgrade|rollback|retry))?$/);
  const s = m && find(decodeURIComponent(m[1]));
  if (!m) return problem(res, 404, 'Not Found', 'No such route.');
  if (!s || !sees(s)) return problem(res, 404, 'Not Found', `Store '${m[1]}' was not found.`);
  const busy = ['NEW', 'PROVISIONING', 'DELETING'].includes(s.status);
  if (!m[2] && req.method === 'GET') return send(res, 200, s);
  if (!m[2] && req.method === 'DELETE') {
    if (busy) return problem(res, 409, 'Conflict', `Store '${s.name}' is busy.`);
    Object.assign(s, { status: 'DELETING', operation: 'delete', updatedAt: now() });
    record('delete.requested', s);
    setTimeout(() => {
      actor = null;
      stores.splice(stores.indexOf(s), 1);
      record('store.removed', s);
    }, delayMs);
    return send(res, 202, s);
  }
  if (m[2] === 'retry' && s.status !== 'FAILED') return problem(res, 400, 'Bad Request', 'Only FAILED stores can be retried.');
  if (busy) return problem(res, 409, 'Conflict', `Store '${s.name}' is busy.`);
  if (m[2] === 'rollback' && (s.revision ?? 0) < 2) return problem(res, 400, 'Bad Request', 'No earlier revision.');
  counters[`${m[2] === 'retry' ? 'retries' : `${m[2]}s`}`] += 1;
  record(`${m[2]}.requested`, s);
  operate(s, m[2] === 'retry' ? 'install' : m[2], { values: json.values, rollbackTo: json.revision ?? (s.revision ?? 1) - 1 });
  if (m[2] === 'retry') s.operation = 'retry';
  return send(res, 202, s);
});

server.listen(port, '127.0.0.1', () => console.log(`mock store API on http://127.0.0.1:${port}`));
