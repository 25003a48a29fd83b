import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../api/types';
import { installFakeApi, makeStore } from '../test/fakeApi';
import { renderWithProviders } from '../test/render';
import { ActivityPanel } from './ActivityPanel';

const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();

// Built per test: the relative times are asserted, so "30s ago" must be 30 s before this test, not before the file loaded.
const entries = (): ActivityEntry[] => [
  { id: 1, action: 'create.requested', storeName: 'alpha', userId: 'alice', timestamp: ago(600), detail: null },
  { id: 3, action: 'install.succeeded', storeName: 'alpha', userId: 'alice', timestamp: ago(30), detail: 'revision 1' },
  { id: 2, action: 'weird.custom_thing', storeName: 'beta', userId: 'bob', timestamp: ago(7200), detail: null },
];

describe('ActivityPanel', () => {
  // Proves each entry names who made the request, and the owner when an operator acted for them.
  it('shows the actor of each entry', async () => {
    installFakeApi({
      activity: [
        { id: 1, action: 'create.requested', storeName: 'alpha', userId: 'alice', actor: 'alice', timestamp: ago(60), detail: null },
        { id: 2, action: 'delete.requested', storeName: 'beta', userId: 'bob', actor: 'olga', timestamp: ago(30), detail: null },
      ],
    });
    renderWithProviders(<ActivityPanel stores={[]} />);
    const items = within(await screen.findByRole('list', { name: 'Activity, newest first' })).getAllByRole('listitem');
    expect(items[0].querySelector('.activity-actor')).toHaveTextContent(/^by olga for bob$/);
    expect(items[1].querySelector('.activity-actor')).toHaveTextContent(/^by alice$/);
  });

  // Proves entries are listed newest first with human-readable actions and relative times.
  it('lists readable activity newest first', async () => {
    installFakeApi({ activity: entries() });
    renderWithProviders(<ActivityPanel stores={[]} />);
    const list = await screen.findByRole('list', { name: 'Activity, newest first' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((i) => i.querySelector('.activity-action')?.textContent)).toEqual([
      'Install succeeded',
      'Creation requested',
      'Weird custom thing',
    ]);
    expect(items[0]).toHaveTextContent('30s ago');
    expect(items[0]).toHaveTextContent('revision 1');
    expect(items[1]).toHaveTextContent('10m ago');
    expect(items[2]).toHaveTextContent('2h ago');
  });

  // Proves choosing a store asks the server for `?store=<name>` and shows only its entries.
  it('filters by store through the API', async () => {
    const fake = installFakeApi({ activity: entries() });
    const { user } = renderWithProviders(<ActivityPanel stores={[makeStore({ name: 'gamma' })]} />);
    await screen.findByText('Install succeeded');
    const select = screen.getByLabelText('Filter by store');
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['All stores', 'alpha', 'beta', 'gamma']);
    await user.selectOptions(select, 'beta');
    await waitFor(() => expect(screen.queryByText('Install succeeded')).toBeNull());
    expect(screen.getByText('Weird custom thing')).toBeInTheDocument();
    expect(fake.calls.some((c) => c.path === '/api/stores/activity' && c.search.get('store') === 'beta')).toBe(true);
    await user.selectOptions(select, 'gamma');
    expect(await screen.findByText('No activity for gamma yet.')).toBeInTheDocument();
  });

  // Proves the empty state when there is no activity at all.
  it('shows an empty state', async () => {
    installFakeApi({ activity: [] });
    renderWithProviders(<ActivityPanel stores={[]} />);
    expect(await screen.findByText('No activity yet.')).toBeInTheDocument();
  });
});
