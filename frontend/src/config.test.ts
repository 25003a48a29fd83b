import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { __test__ } from './config';

// The container image's start-up script (frontend/docker/write-runtime-config.sh) and the file it writes.
const script = resolve(__dirname, '../docker/write-runtime-config.sh');
const dirs: string[] = [];

function writeRuntimeConfig(env: Record<string, string>): { config: string; headers: string } {
  const dir = mkdtempSync(join(tmpdir(), 'runtime-config-'));
  dirs.push(dir);
  execFileSync('sh', [script], { env: { PATH: process.env.PATH ?? '', RUNTIME_CONFIG_DIR: dir, ...env }, stdio: 'pipe' });
  return {
    config: readFileSync(join(dir, 'config.js'), 'utf8'),
    headers: readFileSync(join(dir, 'security-headers.conf'), 'utf8'),
  };
}

function refusal(env: Record<string, string>): string {
  try {
    writeRuntimeConfig(env);
  } catch (err) {
    return String((err as { stderr?: Buffer }).stderr ?? err);
  }
  throw new Error(`write-runtime-config.sh accepted ${JSON.stringify(env)}`);
}

/** Runs the served config.js the way the browser does and returns what it set. */
function evaluate(configJs: string): unknown {
  const window: Record<string, unknown> = {};
  runInNewContext(configJs, { window });
  return window.__DASHBOARD_CONFIG__;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('run-time configuration', () => {
  it('takes the API base URL and poll interval from the runtime file over the build-time variables', () => {
    vi.stubEnv('VITE_API_BASE', 'https://build-time.example.com');
    vi.stubEnv('VITE_POLL_MS', '9000');
    expect(__test__.loadConfig({ apiBase: 'https://api.example.com/', pollMs: 2000 })).toEqual({
      apiBase: 'https://api.example.com',
      pollMs: 2000,
    });
    expect(__test__.loadConfig({})).toEqual({ apiBase: 'https://build-time.example.com', pollMs: 9000 });
  });

  it('ignores runtime values of the wrong type', () => {
    expect(__test__.loadConfig({ apiBase: { evil: true }, pollMs: 'x' })).toEqual({ apiBase: '', pollMs: 5000 });
  });

  it('the container writes config.js from API_BASE_URL and POLL_MS, and the dashboard reads it', () => {
    const { config, headers } = writeRuntimeConfig({ API_BASE_URL: 'https://api.example.com/stores-api/', POLL_MS: '3000' });
    const runtime = evaluate(config);
    expect(runtime).toEqual({ apiBase: 'https://api.example.com/stores-api', pollMs: 3000 });
    expect(__test__.loadConfig(runtime as object)).toEqual({ apiBase: 'https://api.example.com/stores-api', pollMs: 3000 });
    // The CSP lets the page call that origin and nothing else beyond its own.
    expect(headers).toContain("connect-src 'self' https://api.example.com;");
    expect(headers).toContain("frame-ancestors 'none'");
    expect(headers).toContain('X-Content-Type-Options "nosniff"');
  });

  it('defaults to the same origin and 5 s without environment', () => {
    const { config, headers } = writeRuntimeConfig({});
    expect(evaluate(config)).toEqual({ apiBase: '', pollMs: 5000 });
    expect(headers).toContain("connect-src 'self';");
  });

  it('adds extra connect-src origins (an OpenID Connect provider)', () => {
    const { headers } = writeRuntimeConfig({ CSP_CONNECT_SRC_EXTRA: 'https://login.example.com https://idp.example.org:8443' });
    expect(headers).toContain("connect-src 'self' https://login.example.com https://idp.example.org:8443;");
  });

  it.each([
    [{ API_BASE_URL: 'https://x.example.com/"; alert(1); "' }, 'API_BASE_URL'],
    [{ API_BASE_URL: 'javascript:alert(1)' }, 'API_BASE_URL'],
    [{ API_BASE_URL: "https://x.example.com'; script-src *" }, 'API_BASE_URL'],
    [{ API_BASE_URL: '/api path' }, 'API_BASE_URL'],
    [{ POLL_MS: '100' }, 'POLL_MS'],
    [{ POLL_MS: '1e9' }, 'POLL_MS'],
    [{ CSP_CONNECT_SRC_EXTRA: "https://ok.example.com 'unsafe-inline'" }, 'CSP_CONNECT_SRC_EXTRA'],
  ])('refuses %o and names the variable', (env, name) => {
    expect(refusal(env)).toContain(name);
  });
});
