import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../App';
import { installFakeApi, makeStore, problem, type FakeAuth } from '../test/fakeApi';
import { renderWithProviders } from '../test/render';

const ALICE_KEY = 'alice-key-0123456789abcdef0123456789abcdef';
const apikey: FakeAuth = {
  config: { mode: 'apikey' },
  tokens: { [ALICE_KEY]: { userId: 'alice', role: 'user' } },
};

afterEach(() => {
  sessionStorage.clear();
  localStorage.clear();
});

async function signIn(user: ReturnType<typeof renderWithProviders>['user'], key: string) {
  await user.type(await screen.findByLabelText('API key'), key);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('sign-in (apikey mode)', () => {
  // Proves apikey mode opens on a sign-in screen and asks for nothing but the key before one is given.
  it('shows the sign-in screen and loads no data before signing in', async () => {
    const fake = installFakeApi({ auth: apikey, stores: [makeStore({ name: 'secret-shop', userId: 'alice' })] });
    renderWithProviders(<App />);
    expect(await screen.findByLabelText('API key')).toHaveAttribute('type', 'password');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.queryByText('secret-shop')).toBeNull();
    expect(fake.calls.map((c) => c.path)).toEqual(['/api/auth/config']);
    expect(fake.calls[0].authorization).toBeNull();
  });

  // Proves a refused key keeps the sign-in screen with the server's reason and stores nothing.
  it('refuses a wrong key with the reason and keeps nothing', async () => {
    installFakeApi({ auth: apikey });
    const { user } = renderWithProviders(<App />);
    await signIn(user, 'not-a-key');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'That API key was not accepted: Send a valid API key or token as Authorization: Bearer.',
    );
    expect(screen.getByLabelText('API key')).toBeInTheDocument();
    expect(sessionStorage.length).toBe(0);
    expect(localStorage.length).toBe(0);
  });

  // Proves a good key opens the dashboard, is sent as a bearer on every call, and lives only in sessionStorage.
  it('signs in, sends the key as a bearer on every call, keeps it in sessionStorage only', async () => {
    const fake = installFakeApi({ auth: apikey, stores: [makeStore({ name: 'alice-shop', userId: 'alice' })] });
    const { user } = renderWithProviders(<App />);
    await signIn(user, ALICE_KEY);
    expect(await screen.findByRole('rowheader', { name: 'alice-shop' })).toBeInTheDocument();
    expect(screen.getByText(/signed in as/)).toHaveTextContent('signed in as alice (user)');

    const afterConfig = fake.calls.filter((c) => c.path !== '/api/auth/config');
    expect(afterConfig.length).toBeGreaterThan(3);
    for (const c of afterConfig) expect(c.authorization, `${c.method} ${c.path}`).toBe(`Bearer ${ALICE_KEY}`);
    expect(Object.values(sessionStorage)).toContain(ALICE_KEY);
    expect(localStorage.length).toBe(0);
    expect(window.location.href).not.toContain(ALICE_KEY);
  });

  // Proves a key already in this tab's sessionStorage (a reload) opens the dashboard without asking again.
  it('keeps the session across a reload of the tab', async () => {
    installFakeApi({ auth: apikey, stores: [makeStore({ name: 'alice-shop', userId: 'alice' })] });
    const first = renderWithProviders(<App />);
    await signIn(first.user, ALICE_KEY);
    await screen.findByRole('rowheader', { name: 'alice-shop' });
    first.unmount();

    renderWithProviders(<App />);
    expect(await screen.findByRole('rowheader', { name: 'alice-shop' })).toBeInTheDocument();
    expect(screen.queryByLabelText('API key')).toBeNull();
  });

  // Proves Sign out forgets the key and the data and returns to the sign-in screen.
  it('signs out', async () => {
    const fake = installFakeApi({ auth: apikey, stores: [makeStore({ name: 'alice-shop', userId: 'alice' })] });
    const { user } = renderWithProviders(<App />);
    await signIn(user, ALICE_KEY);
    await screen.findByRole('rowheader', { name: 'alice-shop' });

    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByLabelText('API key')).toBeInTheDocument();
    expect(screen.queryByText('alice-shop')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(sessionStorage.length).toBe(0);

    // Nothing is asked with the old key afterwards.
    const n = fake.calls.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.calls.slice(n).filter((c) => c.authorization)).toEqual([]);
  });

  // Proves a 401 while signed in (key revoked) returns to the sign-in screen with a message.
  it('returns to the sign-in screen with a message when the key stops working', async () => {
    const fake = installFakeApi({ auth: apikey, stores: [makeStore({ name: 'alice-shop', userId: 'alice' })] });
    const { user, queryClient } = renderWithProviders(<App />);
    await signIn(user, ALICE_KEY);
    await screen.findByRole('rowheader', { name: 'alice-shop' });

    delete fake.state.tokens[ALICE_KEY];
    await act(() => queryClient.refetchQueries({ queryKey: ['stores'] }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Your session has ended (Send a valid API key or token as Authorization: Bearer). Sign in again.',
    );
    expect(screen.getByLabelText('API key')).toBeInTheDocument();
    expect(screen.queryByText('alice-shop')).toBeNull();
    expect(sessionStorage.length).toBe(0);
  });

  // Proves a 403 or 429 on the stores list shows the server's detail as a refusal and keeps the session.
  it.each([
    [403, 'Your account may not list stores.'],
    [429, 'Too many requests; try again in 20 seconds.'],
  ])('shows the problem detail of a %i and stays signed in', async (status, detail) => {
    const fake = installFakeApi({ auth: apikey, stores: [makeStore({ name: 'alice-shop', userId: 'alice' })] });
    const { user, queryClient } = renderWithProviders(<App />);
    await signIn(user, ALICE_KEY);
    await screen.findByRole('rowheader', { name: 'alice-shop' });

    fake.override('GET', '/api/stores', () => problem(status, { title: 'Refused', detail }));
    await act(() => queryClient.refetchQueries({ queryKey: ['stores'] }));
    const banner = await screen.findByRole('alert');
    expect(banner).toHaveTextContent(`Refused: ${detail}`);
    expect(banner).not.toHaveTextContent('unreachable');
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeInTheDocument();
    expect(sessionStorage.length).toBe(1);
  });

  // Proves a 429 on a write shows its detail next to the form, without signing out.
  it('shows the detail of a rate-limited create', async () => {
    const fake = installFakeApi({ auth: apikey });
    fake.override('POST', '/api/stores', () =>
      problem(429, { title: 'Too Many Requests', detail: 'At most 30 writes a minute; try again in 12 seconds.' }),
    );
    const { user } = renderWithProviders(<App />);
    await signIn(user, ALICE_KEY);
    await user.type(await screen.findByLabelText('Store name'), 'one-more');
    await user.click(screen.getByRole('button', { name: 'Create store' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Too Many Requests (HTTP 429): At most 30 writes a minute; try again in 12 seconds.',
    );
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeInTheDocument();
  });
});

describe('modes without a sign-in screen', () => {
  // Proves easyauth goes straight to the dashboard (the platform signed the caller in) and signs out through it.
  it('easyauth: no sign-in screen, the platform identity in the header', async () => {
    const fake = installFakeApi({
      auth: { config: { mode: 'easyauth' }, tokens: {}, platformIdentity: { userId: 'zoe@example.com', role: 'operator' } },
      stores: [makeStore({ name: 'ops-shop', userId: 'zoe' })],
    });
    renderWithProviders(<App />);
    expect(await screen.findByRole('rowheader', { name: 'ops-shop' })).toBeInTheDocument();
    expect(screen.queryByLabelText('API key')).toBeNull();
    expect(screen.getByText(/signed in as/)).toHaveTextContent('signed in as zoe@example.com (operator)');
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeInTheDocument();
    for (const c of fake.calls) expect(c.authorization).toBeNull();
  });

  // Proves a 401 in easyauth mode (the platform's session ended) says so instead of "unreachable".
  it('easyauth: a 401 reads as not signed in', async () => {
    const fake = installFakeApi({
      auth: { config: { mode: 'easyauth' }, tokens: {}, platformIdentity: { userId: 'zoe@example.com', role: 'operator' } },
      stores: [makeStore({ name: 'ops-shop', userId: 'zoe' })],
    });
    const { queryClient } = renderWithProviders(<App />);
    await screen.findByRole('rowheader', { name: 'ops-shop' });
    fake.override('GET', '/api/stores', () => problem(401, { title: 'Unauthorized', detail: 'Sign in again.' }));
    await act(() => queryClient.refetchQueries({ queryKey: ['stores'] }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Not signed in: Sign in again.');
  });

  // Proves mode none says so in the header and offers no sign-out.
  it('none: no sign-in, the header says there is no authentication', async () => {
    installFakeApi();
    renderWithProviders(<App />);
    const who = await screen.findByText(/signed in as/);
    expect(who).toHaveTextContent('signed in as anonymous (admin)');
    expect(screen.getByText(/no authentication \(AUTH_MODE=none\)/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
  });

  // Proves a failing /api/auth/config says so and can be retried.
  it('says when the sign-in settings cannot be loaded', async () => {
    const fake = installFakeApi();
    fake.override('GET', '/api/auth/config', () => Promise.reject(new TypeError('Failed to fetch')));
    const { user } = renderWithProviders(<App />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Cannot load the sign-in settings: Cannot reach the API');
    fake.clearOverride('GET', '/api/auth/config');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getByText(/signed in as/)).toBeInTheDocument());
    expect(within(document.body).queryByRole('alert')).toBeNull();
  });
});
