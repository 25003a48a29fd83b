import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { zeroMetrics } from '../test/fakeApi';
import { MetricsPanel } from './MetricsPanel';

describe('MetricsPanel', () => {
  // Proves all six counters are shown with labels and values (extra fields are ignored).
  it('shows the six counters', () => {
    render(
      <MetricsPanel
        metrics={{ activeStores: 4, provisioning: 1, failed: 2, upgrades: 5, rollbacks: 3, retries: 7, somethingNew: 9 }}
        isLoading={false}
      />,
    );
    const expected: [string, string][] = [
      ['Active stores', '4'],
      ['Provisioning', '1'],
      ['Failed', '2'],
      ['Upgrades', '5'],
      ['Rollbacks', '3'],
      ['Retries', '7'],
    ];
    for (const [label, value] of expected) {
      const term = screen.getByText(label, { selector: 'dt' });
      expect(term.nextElementSibling).toHaveTextContent(value);
    }
    expect(screen.queryByText('9')).toBeNull();
  });

  // Proves the optional averageInstallSeconds extra is shown when the server sends it.
  it('shows the average install time when present', () => {
    render(
      <MetricsPanel
        metrics={{ activeStores: 1, provisioning: 0, failed: 0, upgrades: 0, rollbacks: 0, retries: 0, averageInstallSeconds: 12.34 }}
        isLoading={false}
      />,
    );
    expect(screen.getByText(/Average install time/)).toHaveTextContent('Average install time: 12.3 s');
  });

  // Proves the status picture has a text alternative and a numeric legend (not colour alone).
  it('draws stores by status with an accessible summary', () => {
    // The counts are the API's byStatus, not a recount of the list.
    const byStatus = { NEW: 0, PROVISIONING: 1, READY: 2, FAILED: 1, DELETING: 0 };
    render(<MetricsPanel metrics={{ ...zeroMetrics, byStatus }} isLoading={false} />);
    const img = screen.getByRole('img');
    expect(img).toHaveAccessibleName(/Ready 2/);
    expect(img).toHaveAccessibleName(/Failed 1/);
    expect(img.querySelectorAll('rect')).toHaveLength(1 + 3);
    const legend = screen.getByRole('list');
    expect(within(legend).getByText(/Ready/).closest('li')).toHaveTextContent('Ready: 2');
  });

  // Proves a loading state is shown before metrics arrive.
  it('shows loading', () => {
    render(<MetricsPanel metrics={undefined} isLoading />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading metrics…');
  });
});
