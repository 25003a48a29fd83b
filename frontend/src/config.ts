/**
 * Runtime configuration. The container image writes `/config.js` when it starts (frontend/docker/
 * write-runtime-config.sh), which sets `window.__DASHBOARD_CONFIG__` before this module loads; its values win over
 * the Vite env variables baked in at build time, so one image serves every environment.
 */

interface RuntimeConfig {
  apiBase?: unknown;
  pollMs?: unknown;
}

declare global {
  interface Window {
    __DASHBOARD_CONFIG__?: RuntimeConfig;
  }
}

function runtimeConfig(): RuntimeConfig {
  const value = typeof window === 'undefined' ? undefined : window.__DASHBOARD_CONFIG__;
  return typeof value === 'object' && value !== null ? value : {};
}

function pick(runtime: unknown, buildTime: string | undefined): string | undefined {
  return typeof runtime === 'string' || typeof runtime === 'number' ? String(runtime) : buildTime;
}

function parsePollMs(raw: string | undefined): number {
  const n = Number(raw);
  return Number.isFinite(n) && n >= 250 ? Math.floor(n) : 5000;
}

function normaliseBase(raw: string | undefined): string {
  return (raw ?? '').trim().replace(/\/+$/, '');
}

function loadConfig(runtime: RuntimeConfig) {
  return {
    /** Base URL of the REST API; '' means same origin (dev/preview proxy /api, or one Ingress in the cluster). */
    apiBase: normaliseBase(pick(runtime.apiBase, import.meta.env.VITE_API_BASE as string | undefined)),
    /** How often stores, metrics and activity are polled while the tab is visible. */
    pollMs: parsePollMs(pick(runtime.pollMs, import.meta.env.VITE_POLL_MS as string | undefined)),
  };
}

export const config = loadConfig(runtimeConfig());

export const __test__ = { parsePollMs, normaliseBase, loadConfig };
