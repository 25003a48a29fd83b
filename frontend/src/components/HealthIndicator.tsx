import type { Health, HealthComponent } from '../api/types';

type Level = 'ok' | 'warn' | 'fail';

export function levelOf(status: string | undefined): Level {
  const s = (status ?? '').toLowerCase();
  if (['healthy', 'ok', 'up', 'pass', 'ready', 'available'].includes(s)) return 'ok';
  if (['degraded', 'warn', 'warning', 'unknown', 'skipped', 'unconfigured'].includes(s)) return 'warn';
  return 'fail';
}

const ICON: Record<Level, string> = { ok: '✓', warn: '!', fail: '✕' };
const TEXT: Record<Level, string> = { ok: 'Healthy', warn: 'Degraded', fail: 'Unhealthy' };

interface HealthIndicatorProps {
  health: Health | undefined;
  isError: boolean;
}

/** Small header indicator; its details list each component's status and message. */
export function HealthIndicator({ health, isError }: HealthIndicatorProps) {
  const components = Object.entries(health ?? {}).filter(
    (e): e is [string, HealthComponent] => typeof e[1] === 'object' && e[1] !== null && 'status' in e[1],
  );
  let overall: Level = 'ok';
  if (isError && !health) overall = 'fail';
  if (typeof health?.status === 'string') {
    // The server's own verdict wins (e.g. "degraded" when only the cluster is missing).
    overall = levelOf(health.status);
  } else {
    for (const [, c] of components) {
      const l = levelOf(c.status);
      if (l === 'fail') overall = 'fail';
      else if (l === 'warn' && overall === 'ok') overall = 'warn';
    }
  }
  if (!health && !isError) {
    return <span className="health health-unknown">Health: checking…</span>;
  }
  return (
    <details className={`health health-${overall}`}>
      <summary>
        <span aria-hidden="true">{ICON[overall]}</span> Health: {isError && !health ? 'unknown' : TEXT[overall]}
      </summary>
      <ul>
        {components.map(([name, c]) => (
          <li key={name} className={`health-${levelOf(c.status)}`}>
            <span aria-hidden="true">{ICON[levelOf(c.status)]}</span> <strong>{name}</strong>: {c.status}
            {c.message ? ` — ${c.message}` : ''}
          </li>
        ))}
        {isError && <li>Health endpoint unreachable.</li>}
      </ul>
    </details>
  );
}
