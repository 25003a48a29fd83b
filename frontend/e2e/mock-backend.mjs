#!/usr/bin/env node
// A tiny in-memory stand-in for the store API, ONLY for working on the dashboard
// or on scenario.mjs while the real backend is unavailable:
//   node e2e/mock-backend.mjs 7071            (then `npm run dev`)
//   E2E_BACKEND_URL=http://127.0.0.1:7071 npm run test:e2e
// It mimics the contract and the fake helm rules (names starting with "fail" fail
// their first install; upgrade/rollback add a revision). The real e2e run uses
// tests/StoreProvisioning.TestServer, never this.
import http from 'node:http';
import { randomUUID } from 'node:crypto';

const port = Number(process.argv[2] || 7071);
const delayMs = Number(process.env.MOCK_DELAY_MS || 1000);
const maxPerUser = Number(process.env.MAX_STORES_PER_USER || 3);
const stores = [];
const activity = [];
const failedOnce = new Set();
const counters = { upgrades: 0, rollbacks: 0, retries: 0 };
let seq = 0;

const now = () => new Date().toISOString();
const record = (action, s, detail = null) =>
  activity.unshift({ id: ++seq, action, storeName: s.name, userId: s.userId, timestamp: now(), detail });
const send = (res, status, body, type = 'application/json') => {
  res.writeHead(status, { 'Content-Type': type });
  res.end(body === undefined ? '' : JSON.stringify(body));
};
const problem = (res, status, title, detail, errors) =>
  send(res, status, { type: 'about:blank', title, status, detail, ...(errors ? { errors } : {}) }, 'application/problem+json');

function operate(s, op) {
  s.status = 'PROVISIONING';
  s.operation = op;
  s.error = null;
  s.updatedAt = now();
  record(`${op}.started`, s);
  setTimeout(() => {
    if (op === 'install' && s.name.startsWith('fail') && !failedOnce.has(s.name)) {
      failedOnce.add(s.name);
      Object.assign(s, { status: 'FAILED', operation: null, error: 'Install failed: pod ' + s.name + '-app-0: ImagePullBackOff (Back-off pulling image). Details: helm exited with code 1: Error: INSTALL FAILED: resource not ready, name: ' + s.name + ', kind: Deployment (mock)', updatedAt: now() });
      record('install.failed', s, s.error);
      return;
    }
    s.revision = (s.revision ?? 0) + 1;
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

  if (p === '/api/health') {
    const ok = { status: 'ok', message: 'mock' };
    return send(res, 200, { status: 'ok', database: ok, helm: ok, kubectl: ok, cluster: ok });
  }
  if (p === '/api/stores' && req.method === 'GET') return send(res, 200, stores);
  if (p === '/api/stores/metrics') {
    return send(res, 200, {
      activeStores: stores.filter((s) => s.status === 'READY').length,
      provisioning: stores.filter((s) => ['NEW', 'PROVISIONING'].includes(s.status)).length,
      failed: stores.filter((s) => s.status === 'FAILED').length,
      ...counters,
    });
  }
  if (p === '/api/stores/activity') {
    const st = url.searchParams.get('store');
    const limit = Number(url.searchParams.get('limit') || 50);
    return send(res, 200, activity.filter((a) => !st || a.storeName === st).slice(0, limit));
  }
  if (p === '/api/stores' && req.method === 'POST') {
    const { storeName: name = '', userId = '', engine = 'woocommerce' } = json;
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
    setTimeout(() => operate(s, 'install'), 200);
    return send(res, 202, s);
  }
  const m = p.match(/^\/api\/stores\/([^/]+)(?:\/(upgrade|rollback|retry))?$/);
  const s = m && find(decodeURIComponent(m[1]));
  if (!m) return problem(res, 404, 'Not Found', 'No such route.');
  if (!s) return problem(res, 404, 'Not Found', `Store '${m[1]}' was not found.`);
  const busy = ['NEW', 'PROVISIONING', 'DELETING'].includes(s.status);
  if (!m[2] && req.method === 'GET') return send(res, 200, s);
  if (!m[2] && req.method === 'DELETE') {
    if (busy) return problem(res, 409, 'Conflict', `Store '${s.name}' is busy.`);
    Object.assign(s, { status: 'DELETING', operation: 'delete', updatedAt: now() });
    record('delete.requested', s);
    setTimeout(() => {
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
  operate(s, m[2] === 'retry' ? 'install' : m[2]);
  if (m[2] === 'retry') s.operation = 'retry';
  return send(res, 202, s);
});

server.listen(port, '127.0.0.1', () => console.log(`mock store API on http://127.0.0.1:${port}`));
