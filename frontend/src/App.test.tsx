import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from './App';
import { installFakeApi, makeStore, problem } from './test/fakeApi';
import { renderWithProviders } from './test/render';

describe('App', () => {
  // Proves the dashboard loads stores, metrics and health from the API on start.
  it('renders stores, metrics and health', async () => {
    installFakeApi({
      stores: [makeStore({ name: 'shop-one', status: 'READY' })],
      metrics: { activeStores: 1, provisioning: 0, failed: 0, upgrades: 0, rollbacks: 0, retries: 0 },
    });
    renderWithProviders(<App />);
    expect(await screen.findByRole('rowheader', { name: 'shop-one' })).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByText('Active stores', { selector: 'dt' }).nextElementSibling).toHaveTextContent('1'),
    );
    expect(await screen.findByText(/Health: Healthy/)).toBeInTheDocument();
  });

  // Proves an unreachable API shows a banner with the last successful refresh time while keeping data on screen.
  it('keeps data and shows an error banner when the API goes away', async () => {
    const fake = installFakeApi({ stores: [makeStore({ name: 'kept-shop' })] });
    const { queryClient } = renderWithProviders(<App />);
    await screen.findByRole('rowheader', { name: 'kept-shop' });
    expect(screen.queryByRole('alert')).toBeNull();

    fake.override('GET', '/api/stores', () => Promise.reject(new TypeError('Failed to fetch')));
    await act(() => queryClient.refetchQueries({ queryKey: ['stores'] }));
    const banner = await screen.findByRole('alert');
    expect(banner).toHaveTextContent('API unreachable: Cannot reach the API');
    expect(banner).toHaveTextContent(/last successful refresh at \d{2}:\d{2}:\d{2}/);
    expect(screen.getByRole('rowheader', { name: 'kept-shop' })).toBeInTheDocument();
    expect(screen.getByText(/Health: unknown/)).toBeInTheDocument();

    fake.clearOverride('GET', '/api/stores');
    await act(() => queryClient.refetchQueries({ queryKey: ['stores'] }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  // Proves the error banner appears even when the very first load fails.
  it('shows the banner when nothing could be loaded', async () => {
    const fake = installFakeApi();
    fake.override('GET', '/api/stores', () => problem(503, { title: 'Service Unavailable', detail: 'Database is down' }));
    renderWithProviders(<App />);
    const banner = await screen.findByRole('alert');
    expect(banner).toHaveTextContent('Database is down');
    expect(banner).toHaveTextContent('No data has been loaded yet.');
  });

  // Proves a created store appears in the table at once, before the next poll.
  it('adds a created store to the table immediately', async () => {
    installFakeApi();
    const { user } = renderWithProviders(<App />);
    await screen.findByText('No stores yet.');
    await user.type(screen.getByLabelText('Store name'), 'new-shop');
    await user.type(screen.getByLabelText('User id'), 'dora');
    await user.click(screen.getByRole('button', { name: 'Create store' }));
    const r = (await screen.findByRole('rowheader', { name: 'new-shop' })).closest('tr') as HTMLElement;
    expect(within(r).getByText('New')).toBeInTheDocument();
  });
});
