import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { HealthIndicator } from './HealthIndicator';

const ok = (message: string) => ({ status: 'ok', message });

describe('HealthIndicator', () => {
  // Proves the overall verdict and each component's status/message are shown as text.
  it('shows overall and per-component health', () => {
    render(
      <HealthIndicator
        isError={false}
        health={{
          status: 'degraded',
          database: ok('SQLite at /tmp/x.db'),
          helm: ok('helm v3.17.3.'),
          kubectl: ok('kubectl v1.35.'),
          cluster: { status: 'unavailable', message: 'No Kubernetes cluster is reachable' },
        }}
      />,
    );
    expect(screen.getByText(/Health: Degraded/)).toBeInTheDocument();
    expect(screen.getByText('cluster').closest('li')).toHaveTextContent('cluster: unavailable — No Kubernetes cluster is reachable');
    expect(screen.getByText('helm').closest('li')).toHaveTextContent('helm: ok');
  });

  // Proves an unreachable health endpoint is reported rather than hidden.
  it('reports an unreachable endpoint', () => {
    render(<HealthIndicator isError health={undefined} />);
    expect(screen.getByText(/Health: unknown/)).toBeInTheDocument();
  });
});
