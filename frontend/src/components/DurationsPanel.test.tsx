import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../App';
import type { OperationDurations } from '../api/types';
import { installFakeApi, makeStore } from '../test/fakeApi';
import { renderWithProviders } from '../test/render';
import { DurationsPanel } from './DurationsPanel';

const durations: OperationDurations = {
  since: '2026-12-01T00:00:00Z',
  operations: [
    { operation: 'install', count: 12, p50Seconds: 1.2, p95Seconds: 3.4 },
    { operation: 'upgrade', count: 3, p50Seconds: 0.8, p95Seconds: 150 },
  ],
  queue: { waiting: 4, inUse: 2, capacity: 2 },
};

describe('DurationsPanel', () => {
  // Proves the chart draws one p50 and one p95 bar per operation the API reports (and no other), with a text
  // alternative and the same figures in a table.
  it('charts p50/p95 per reported operation', () => {
    const { container } = render(<DurationsPanel durations={durations} isLoading={false} />);
    const chart = screen.getByRole('img', { name: /^Operation durations:/ });
    expect(chart).toHaveAccessibleName('Operation durations: install p50 1.2 s, p95 3.4 s; upgrade p50 0.80 s, p95 2.5 min');
    expect(container.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(4);
    expect([...container.querySelectorAll('text[orientation="bottom"].recharts-cartesian-axis-tick-value')].map((t) => t.textContent)).toEqual([
      'install',
      'upgrade',
    ]);
    const table = screen.getByRole('table', { name: 'Operation durations' });
    const install = within(table).getByRole('row', { name: /install/ });
    expect(install).toHaveTextContent('install121.2 s3.4 s');
    expect(within(table).queryByRole('row', { name: /rollback/ })).toBeNull();
  });

  // Proves the cluster slot queue is shown: operations waiting, slots in use of capacity.
  it('shows the operations waiting for a cluster slot', () => {
    render(<DurationsPanel durations={durations} isLoading={false} />);
    expect(screen.getByText('Waiting for a slot').nextElementSibling).toHaveTextContent('4');
    expect(screen.getByText('Slots in use').nextElementSibling).toHaveTextContent('2 / 2');
  });

  // Proves an empty window says so instead of drawing an empty chart.
  it('says when nothing finished in the window', () => {
    render(<DurationsPanel durations={{ ...durations, operations: [] }} isLoading={false} />);
    expect(screen.getByText('No finished operations in the last 24h.')).toBeInTheDocument();
    expect(screen.queryByRole('img')).toBeNull();
  });

  // Proves the overview polls GET /api/operations/durations?window=24h and shows the panel next to the metrics.
  it('is on the overview, fed by the durations endpoint', async () => {
    const fake = installFakeApi({ stores: [makeStore({ name: 'acme' })], durations });
    renderWithProviders(<App />);
    expect(await screen.findByRole('heading', { name: 'Operations (last 24h)' })).toBeInTheDocument();
    expect(await screen.findByRole('table', { name: 'Operation durations' })).toBeInTheDocument();
    expect(fake.callsTo('GET', '/api/operations/durations')[0].search.get('window')).toBe('24h');
  });
});
