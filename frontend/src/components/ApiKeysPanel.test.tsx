import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ApiKeyInfo } from '../api/types';
import { installFakeApi, problem } from '../test/fakeApi';
import { renderWithProviders } from '../test/render';
import { ApiKeysPanel } from './ApiKeysPanel';

const existing: ApiKeyInfo[] = [
  { id: 'k1', userId: 'alice', role: 'user', name: 'alice laptop', createdAt: new Date(Date.now() - 3600_000).toISOString() },
  { id: 'k2', userId: 'ci', role: 'operator', name: null, createdAt: new Date().toISOString() },
];

describe('ApiKeysPanel', () => {
  // Proves the list shows key metadata (name or id, user, role) and never asks for more than GET /api/keys.
  it('lists keys by their metadata', async () => {
    const fake = installFakeApi({ keys: existing });
    renderWithProviders(<ApiKeysPanel />);
    const alice = (await screen.findByRole('rowheader', { name: 'alice laptop' })).closest('tr')!;
    expect(within(alice).getByText('alice')).toBeInTheDocument();
    expect(within(alice).getByText('user')).toBeInTheDocument();
    expect(within(alice).getByText('1h ago')).toBeInTheDocument();
    expect(within(alice).getByText('never')).toBeInTheDocument();
    expect(within(screen.getByRole('rowheader', { name: 'k2' }).closest('tr')!).getByText('operator')).toBeInTheDocument();
    expect(fake.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api/keys']);
  });

  // Proves a created key is shown once with a working copy button, and gone from the page after Done.
  it('creates a key and shows it once with a copy button', async () => {
    const fake = installFakeApi({ keys: existing });
    const { user } = renderWithProviders(<ApiKeysPanel />);
    await screen.findByRole('rowheader', { name: 'alice laptop' });
    await user.type(screen.getByLabelText('User id'), 'bob');
    await user.selectOptions(screen.getByLabelText('Role'), 'operator');
    await user.type(screen.getByLabelText('Name (optional)'), 'bob deploys');
    await user.click(screen.getByRole('button', { name: 'Create key' }));

    expect(fake.callsTo('POST', '/api/keys')[0].body).toEqual({ userId: 'bob', role: 'operator', name: 'bob deploys' });
    const created = await screen.findByRole('region', { name: 'New API key' });
    const key = (within(created).getByLabelText('New API key') as HTMLInputElement).value;
    expect(key).toMatch(/^sk-fake-/);
    expect(created).toHaveTextContent('Key for bob (operator) “bob deploys”. Copy it now: it is not shown again.');

    await user.click(within(created).getByRole('button', { name: 'Copy' }));
    expect(await within(created).findByRole('status')).toHaveTextContent('Copied.');
    expect(await navigator.clipboard.readText()).toBe(key);

    // The list refreshes with the new key's metadata, never the key.
    expect(await screen.findByRole('rowheader', { name: 'bob deploys' })).toBeInTheDocument();
    expect(screen.getByRole('table')).not.toHaveTextContent(key);

    await user.click(within(created).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('region', { name: 'New API key' })).toBeNull();
    expect(document.body.innerHTML).not.toContain(key);
  });

  // Proves client validation stops an empty user id before any request.
  it('requires a user id', async () => {
    const fake = installFakeApi({ keys: [] });
    const { user } = renderWithProviders(<ApiKeysPanel />);
    await screen.findByText('No keys yet.');
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    expect(screen.getByText('User id is required.')).toBeInTheDocument();
    expect(fake.callsTo('POST', '/api/keys')).toHaveLength(0);
  });

  // Proves revoking asks first, sends DELETE /api/keys/{id} and drops the row.
  it('revokes a key after confirmation', async () => {
    const fake = installFakeApi({ keys: existing });
    const { user } = renderWithProviders(<ApiKeysPanel />);
    await user.click(await screen.findByRole('button', { name: 'Revoke alice laptop' }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke alice laptop?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(fake.callsTo('DELETE', '/api/keys/k1')).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Revoke alice laptop' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revoke key' }));
    await waitFor(() => expect(screen.queryByRole('rowheader', { name: 'alice laptop' })).toBeNull());
    expect(fake.callsTo('DELETE', '/api/keys/k1')).toHaveLength(1);
    expect(screen.getByRole('rowheader', { name: 'k2' })).toBeInTheDocument();
  });

  // Proves a validation refusal shows the server's field messages too.
  it('shows field messages of a 400', async () => {
    const fake = installFakeApi({ keys: [] });
    fake.override('POST', '/api/keys', () =>
      problem(400, { title: 'Validation failed', detail: 'One or more fields are invalid.', errors: { role: ["role must be one of user, operator, admin."] } }),
    );
    const { user } = renderWithProviders(<ApiKeysPanel />);
    await screen.findByText('No keys yet.');
    await user.type(screen.getByLabelText('User id'), 'bob');
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Refused (HTTP 400): One or more fields are invalid.');
    expect(alert).toHaveTextContent('role must be one of user, operator, admin.');
  });

  // Proves a refused create (403/429) shows the server's detail.
  it('shows the detail of a refused create', async () => {
    const fake = installFakeApi({ keys: [] });
    fake.override('POST', '/api/keys', () => problem(403, { title: 'Forbidden', detail: 'Only admins manage API keys.' }));
    const { user } = renderWithProviders(<ApiKeysPanel />);
    await screen.findByText('No keys yet.');
    await user.type(screen.getByLabelText('User id'), 'bob');
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Refused (HTTP 403): Only admins manage API keys.');
    expect(screen.queryByRole('region', { name: 'New API key' })).toBeNull();
  });
});
