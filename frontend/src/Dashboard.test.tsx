import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from './App';
import { apiKeyStorage } from './auth/credentials';
import { installFakeApi, makeStore, type FakeAuth } from './test/fakeApi';
import { renderWithProviders } from './test/render';

const auth: FakeAuth = {
  config: { mode: 'apikey' },
  tokens: {
    'key-alice': { userId: 'alice', role: 'user' },
    'key-olga': { userId: 'olga', role: 'operator' },
    'key-adam': { userId: 'adam', role: 'admin' },
  },
};
const stores = () => [makeStore({ name: 'alice-shop', userId: 'alice' }), makeStore({ name: 'bob-shop', userId: 'bob' })];

/** Renders the app as one already signed in with `key` (as after a reload of the tab). */
function renderSignedIn(key: string) {
  apiKeyStorage.set(key);
  const fake = installFakeApi({ auth, stores: stores() });
  return { fake, ...renderWithProviders(<App />) };
}

afterEach(() => sessionStorage.clear());

describe('role-aware dashboard', () => {
  // Proves a `user` sees only their stores, no owner column, no user field, and creates without naming an owner.
  it('user: own stores only, no owner column or user field', async () => {
    renderSignedIn('key-alice');
    expect(await screen.findByRole('rowheader', { name: 'alice-shop' })).toBeInTheDocument();
    expect(screen.queryByText('bob-shop')).toBeNull();
    expect(screen.getByRole('heading', { name: /Your stores/ })).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: 'Engine' })).toBeInTheDocument();
    expect(screen.queryByRole('columnheader', { name: 'Engine / owner' })).toBeNull();
    expect(within(screen.getByRole('rowheader', { name: 'alice-shop' }).closest('tr')!).queryByText('alice')).toBeNull();
    expect(screen.queryByLabelText('User id')).toBeNull();
    expect(screen.queryByRole('button', { name: 'API keys' })).toBeNull();
  });

  // Proves a `user`'s create sends no owner: the server takes it from the credential.
  it('user: creates without naming an owner', async () => {
    const { fake, user } = renderSignedIn('key-alice');
    await screen.findByRole('rowheader', { name: 'alice-shop' });
    await user.type(screen.getByLabelText('Store name'), 'alice-two');
    await user.click(screen.getByRole('button', { name: 'Create store' }));
    await screen.findByRole('rowheader', { name: 'alice-two' });
    expect(fake.callsTo('POST', '/api/stores')[0].body).toEqual({ storeName: 'alice-two', engine: 'woocommerce' });
  });

  // Proves operators see every store with its owner.
  it('operator: all stores with their owners', async () => {
    renderSignedIn('key-olga');
    const bobRow = (await screen.findByRole('rowheader', { name: 'bob-shop' })).closest('tr')!;
    expect(within(bobRow).getByText('bob')).toBeInTheDocument();
    expect(screen.getByRole('rowheader', { name: 'alice-shop' })).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: 'Engine / owner' })).toBeInTheDocument();
    expect(screen.getByText(/signed in as/)).toHaveTextContent('signed in as olga (operator)');
    expect(screen.queryByRole('button', { name: 'API keys' })).toBeNull();
  });

  // Proves operators create on behalf of a user, who is then required.
  it('operator: creates on behalf of a user', async () => {
    const { fake, user } = renderSignedIn('key-olga');
    await screen.findByRole('rowheader', { name: 'bob-shop' });
    await user.type(screen.getByLabelText('Store name'), 'carol-shop');
    await user.click(screen.getByRole('button', { name: 'Create store' }));
    expect(await screen.findByText('User id is required.')).toBeInTheDocument();
    expect(fake.callsTo('POST', '/api/stores')).toHaveLength(0);

    await user.type(screen.getByLabelText('User id'), 'carol');
    await user.click(screen.getByRole('button', { name: 'Create store' }));
    const row = (await screen.findByRole('rowheader', { name: 'carol-shop' })).closest('tr')!;
    expect(within(row).getByText('carol')).toBeInTheDocument();
    expect(fake.callsTo('POST', '/api/stores')[0].body).toEqual({ storeName: 'carol-shop', userId: 'carol', engine: 'woocommerce' });
  });

  // Proves operators read health details while a `user` reads the minimal status.
  it('health: details for operators, status only for users', async () => {
    const op = renderSignedIn('key-olga');
    await screen.findByRole('rowheader', { name: 'bob-shop' });
    await waitFor(() => expect(op.fake.callsTo('GET', '/api/health/details').length).toBeGreaterThan(0));
    expect(op.fake.callsTo('GET', '/api/health')).toHaveLength(0);
    op.unmount();
    sessionStorage.clear();

    const u = renderSignedIn('key-alice');
    await screen.findByRole('rowheader', { name: 'alice-shop' });
    await waitFor(() => expect(u.fake.callsTo('GET', '/api/health').length).toBeGreaterThan(0));
    expect(u.fake.callsTo('GET', '/api/health/details')).toHaveLength(0);
  });

  // Proves only admins get the API keys page, and it replaces the stores view until Stores is chosen again.
  it('admin: an API keys page', async () => {
    const { user } = renderSignedIn('key-adam');
    await screen.findByRole('rowheader', { name: 'bob-shop' });
    await user.click(screen.getByRole('button', { name: 'API keys' }));
    expect(await screen.findByRole('heading', { name: 'API keys' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'API keys' })).toHaveAttribute('aria-current', 'page');
    expect(screen.queryByRole('rowheader', { name: 'bob-shop' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Stores' }));
    expect(await screen.findByRole('rowheader', { name: 'bob-shop' })).toBeInTheDocument();
  });
});
