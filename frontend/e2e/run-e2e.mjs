#!/usr/bin/env node
// End-to-end run of the dashboard in real headless Chromium against the real backend.
//
//   1. builds the dashboard (tsc + vite build; VITE_POLL_MS=1000 so the run is quick),
//   2. builds tests/StoreProvisioning.TestServer once with `dotnet build`,
//   3. starts it (fake helm/kubectl, fresh temp state, MAX_STORES_PER_USER=3) and polls
//      GET /api/health until 200,
//   4. starts `vite preview` with /api proxied to it,
//   5. runs e2e/scenario.mjs with playwright-core + /usr/bin/chromium,
//   6. always stops both children (whole process groups) and exits non-zero on failure.
//
// Environment knobs: E2E_TIMEOUT_MS (overall, default 360000), E2E_SKIP_BUILD=1 (reuse dist/),
// E2E_BACKEND_URL=http://... (use an already running backend instead of starting one),
// CHROMIUM_PATH (default /usr/bin/chromium), E2E_DOTNET_CONFIGURATION (default Debug).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenario } from './scenario.mjs';

const frontendDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(frontendDir, '..');
const artifactsDir = path.join(repoRoot, 'artifacts', 'e2e');
const serverProject = path.join(repoRoot, 'tests', 'StoreProvisioning.TestServer');
const fakesDir = path.join(repoRoot, 'tests', 'fakes');
const overallTimeoutMs = Number(process.env.E2E_TIMEOUT_MS) || 360_000;
const configuration = process.env.E2E_DOTNET_CONFIGURATION || 'Debug';

const children = [];
const t0 = Date.now();
const log = (msg) => console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
let tempDir = null;
/** The bootstrap admin key of the test server this run starts (null with E2E_BACKEND_URL). */
let e2eApiKey = null;

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

async function main() {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const buildLog = path.join(artifactsDir, 'build.log');
  const backendLog = path.join(artifactsDir, 'backend.log');
  const previewLog = path.join(artifactsDir, 'preview.log');
  fs.writeFileSync(buildLog, '');

  const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(chromiumPath)) throw new Error(`${chromiumPath} not found: apt-get install -y chromium (or set CHROMIUM_PATH)`);

  let backendUrl = process.env.E2E_BACKEND_URL?.replace(/\/+$/, '');
  let backend = null;
  const dashboardBuild = process.env.E2E_SKIP_BUILD
    ? Promise.resolve(log('skipping dashboard build (E2E_SKIP_BUILD)'))
    : (log('building dashboard (tsc + vite build)…'),
      run('npm', ['run', 'build'], { cwd: frontendDir, env: { VITE_POLL_MS: '1000', VITE_API_BASE: '' }, logFile: buildLog, timeoutMs: 180_000 }));

  if (!backendUrl && process.env.E2E_MOCK_BACKEND) {
    // Development aid only: the in-memory mock instead of the real TestServer.
    await dashboardBuild;
    const port = await freePort();
    backendUrl = `http://127.0.0.1:${port}`;
    log(`starting MOCK backend on ${backendUrl} (E2E_MOCK_BACKEND; not the real TestServer)…`);
    backend = start(process.execPath, [path.join(frontendDir, 'e2e', 'mock-backend.mjs'), String(port)], {
      cwd: frontendDir,
      logFile: backendLog,
      env: { MAX_STORES_PER_USER: '3' },
    });
    await waitForHttp(`${backendUrl}/api/health`, { timeoutMs: 10_000, child: backend, logFile: backendLog });
  } else if (!backendUrl) {
    for (const p of [serverProject, path.join(fakesDir, 'helm'), path.join(fakesDir, 'kubectl')]) {
      if (!fs.existsSync(p)) throw new Error(`${p} does not exist: the e2e backend is not in this tree`);
    }
    log('building tests/StoreProvisioning.TestServer (dotnet build)…');
    const dotnetEnv = { DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1' };
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

    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-e2e-'));
    e2eApiKey = `e2e-${crypto.randomBytes(24).toString('hex')}`;
    const fakeState = path.join(tempDir, 'fake-cli');
    fs.mkdirSync(fakeState);
    const port = await freePort();
    backendUrl = `http://127.0.0.1:${port}`;
    log(`starting TestServer on ${backendUrl} (state in ${tempDir})…`);
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
          SQLITE_PATH: path.join(tempDir, 'stores.db'),
          MAX_STORES_PER_USER: '3',
          // The API needs a credential. E2E_API_KEY is the bootstrap admin key of this run; until the dashboard's
          // sign-in screen exists, the test server applies it to requests that carry none (TEST_SERVER_DEFAULT_API_KEY,
          // a test-server-only setting). Once the scenario signs in with E2E_API_KEY, drop TEST_SERVER_DEFAULT_API_KEY.
          BOOTSTRAP_ADMIN_KEY: e2eApiKey,
          TEST_SERVER_DEFAULT_API_KEY: e2eApiKey,
        },
      },
    );
    await waitForHttp(`${backendUrl}/api/health`, { timeoutMs: 120_000, child: backend, logFile: backendLog });
    log('backend healthy');
  } else {
    await dashboardBuild;
    log(`using running backend ${backendUrl}`);
  }

  const previewPort = await freePort();
  const dashboardUrl = `http://127.0.0.1:${previewPort}/`;
  log(`starting vite preview on ${dashboardUrl} (proxy /api → ${backendUrl})…`);
  const preview = start(
    process.execPath,
    [path.join(frontendDir, 'node_modules', 'vite', 'bin', 'vite.js'), 'preview', '--host', '127.0.0.1', '--port', String(previewPort), '--strictPort'],
    { cwd: frontendDir, logFile: previewLog, env: { API_PROXY_TARGET: backendUrl } },
  );
  await waitForHttp(dashboardUrl, { timeoutMs: 30_000, child: preview, logFile: previewLog });
  await waitForHttp(`${dashboardUrl}api/health`, { timeoutMs: 10_000, child: preview, logFile: previewLog });

  log('running browser scenario');
  const { passed, failed, skipped } = await runScenario({
    baseUrl: dashboardUrl,
    apiKey: e2eApiKey, // for the sign-in step of the scenario (the admin key of this run's test server)
    screenshotPath: path.join(artifactsDir, 'dashboard.png'),
    failureScreenshotPath: path.join(artifactsDir, 'failure.png'),
    // Lets the scenario take the backend away to check the "API unreachable" state (only one we started).
    stopBackend: backend
      ? async () => {
          backend.stopping = true;
          killTree(backend, 'SIGTERM');
          const deadline = Date.now() + 5000;
          while (backend.exitCode === null && backend.signalCode === null && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 100));
          }
          killTree(backend, 'SIGKILL');
        }
      : null,
    log: (m) => console.log(m),
  });
  if (failed > 0) {
    console.log(`\n--- backend log (tail) ---\n${tail(backendLog, 30)}\n--- preview log (tail) ---\n${tail(previewLog, 15)}`);
  }
  console.log(`\ne2e: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => finish(code),
  (err) => finish(1, `${err?.stack ?? err}\ne2e: 0 passed, 1 failed`),
);
