#!/usr/bin/env node
// End-to-end run of the dashboard in real headless Chromium against the real backend.
//
//   1. builds the dashboard (tsc + vite build; VITE_POLL_MS=1000 so the run is quick),
//   2. builds tests/StoreProvisioning.TestServer once with `dotnet build`,
//   3. API-key run: starts it (AUTH_MODE=apikey with a fresh BOOTSTRAP_ADMIN_KEY, fake helm/kubectl,
//      fresh temp state, MAX_STORES_PER_USER=3), polls GET /api/health until 200, starts
//      `vite preview` with /api proxied to it and runs runScenario (e2e/scenario.mjs),
//   4. OIDC run: starts oauth2-mock-server (e2e/oidc-provider.mjs), a second TestServer with
//      AUTH_MODE=oidc against it and a second preview, seeds another user's store, runs runOidcScenario,
//   5. demo check: starts scripts/demo.sh on free ports with its state in a temp folder (DEMO_DIR), waits until the
//      dashboard is served and the API answers, signs in with the demo's admin key, sees the seeded stores (the
//      failing one with its reason), then stops it (SIGTERM to its process group; the script stops what it started),
//   6. always stops every child (whole process groups) and exits non-zero on failure.
//
// Environment knobs: E2E_TIMEOUT_MS (overall, default 720000), E2E_ONLY=demo (only step 5), E2E_SKIP_BUILD=1 (reuse dist/),
// E2E_BACKEND_URL=http://... (use an already running backend in apikey mode instead of starting one;
// needs E2E_ADMIN_KEY, skips the OIDC run), E2E_MOCK_BACKEND=1 (e2e/mock-backend.mjs instead of the
// TestServer: a UI aid only), CHROMIUM_PATH (default /usr/bin/chromium), E2E_DOTNET_CONFIGURATION (default Debug),
// E2E_SKIP_DEMO=1 (skip the scripts/demo.sh check; it is skipped anyway with E2E_BACKEND_URL or E2E_MOCK_BACKEND).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOidcProvider } from './oidc-provider.mjs';
import { runDemoScenario, runOidcScenario, runScenario } from './scenario.mjs';

const frontendDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(frontendDir, '..');
const artifactsDir = path.join(repoRoot, 'artifacts', 'e2e');
const serverProject = path.join(repoRoot, 'tests', 'StoreProvisioning.TestServer');
const fakesDir = path.join(repoRoot, 'tests', 'fakes');
const overallTimeoutMs = Number(process.env.E2E_TIMEOUT_MS) || 720_000;
// E2E_ONLY=demo: only the scripts/demo.sh check (a quick way to work on it).
const onlyDemo = process.env.E2E_ONLY === 'demo';
const configuration = process.env.E2E_DOTNET_CONFIGURATION || 'Debug';

const children = [];
const t0 = Date.now();
const log = (msg) => console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
let tempDir = null;
let oidcProvider = null;

function killTree(child, signal) {
  if (!child?.pid) return;
  // Always signal the group, even if its leader has exited: grandchildren may live on.
  try {
    process.kill(-child.pid, signal); // the whole process group (dotnet run → app, npm → vite)
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

async function stopAll() {
  for (const c of children) killTree(c, 'SIGTERM');
  const alive = (c) => c.exitCode === null && c.signalCode === null;
  const deadline = Date.now() + 5000;
  while (children.some(alive) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const c of children) killTree(c, 'SIGKILL');
}

// Last resort if something exits the process without going through finish().
process.on('exit', () => {
  for (const c of children) killTree(c, 'SIGKILL');
});

let finishing = false;
async function finish(code, reason) {
  if (finishing) return;
  finishing = true;
  if (reason) log(reason);
  await stopAll();
  await oidcProvider?.stop().catch(() => {});
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  log(`done, exit code ${code}`);
  process.exit(code);
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => finish(130, `received ${sig}, stopping`));
process.on('unhandledRejection', (err) => finish(1, `unhandled rejection: ${err?.stack ?? err}`));
const overallTimer = setTimeout(
  () => finish(1, `overall timeout of ${overallTimeoutMs} ms reached\ne2e: 0 passed, 1 failed`),
  overallTimeoutMs,
);
overallTimer.unref();

/** Runs a command to completion, streaming its output to a log file; rejects on non-zero exit. */
function run(cmd, args, { cwd, env, logFile, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'a');
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', out, out], detached: true });
    children.push(child);
    const timer = setTimeout(() => {
      killTree(child, 'SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} timed out after ${timeoutMs} ms (see ${logFile})`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      fs.closeSync(out);
      children.splice(children.indexOf(child), 1);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal} (see ${logFile})\n${tail(logFile)}`));
    });
  });
}

/** Starts a long-running child in its own process group, output to a log file. */
function start(cmd, args, { cwd, env, logFile }) {
  const out = fs.openSync(logFile, 'w');
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', out, out], detached: true });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!finishing && !child.stopping) log(`${path.basename(logFile)}: process exited early (${code ?? signal})`);
  });
  return child;
}

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, { timeoutMs, okStatuses = [200], child, logFile }) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`process for ${url} exited before it was ready\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
      const body = await res.text();
      if (okStatuses.includes(res.status)) return body;
      last = `HTTP ${res.status}: ${body.slice(0, 500)}`;
    } catch (err) {
      last = err?.cause?.code ?? err?.message ?? String(err);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms; last: ${last}\n${logFile ? tail(logFile) : ''}`);
}

const dotnetEnv = { DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1' };

/** Stops one child (its whole group) and waits up to 5 s for it to go. */
async function stopChild(child) {
  if (!child) return;
  child.stopping = true;
  killTree(child, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  killTree(child, 'SIGKILL');
}

/**
 * One backend (TestServer, or the mock with E2E_MOCK_BACKEND, or E2E_BACKEND_URL) configured with
 * `authEnv`, and a `vite preview` proxying /api to it. Logs: backend<suffix>.log, preview<suffix>.log.
 */
async function startStack({ name, suffix, authEnv }) {
  const backendLog = path.join(artifactsDir, `backend${suffix}.log`);
  const previewLog = path.join(artifactsDir, `preview${suffix}.log`);
  let backendUrl = process.env.E2E_BACKEND_URL?.replace(/\/+$/, '');
  let backend = null;
  if (backendUrl) {
    log(`${name}: using running backend ${backendUrl}`);
  } else if (process.env.E2E_MOCK_BACKEND) {
    // Development aid only: the in-memory mock instead of the real TestServer.
    const port = await freePort();
    backendUrl = `http://127.0.0.1:${port}`;
    log(`${name}: starting MOCK backend on ${backendUrl} (E2E_MOCK_BACKEND; not the real TestServer)…`);
    backend = start(process.execPath, [path.join(frontendDir, 'e2e', 'mock-backend.mjs'), String(port)], {
      cwd: frontendDir,
      logFile: backendLog,
      env: { MAX_STORES_PER_USER: '3', ...authEnv },
    });
    await waitForHttp(`${backendUrl}/api/health`, { timeoutMs: 10_000, child: backend, logFile: backendLog });
  } else {
    const stateDir = path.join(tempDir, name);
    const fakeState = path.join(stateDir, 'fake-cli');
    fs.mkdirSync(fakeState, { recursive: true });
    const port = await freePort();
    backendUrl = `http://127.0.0.1:${port}`;
    log(`${name}: starting TestServer on ${backendUrl} (state in ${stateDir})…`);
    backend = start(
      'dotnet',
      ['run', '--no-build', '-c', configuration, '--project', serverProject, '--', '--urls', backendUrl],
      {
        cwd: repoRoot,
        logFile: backendLog,
        env: {
          ...dotnetEnv,
          HELM_PATH: path.join(fakesDir, 'helm'),
          KUBECTL_PATH: path.join(fakesDir, 'kubectl'),
          FAKE_CLI_STATE: fakeState,
          FAKE_HELM_DELAY_SECONDS: '1',
          SQLITE_PATH: path.join(stateDir, 'stores.db'),
          MAX_STORES_PER_USER: '3',
          ...authEnv,
        },
      },
    );
    await waitForHttp(`${backendUrl}/api/health`, { timeoutMs: 120_000, child: backend, logFile: backendLog });
    log(`${name}: backend healthy`);
  }

  const previewPort = await freePort();
  const dashboardUrl = `http://127.0.0.1:${previewPort}/`;
  log(`${name}: starting vite preview on ${dashboardUrl} (proxy /api → ${backendUrl})…`);
  const preview = start(
    process.execPath,
    [path.join(frontendDir, 'node_modules', 'vite', 'bin', 'vite.js'), 'preview', '--host', '127.0.0.1', '--port', String(previewPort), '--strictPort'],
    { cwd: frontendDir, logFile: previewLog, env: { API_PROXY_TARGET: backendUrl } },
  );
  await waitForHttp(dashboardUrl, { timeoutMs: 30_000, child: preview, logFile: previewLog });
  await waitForHttp(`${dashboardUrl}api/health`, { timeoutMs: 10_000, child: preview, logFile: previewLog });
  return {
    backendUrl,
    dashboardUrl,
    backendLog,
    previewLog,
    // Lets the scenario take the backend away to check the "API unreachable" state (only one we started).
    stopBackend: backend ? () => stopChild(backend) : null,
    stop: async () => {
      await stopChild(preview);
      await stopChild(backend);
    },
  };
}

/** True while something accepts connections on 127.0.0.1:port. */
function listening(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Item 8: `scripts/demo.sh` starts, serves the dashboard and answers, shows its seeded stores, and stops cleanly.
 * Its state goes to a temp DEMO_DIR (never .demo/ in the repository); it builds the TestServer in this run's
 * configuration, which the runner has just built, so the build is a no-op check.
 */
async function runDemoCheck() {
  const demoDir = path.join(tempDir, 'demo');
  const logFile = path.join(artifactsDir, 'demo.log');
  const [apiPort, uiPort] = [await freePort(), await freePort()];
  log(`demo: starting scripts/demo.sh (API :${apiPort}, dashboard :${uiPort}, state in ${demoDir})…`);
  const demo = start('bash', [path.join(repoRoot, 'scripts', 'demo.sh')], {
    cwd: repoRoot,
    logFile,
    env: {
      ...dotnetEnv,
      DEMO_DIR: demoDir,
      DEMO_API_PORT: String(apiPort),
      DEMO_UI_PORT: String(uiPort),
      DEMO_CONFIGURATION: configuration,
      FAKE_HELM_DELAY_SECONDS: '1',
    },
  });
  const stack = { backendLog: path.join(demoDir, 'api.log'), previewLog: path.join(demoDir, 'dashboard.log') };
  try {
    const dashboardUrl = `http://127.0.0.1:${uiPort}/`;
    await waitForHttp(dashboardUrl, { timeoutMs: 240_000, child: demo, logFile });
    await waitForHttp(`http://127.0.0.1:${apiPort}/api/health`, { timeoutMs: 30_000, child: demo, logFile });
    log('demo: dashboard served, API answers');
    const r = await runDemoScenario({
      baseUrl: dashboardUrl,
      adminKey: fs.readFileSync(path.join(demoDir, 'admin-key'), 'utf8').trim(),
      stores: [
        { name: 'demo-shop', status: 'Ready' },
        { name: 'demo-medusa', status: 'Ready' },
        { name: 'demo-broken', status: 'Failed' },
      ],
      failing: { name: 'demo-broken', reason: /ImagePull|image/i },
      screenshotPath: path.join(artifactsDir, 'demo.png'),
      failureScreenshotPath: path.join(artifactsDir, 'failure-demo.png'),
      log: (m) => console.log(m),
    });
    report('demo', r, stack);
    return r;
  } finally {
    // SIGTERM to the script's group: its trap stops the API and vite (each in its own session) and waits for them.
    demo.stopping = true;
    killTree(demo, 'SIGTERM');
    const deadline = Date.now() + 30_000;
    while (demo.exitCode === null && demo.signalCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const stopped = demo.exitCode !== null || demo.signalCode !== null;
    killTree(demo, 'SIGKILL');
    const left = [];
    for (const port of [apiPort, uiPort]) if (await listening(port)) left.push(port);
    if (!stopped || left.length) {
      throw new Error(`scripts/demo.sh did not stop cleanly (exited: ${stopped}; still listening: ${left.join(', ') || 'none'})\n${tail(logFile)}`);
    }
    log('demo: stopped, ports free');
  }
}

function report(name, r, stack) {
  if (r.failed > 0) {
    console.log(`\n--- ${name} backend log (tail) ---\n${tail(stack.backendLog, 30)}\n--- ${name} preview log (tail) ---\n${tail(stack.previewLog, 15)}`);
  }
}

async function main() {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const buildLog = path.join(artifactsDir, 'build.log');
  fs.writeFileSync(buildLog, '');

  const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(chromiumPath)) throw new Error(`${chromiumPath} not found: apt-get install -y chromium (or set CHROMIUM_PATH)`);

  const external = process.env.E2E_BACKEND_URL;
  if (external && !process.env.E2E_ADMIN_KEY) throw new Error('E2E_BACKEND_URL needs E2E_ADMIN_KEY, an admin API key of that backend');
  // A fresh bootstrap admin key per run: never the same twice, never written anywhere but the env of our child.
  const adminKey = process.env.E2E_ADMIN_KEY || randomBytes(32).toString('base64url');

  const dashboardBuild = process.env.E2E_SKIP_BUILD
    ? Promise.resolve(log('skipping dashboard build (E2E_SKIP_BUILD)'))
    : (log('building dashboard (tsc + vite build)…'),
      run('npm', ['run', 'build'], { cwd: frontendDir, env: { VITE_POLL_MS: '1000', VITE_API_BASE: '' }, logFile: buildLog, timeoutMs: 180_000 }));
  if (!external && !process.env.E2E_MOCK_BACKEND) {
    for (const p of [serverProject, path.join(fakesDir, 'helm'), path.join(fakesDir, 'kubectl')]) {
      if (!fs.existsSync(p)) throw new Error(`${p} does not exist: the e2e backend is not in this tree`);
    }
    log('building tests/StoreProvisioning.TestServer (dotnet build)…');
    // Build in parallel with the dashboard: they share nothing.
    await Promise.all([
      dashboardBuild,
      run('dotnet', ['build', serverProject, '-c', configuration, '-nologo', '-v', 'q'], {
        cwd: repoRoot,
        env: dotnetEnv,
        logFile: path.join(artifactsDir, 'dotnet-build.log'),
        timeoutMs: 240_000,
      }),
    ]);
  } else {
    await dashboardBuild;
  }
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-e2e-'));
  const results = [];

  // 1. API keys: the admin signs in with the bootstrap key, hands out user keys, users stay apart.
  if (!onlyDemo) {
    const apikey = await startStack({ name: 'apikey', suffix: '', authEnv: { AUTH_MODE: 'apikey', BOOTSTRAP_ADMIN_KEY: adminKey } });
    log('running browser scenario (API keys)');
    const r1 = await runScenario({
      baseUrl: apikey.dashboardUrl,
      adminKey,
      screenshotPath: path.join(artifactsDir, 'dashboard.png'),
      failureScreenshotPath: path.join(artifactsDir, 'failure.png'),
      stopBackend: apikey.stopBackend,
      log: (m) => console.log(m),
    });
    report('apikey', r1, apikey);
    results.push(r1);
    await apikey.stop();

    // 2. OIDC: login through a real provider (oauth2-mock-server) with code + PKCE.
    if (external) {
      log('skipping the OIDC run: E2E_BACKEND_URL is a backend this run cannot reconfigure');
    } else {
      const audience = 'store-provisioning-api';
      const clientId = 'store-dashboard';
      oidcProvider = await startOidcProvider({ audience, clientId });
      log(`OIDC provider (oauth2-mock-server) at ${oidcProvider.issuer}`);
      const oidc = await startStack({
        name: 'oidc',
        suffix: '-oidc',
        authEnv: { AUTH_MODE: 'oidc', AUTH_AUTHORITY: oidcProvider.issuer, AUTH_AUDIENCE: audience, AUTH_CLIENT_ID: clientId },
      });
      // Another user's store, created by an operator's token, that the signed-in user must never see.
      const hiddenStore = 'peter-shop';
      const seeded = await fetch(`${oidc.backendUrl}/api/stores`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${await oidcProvider.tokenFor('ops-bot', ['operator'])}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ storeName: hiddenStore, userId: 'peter' }),
      });
      if (seeded.status !== 202) throw new Error(`seeding ${hiddenStore} with an operator token: HTTP ${seeded.status} ${await seeded.text()}`);
      log('running browser scenario (OIDC)');
      const r2 = await runOidcScenario({
        baseUrl: oidc.dashboardUrl,
        provider: oidcProvider,
        hiddenStore,
        failureScreenshotPath: path.join(artifactsDir, 'failure-oidc.png'),
        log: (m) => console.log(m),
      });
      report('oidc', r2, oidc);
      results.push(r2);
      await oidc.stop();
    }
  }

  // 3. scripts/demo.sh: one command, a dashboard with seeded stores.
  if (external || process.env.E2E_MOCK_BACKEND || process.env.E2E_SKIP_DEMO) {
    log('skipping the scripts/demo.sh check (E2E_BACKEND_URL, E2E_MOCK_BACKEND or E2E_SKIP_DEMO)');
  } else {
    results.push(await runDemoCheck());
  }

  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const skipped = results.reduce((n, r) => n + r.skipped, 0);
  console.log(`\ne2e: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => finish(code),
  (err) => finish(1, `${err?.stack ?? err}\ne2e: 0 passed, 1 failed`),
);
