/** Runtime configuration, read from Vite env variables at build time. */

function parsePollMs(raw: string | undefined): number {
  const n = Number(raw);
  return Number.isFinite(n) && n >= 250 ? Math.floor(n) : 5000;
}

function normaliseBase(raw: string | undefined): string {
  return (raw ?? '').trim().replace(/\/+$/, '');
}

export const config = {
  /** Base URL of the REST API; '' means same origin (dev/preview proxy /api). */
  apiBase: normaliseBase(import.meta.env.VITE_API_BASE as string | undefined),
  /** How often stores, metrics and activity are polled while the tab is visible. */
  pollMs: parsePollMs(import.meta.env.VITE_POLL_MS as string | undefined),
};

export const __test__ = { parsePollMs, normaliseBase };
