import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Store } from '../api/types';
import { installFakeApi, makeStore, problem } from '../test/fakeApi';
import { renderWithProviders } from '../test/render';
import { useStores } from '../hooks/usePolling';
import { StoreTable } from './StoreTable';

/** The table fed by the real stores query, as in the app. */
function LiveTable() {
  const q = useStores();
  return <StoreTable stores={q.data} isLoading={q.isLoading} />;
}

function row(name: string) {
  return screen.getByRole('rowheader', { name }).closest('tr') as HTMLTableRowElement;
}

const sample: Store[] = [
  makeStore({ name: 'fresh', status: 'NEW', operation: 'install', revision: null }),
  makeStore({ name: 'busy', status: 'PROVISIONING', operation: 'upgrade', revision: 2 }),
  makeStore({ name: 'good', status: 'READY', url: 'http://good.example.test', revision: 3 }),
  makeStore({ name: 'broken', status: 'FAILED', error: 'helm install timed out', revision: 1 }),
  makeStore({ name: 'leaving', status: 'DELETING', operation: 'delete' }),
];

describe('StoreTable', () => {
  // Proves the empty state is shown when there are no stores.
  it('shows an empty state', () => {
    renderWithProviders(<StoreTable stores={[]} isLoading={false} />);
    expect(screen.getByText('No stores yet.')).toBeInTheDocument();
  });

  // Proves the loading state is announced before the first response.
  it('shows a loading state', () => {
    renderWithProviders(<StoreTable stores={undefined} isLoading />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading stores…');
  });

  // Proves each status is shown as text + icon (not colour alone), PROVISIONING names its operation.
  it('renders status badges with text and icon', () => {
    renderWithProviders(<StoreTable stores={sample} isLoading={false} />);
    expect(within(row('fresh')).getByText('New')).toBeInTheDocument();
    expect(within(row('busy')).getByText('Provisioning · upgrade')).toBeInTheDocument();
    expect(within(row('good')).getByText('Ready')).toBeInTheDocument();
    expect(within(row('broken')).getByText('Failed')).toBeInTheDocument();
    expect(within(row('leaving')).getByText('Deleting')).toBeInTheDocument();
    for (const r of ['fresh', 'busy', 'good', 'broken', 'leaving']) {
      expect(row(r).querySelector('.badge-icon')?.textContent).not.toBe('');
    }
  });

  // Proves READY rows link to the store URL, FAILED rows show the reason, and revisions are shown.
  it('shows link, failure reason and revision', () => {
    renderWithProviders(<StoreTable stores={sample} isLoading={false} />);
    expect(within(row('good')).getByRole('link', { name: 'http://good.example.test' })).toHaveAttribute(
      'href',
      'http://good.example.test',
    );
    expect(within(row('broken')).getByText('helm install timed out')).toBeInTheDocument();
    // A FAILED store has no store link; its only link is its name, to its detail view.
    expect(within(row('broken')).getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual(['/stores/broken']);
    expect(within(row('good')).getByText('3')).toBeInTheDocument();
  });

  // Proves every row's name links to that store's detail view (/stores/{name}).
  it('links each store name to its detail view', () => {
    renderWithProviders(<StoreTable stores={sample} isLoading={false} />);
    for (const s of sample) {
      expect(within(row(s.name)).getByRole('link', { name: s.name })).toHaveAttribute('href', `/stores/${s.name}`);
    }
  });

  // Proves Retry only exists for FAILED stores and every action but Cancel is disabled while an operation runs;
  // Cancel exists only for PROVISIONING and DELETING stores.
  it('offers Retry only when FAILED and disables actions while busy', () => {
    renderWithProviders(<StoreTable stores={sample} isLoading={false} />);
    expect(screen.getAllByRole('button', { name: /^Retry / })).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Retry broken' })).toBeEnabled();
    const notCancel = (name: string) => within(row(name)).getAllByRole('button').filter((b) => !b.textContent?.startsWith('Cancel'));
    for (const name of ['busy', 'leaving']) {
      for (const b of notCancel(name)) expect(b).toBeDisabled();
    }
    // A NEW store allows only delete and cancel (the API's actions): nothing else is offered before it is installed.
    for (const b of notCancel('fresh')) {
      if (b.getAttribute('aria-label') === 'Delete fresh') expect(b).toBeEnabled();
      else expect(b).toBeDisabled();
    }
    // Cancel is offered exactly where an operation is in flight, and enabled there.
    expect(screen.getAllByRole('button', { name: /^Cancel / }).map((b) => b.getAttribute('aria-label'))).toEqual(['Cancel fresh', 'Cancel busy', 'Cancel leaving']);
    for (const name of ['fresh', 'busy', 'leaving']) expect(screen.getByRole('button', { name: `Cancel ${name}` })).toBeEnabled();
    for (const b of within(row('good')).getAllByRole('button')) expect(b).toBeEnabled();
  });

  // Proves Cancel asks for confirmation, then posts /cancel and shows the store FAILED with the server's reason.
  it('cancels a running operation after confirmation', async () => {
    const fake = installFakeApi({ stores: [makeStore({ name: 'slow', status: 'PROVISIONING', operation: 'install' })] });
    const { user } = renderWithProviders(<LiveTable />);
    await user.click(await screen.findByRole('button', { name: 'Cancel slow' }));
    const dialog = screen.getByRole('dialog', { name: 'Cancel the install of slow?' });
    expect(fake.callsTo('POST', '/api/stores/slow/cancel')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Cancel operation' }));
    await waitFor(() => expect(fake.callsTo('POST', '/api/stores/slow/cancel')).toHaveLength(1));
    await waitFor(() => expect(within(row('slow')).getByText(/cancelled by /)).toBeInTheDocument());
    expect(within(row('slow')).queryByRole('button', { name: 'Cancel slow' })).toBeNull();
  });

  // Proves Delete asks for confirmation in a focus-managed dialog; Escape cancels and returns focus.
  it('cancels delete from the dialog with Escape', async () => {
    const fake = installFakeApi({ stores: [makeStore({ name: 'shop' })] });
    const { user } = renderWithProviders(<LiveTable />);
    const del = await screen.findByRole('button', { name: 'Delete shop' });
    await user.click(del);
    const dialog = screen.getByRole('dialog', { name: 'Delete shop?' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.tab();
    expect(within(dialog).getByRole('button', { name: 'Delete store' })).toHaveFocus();
    await user.tab();
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(del).toHaveFocus();
    expect(fake.callsTo('DELETE', '/api/stores/shop')).toHaveLength(0);
  });

  // Proves confirming Delete sends DELETE and shows DELETING at once, with actions disabled.
  it('deletes after confirmation with immediate feedback', async () => {
    const fake = installFakeApi({ stores: [makeStore({ name: 'shop' })] });
    const { user } = renderWithProviders(<LiveTable />);
    await user.click(await screen.findByRole('button', { name: 'Delete shop' }));
    await user.click(screen.getByRole('button', { name: 'Delete store' }));
    await waitFor(() => expect(within(row('shop')).getByText('Deleting')).toBeInTheDocument());
    expect(fake.callsTo('DELETE', '/api/stores/shop')).toHaveLength(1);
    expect(within(row('shop')).getByRole('button', { name: 'Upgrade shop' })).toBeDisabled();
  });

  // Proves keyboard focus is not dropped on the page body when the Delete button that opened the dialog becomes disabled.
  it('keeps focus on the stores heading after a delete', async () => {
    installFakeApi({ stores: [makeStore({ name: 'shop' })] });
    const { user } = renderWithProviders(
      <>
        <h2 tabIndex={-1} data-focus-fallback>
          Stores
        </h2>
        <LiveTable />
      </>,
    );
    await user.click(await screen.findByRole('button', { name: 'Delete shop' }));
    await user.click(screen.getByRole('button', { name: 'Delete store' }));
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Stores' })).toHaveFocus());
  });

  // Proves a refused action restores the previous status and shows the server's problem detail in a toast.
  it('reverts the optimistic status and shows the refusal', async () => {
    const fake = installFakeApi({ stores: [makeStore({ name: 'shop', revision: 2 })] });
    fake.override('POST', '/api/stores/shop/rollback', () =>
      problem(409, { title: 'Conflict', detail: 'Store shop is busy with another operation.' }),
    );
    const { user } = renderWithProviders(<LiveTable />);
    await user.click(await screen.findByRole('button', { name: 'Rollback shop' }));
    await user.click(screen.getByRole('button', { name: 'Roll back' }));
    expect(await screen.findByText(/Rollback of shop refused: Store shop is busy/)).toBeInTheDocument();
    await waitFor(() => expect(within(row('shop')).getByText('Ready')).toBeInTheDocument());
    expect(fake.callsTo('POST', '/api/stores/shop/rollback')[0].body).toEqual({});
  });

  // Proves Rollback is offered only when there is an earlier revision to go back to (the server would answer 400).
  it('disables rollback without an earlier revision', async () => {
    installFakeApi({ stores: [makeStore({ name: 'fresh', revision: 1 }), makeStore({ name: 'broken', status: 'FAILED', revision: null })] });
    renderWithProviders(<LiveTable />);
    const fresh = await screen.findByRole('button', { name: 'Rollback fresh' });
    expect(fresh).toBeDisabled();
    expect(fresh).toHaveAttribute('title', 'No earlier revision to roll back to');
    expect(screen.getByRole('button', { name: 'Rollback broken' })).toBeDisabled();
  });

  // Proves the rollback dialog sends an explicit target revision and validates it first.
  it('rolls back to a chosen revision', async () => {
    const fake = installFakeApi({ stores: [makeStore({ name: 'shop', revision: 4 })] });
    const { user } = renderWithProviders(<LiveTable />);
    await user.click(await screen.findByRole('button', { name: 'Rollback shop' }));
    const input = screen.getByLabelText('Target revision (optional)');
    expect(input).toHaveFocus();
    await user.type(input, '0');
    await user.click(screen.getByRole('button', { name: 'Roll back' }));
    expect(input).toHaveAccessibleDescription(/1 or more/);
    await user.clear(input);
    await user.type(input, '2');
    await user.click(screen.getByRole('button', { name: 'Roll back' }));
    await waitFor(() => expect(fake.callsTo('POST', '/api/stores/shop/rollback')).toHaveLength(1));
    expect(fake.callsTo('POST', '/api/stores/shop/rollback')[0].body).toEqual({ revision: 2 });
    await waitFor(() => expect(within(row('shop')).getByText('Provisioning · rollback')).toBeInTheDocument());
  });

  // Proves Upgrade and Retry call their endpoints and disable the row's actions while in flight.
  it('upgrades and retries with a pending indicator', async () => {
    const fake = installFakeApi({
      stores: [makeStore({ name: 'shop' }), makeStore({ name: 'bad', status: 'FAILED', error: 'boom' })],
    });
    let release: () => void = () => {};
    fake.override(
      'POST',
      '/api/stores/shop/upgrade',
      () => new Promise<Response>((r) => (release = () => r(new Response(JSON.stringify(fake.state.stores[0]), { status: 202 })))),
    );
    const { user } = renderWithProviders(<LiveTable />);
    await user.click(await screen.findByRole('button', { name: 'Upgrade shop' }));
    expect(within(row('shop')).getByText(/sending/)).toBeInTheDocument();
    expect(within(row('shop')).getByRole('button', { name: 'Delete shop' })).toBeDisabled();
    expect(within(row('shop')).getByText('Provisioning · upgrade')).toBeInTheDocument();
    release();
    await waitFor(() => expect(within(row('shop')).queryByText(/sending/)).toBeNull());

    await user.click(screen.getByRole('button', { name: 'Retry bad' }));
    await waitFor(() => expect(fake.callsTo('POST', '/api/stores/bad/retry')).toHaveLength(1));
    await waitFor(() => expect(within(row('bad')).getByText('Provisioning · retry')).toBeInTheDocument());
  });
});

describe('FailureReason in the table', () => {
  // Proves a long helm failure is shortened but fully readable via a keyboard-reachable toggle.
  it('shortens long reasons with a toggle', async () => {
    const long = `Install failed: ${'helm said something long. '.repeat(12)}END`;
    const { user } = renderWithProviders(
      <StoreTable stores={[makeStore({ name: 'bad', status: 'FAILED', error: long })]} isLoading={false} />,
    );
    const toggle = within(row('bad')).getByRole('button', { name: 'Show full reason' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(row('bad')).not.toHaveTextContent('END');
    toggle.focus();
    await user.keyboard('{Enter}');
    expect(row('bad')).toHaveTextContent('END');
    expect(within(row('bad')).getByRole('button', { name: 'Show less' })).toHaveAttribute('aria-expanded', 'true');
  });
});
