import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../App';
import type { ActivityEntry } from '../api/types';
import { installFakeApi, makeRevision, makeStore } from '../test/fakeApi';
import { renderWithProviders } from '../test/render';
import { StoreDetail } from './StoreDetail';

const history = [
  makeRevision(1, { plan: 'small', storeTitle: 'Acme', version: '6.7' }),
  makeRevision(2, { plan: 'medium', storeTitle: 'Acme', version: '6.7' }),
  makeRevision(3, { plan: 'medium', storeTitle: 'Acme Coffee', version: '6.8' }, { description: 'Upgrade complete', chart: 'woocommerce-0.3.0' }),
];

const activity: ActivityEntry[] = [
  { id: 1, action: 'install.succeeded', storeName: 'acme', userId: 'alice', actor: 'alice', timestamp: '2026-12-01T10:00:05Z', detail: null, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' },
  { id: 2, action: 'upgrade.requested', storeName: 'acme', userId: 'alice', actor: 'olga', timestamp: '2026-12-01T11:00:00Z', detail: 'plan medium', traceId: null },
  { id: 3, action: 'install.succeeded', storeName: 'other', userId: 'bob', actor: 'bob', timestamp: '2026-12-01T10:00:00Z', detail: null },
];

describe('StoreDetail', () => {
  // Proves the current step of a running operation is shown with its position and the time it has been running.
  it('shows the status and the current step with elapsed time', async () => {
    const startedAt = new Date(Date.now() - 75_000).toISOString();
    installFakeApi({
      stores: [makeStore({ name: 'acme', status: 'PROVISIONING', operation: 'upgrade', revision: 3, progress: { step: 'helm upgrade', index: 2, of: 4, startedAt } })],
      revisions: { acme: history },
    });
    renderWithProviders(<StoreDetail name="acme" />, { route: '/stores/acme' });
    const progress = await screen.findByTestId('progress');
    expect(progress).toHaveTextContent('Step 2 of 4: helm upgrade');
    expect(progress).toHaveTextContent(/running for 1m 1\ds/);
    expect(screen.getByText(/Provisioning · upgrade/)).toBeInTheDocument();
  });

  // Proves the timeline holds only this store's activity (the API's ?store= filter), newest first, with a copyable trace id.
  it('shows this store’s activity with its trace ids', async () => {
    const fake = installFakeApi({ stores: [makeStore({ name: 'acme' })], activity, revisions: { acme: history } });
    const { user } = renderWithProviders(<StoreDetail name="acme" />, { route: '/stores/acme' });
    const timeline = await screen.findByRole('list', { name: 'Activity of acme, newest first' });
    const items = within(timeline).getAllByRole('listitem');
    expect(items.map((i) => i.getAttribute('data-action'))).toEqual(['upgrade.requested', 'install.succeeded']);
    expect(items[0]).toHaveTextContent('by olga for alice');
    expect(fake.calls.some((c) => c.path === '/api/stores/activity' && c.search.get('store') === 'acme')).toBe(true);

    expect(within(items[1]).getByText('4bf92f3577b34da6a3ce929d0e0e4736')).toBeInTheDocument();
    await user.click(within(items[1]).getByRole('button', { name: 'Copy trace id 4bf92f3577b34da6a3ce929d0e0e4736' }));
    // user-event's clipboard stands in for the browser's.
    expect(await navigator.clipboard.readText()).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(within(items[1]).getByRole('button', { name: /Copy trace id/ })).toHaveTextContent('Copied');
    expect(within(items[0]).queryByRole('button', { name: /Copy trace id/ })).toBeNull();
  });

  // Proves the Helm history is listed newest first and two chosen revisions are diffed from their values.
  it('lists the revisions and diffs the two the user picks', async () => {
    const fake = installFakeApi({ stores: [makeStore({ name: 'acme', revision: 3 })], revisions: { acme: history } });
    const { user, container } = renderWithProviders(<StoreDetail name="acme" />, { route: '/stores/acme' });
    const table = await screen.findByRole('table', { name: /Helm revisions of acme/ });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-revision'))).toEqual(['3', '2', '1']);
    expect(rows[0]).toHaveTextContent('woocommerce-0.3.0');
    expect(rows[0]).toHaveTextContent('Upgrade complete');

    // By default the previous revision against the newest.
    const diff = await screen.findByRole('figure', { name: 'Values diff: revision 2 → revision 3' });
    expect([...diff.querySelectorAll('[data-kind="added"]')].map((e) => e.textContent?.trim())).toEqual([
      '+added:   "storeTitle": "Acme Coffee",',
      '+added:   "version": "6.8"',
    ]);

    await user.selectOptions(screen.getByLabelText('Compare revision'), '1');
    await user.selectOptions(screen.getByLabelText('with revision'), '2');
    const picked = await screen.findByRole('figure', { name: 'Values diff: revision 1 → revision 2' });
    expect([...picked.querySelectorAll('[data-kind="removed"]')].map((e) => e.textContent?.trim())).toEqual(['-removed:   "plan": "small",']);
    expect([...picked.querySelectorAll('[data-kind="added"]')].map((e) => e.textContent?.trim())).toEqual(['+added:   "plan": "medium",']);
    // Both sides come from the values endpoint.
    for (const rev of ['1', '2']) expect(fake.callsTo('GET', `/api/stores/acme/revisions/${rev}/values`).length).toBeGreaterThan(0);
    expect(container.querySelector('.field-error')).toBeNull();
  });

  // Proves a store with a single revision says a diff needs two, and an unknown store says it is not there.
  it('handles one revision and an unknown store', async () => {
    installFakeApi({ stores: [makeStore({ name: 'solo' })], revisions: { solo: [makeRevision(1, { plan: 'small' })] } });
    renderWithProviders(<StoreDetail name="solo" />, { route: '/stores/solo' });
    expect(await screen.findByText('A values diff needs two revisions; this store has 1.')).toBeInTheDocument();
  });

  it('says when the store does not exist', async () => {
    installFakeApi({ stores: [] });
    renderWithProviders(<StoreDetail name="ghost" />, { route: '/stores/ghost' });
    expect(await screen.findByText(/There is no store named ghost/)).toBeInTheDocument();
  });

  // Proves the route: the table's store name opens /stores/{name}, and the detail view links back to the overview.
  it('is reached from the store table and links back', async () => {
    installFakeApi({ stores: [makeStore({ name: 'acme', revision: 3 })], revisions: { acme: history } });
    const { user } = renderWithProviders(<App />);
    await user.click(await screen.findByRole('link', { name: 'acme' }));
    expect(await screen.findByRole('heading', { name: 'Store acme' })).toBeInTheDocument();
    expect(await screen.findByRole('table', { name: /Helm revisions of acme/ })).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: '← All stores' }));
    await waitFor(() => expect(screen.getByRole('rowheader', { name: 'acme' })).toBeInTheDocument());
  });

  // Proves a deep link (/stores/{name} opened directly) shows the store.
  it('opens from a deep link', async () => {
    installFakeApi({ stores: [makeStore({ name: 'acme', revision: 3 })], revisions: { acme: history } });
    renderWithProviders(<App />, { route: '/stores/acme' });
    expect(await screen.findByRole('heading', { name: 'Store acme' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: /Stores/ })).toBeNull();
  });
});
