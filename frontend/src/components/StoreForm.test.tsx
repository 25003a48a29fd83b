import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeApi, problem } from '../test/fakeApi';
import { renderWithProviders } from '../test/render';
import { StoreForm } from './StoreForm';

describe('StoreForm', () => {
  // Proves inputs are labelled and client-side validation blocks the request with messages next to the fields.
  it('validates on the client before sending', async () => {
    const fake = installFakeApi();
    const { user } = renderWithProviders(<StoreForm askOwner />);
    await user.type(screen.getByLabelText('Store name'), 'Bad_Name');
    await user.click(screen.getByRole('button', { name: 'Create store' }));
    expect(screen.getByLabelText('Store name')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Store name')).toHaveAccessibleDescription(/lowercase/);
    expect(screen.getByLabelText('User id')).toHaveAccessibleDescription(/required/);
    expect(fake.callsTo('POST', '/api/stores')).toHaveLength(0);
  });

  // Proves reserved names are refused client-side, like the server does.
  it('refuses reserved names', async () => {
    installFakeApi();
    const { user } = renderWithProviders(<StoreForm askOwner />);
    await user.type(screen.getByLabelText('Store name'), 'metrics');
    await user.type(screen.getByLabelText('User id'), 'alice');
    await user.click(screen.getByRole('button', { name: 'Create store' }));
    expect(screen.getByText(/"metrics" is a reserved name/)).toBeInTheDocument();
  });

  // Proves a valid form posts {storeName, userId, engine} and confirms, clearing the name.
  it('creates a store with the chosen engine', async () => {
    const fake = installFakeApi();
    const { user } = renderWithProviders(<StoreForm askOwner />);
    await user.type(screen.getByLabelText('Store name'), 'my-shop');
    await user.selectOptions(screen.getByLabelText('Engine'), 'Medusa');
    await user.type(screen.getByLabelText('User id'), 'alice@example.com');
    await user.click(screen.getByRole('button', { name: 'Create store' }));
    await screen.findByText(/requested; provisioning has started/);
    expect(fake.callsTo('POST', '/api/stores')[0].body).toEqual({
      storeName: 'my-shop',
      userId: 'alice@example.com',
      engine: 'medusa',
    });
    expect(screen.getByLabelText('Store name')).toHaveValue('');
    expect(screen.getByLabelText('User id')).toHaveValue('alice@example.com');
  });

  // Proves the server's 403 problem detail (per-user limit) is shown next to the form.
  it('shows the server refusal for the per-user limit', async () => {
    const fake = installFakeApi();
    fake.override('POST', '/api/stores', () =>
      problem(403, { title: 'Store limit reached', detail: "User 'alice' already has 3 stores (limit 3)." }),
    );
    const { user } = renderWithProviders(<StoreForm askOwner />);
    await user.type(screen.getByLabelText('Store name'), 'fourth');
    await user.type(screen.getByLabelText('User id'), 'alice');
    await user.click(screen.getByRole('button', { name: 'Create store' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("User 'alice' already has 3 stores (limit 3).");
    expect(alert).toHaveTextContent('HTTP 403');
  });

  // Proves a duplicate-name 400 with per-field `errors` attaches the message to the matching field.
  it('shows per-field server errors next to the field', async () => {
    const fake = installFakeApi();
    fake.override('POST', '/api/stores', () =>
      problem(400, {
        title: 'Invalid request',
        detail: "A store named 'taken' already exists.",
        errors: { StoreName: ['The name is already in use.'], region: ['Unknown region.'] },
      }),
    );
    const { user } = renderWithProviders(<StoreForm askOwner />);
    await user.type(screen.getByLabelText('Store name'), 'taken');
    await user.type(screen.getByLabelText('User id'), 'bob');
    await user.click(screen.getByRole('button', { name: 'Create store' }));
    await screen.findByRole('alert');
    expect(screen.getByRole('alert')).toHaveTextContent("A store named 'taken' already exists.");
    expect(screen.getByRole('alert')).toHaveTextContent('region: Unknown region.');
    expect(screen.getByLabelText('Store name')).toHaveAccessibleDescription(/already in use/);
  });

  // Proves the submit button shows a pending state and cannot double-submit while the request is in flight.
  it('disables submit while pending', async () => {
    const fake = installFakeApi();
    let release: () => void = () => {};
    fake.override(
      'POST',
      '/api/stores',
      () => new Promise<Response>((resolve) => {
        release = () => resolve(new Response(JSON.stringify({ name: 'slow-shop' }), { status: 202 }));
      }),
    );
    const { user } = renderWithProviders(<StoreForm askOwner />);
    await user.type(screen.getByLabelText('Store name'), 'slow-shop');
    await user.type(screen.getByLabelText('User id'), 'carol');
    await user.click(screen.getByRole('button', { name: 'Create store' }));
    expect(await screen.findByRole('button', { name: 'Creating…' })).toBeDisabled();
    release();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Create store' })).toBeEnabled());
    expect(fake.callsTo('POST', '/api/stores')).toHaveLength(1);
  });
});
