import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import type { Catalog } from '../api/types';
import { UpgradeDialog } from './UpgradeDialog';

const catalog: Catalog = {
  defaultPlan: 'small',
  plans: [
    { name: 'small', title: 'Small', maxReplicas: 1 },
    { name: 'medium', title: 'Medium', maxReplicas: 2 },
  ],
  engines: [
    {
      engine: 'woocommerce',
      defaultVersion: '6.8',
      versions: [
        { version: '6.8', title: 'WordPress 6.8.3' },
        { version: '6.7', title: 'WordPress 6.7.2' },
      ],
      settings: ['plan', 'version', 'storeTitle'],
      operatorSettings: ['resources'],
    },
    { engine: 'medusa', defaultVersion: '2.21', versions: [{ version: '2.21', title: 'Medusa 2.21.2' }], settings: ['plan', 'version', 'replicas'], operatorSettings: [] },
  ],
};

function show(props: Partial<Parameters<typeof UpgradeDialog>[0]> = {}) {
  const onSubmit = props.onSubmit ?? vi.fn().mockResolvedValue(undefined);
  render(
    <UpgradeDialog storeName="acme" engine="woocommerce" catalog={catalog} canEditRawValues={false} onSubmit={onSubmit} onCancel={() => {}} {...props} />,
  );
  return { user: userEvent.setup(), onSubmit };
}

describe('UpgradeDialog', () => {
  // Proves the form offers exactly the catalog's versions of the store's engine and the catalog's plans, and sends the choice.
  it('offers only catalog versions and plans', async () => {
    const { user, onSubmit } = show();
    const versions = within(screen.getByLabelText('Version')).getAllByRole('option').map((o) => o.textContent);
    expect(versions).toEqual(['WordPress 6.8.3', 'WordPress 6.7.2']);
    const plans = within(screen.getByLabelText('Plan')).getAllByRole('option').map((o) => (o as HTMLOptionElement).value);
    expect(plans).toEqual(['', 'small', 'medium']);
    expect(screen.queryByLabelText(/Chart values as JSON/)).not.toBeInTheDocument(); // no raw values for a store owner

    await user.selectOptions(screen.getByLabelText('Version'), '6.7');
    await user.selectOptions(screen.getByLabelText('Plan'), 'medium');
    await user.type(screen.getByLabelText('Shop title (optional)'), 'Acme Coffee');
    await user.click(screen.getByRole('button', { name: 'Upgrade' }));
    expect(onSubmit).toHaveBeenCalledWith({ version: '6.7', plan: 'medium', storeTitle: 'Acme Coffee' });
  });

  // Proves a value the API refuses is shown next to its field, and the dialog stays open.
  it('shows a refused value as its field error', async () => {
    const refused = new ApiError(400, 'These values cannot be set', {
      status: 400,
      title: 'Value not allowed',
      errors: { 'values.version': ["'6.7' is not an approved woocommerce version. Approved: 6.8."] },
    });
    const { user } = show({ onSubmit: vi.fn().mockRejectedValue(refused) });
    await user.selectOptions(screen.getByLabelText('Version'), '6.7');
    await user.click(screen.getByRole('button', { name: 'Upgrade' }));
    expect(await screen.findByText(/is not an approved woocommerce version/)).toBeInTheDocument();
    expect(screen.getByLabelText('Version')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Version')).toHaveAccessibleDescription(/Approved: 6.8/);
  });

  // Proves operators get a raw values view merged into the request, and a refused raw key is named in its error.
  it('gives operators a raw values view', async () => {
    const refused = new ApiError(400, 'These values cannot be set', {
      status: 400,
      errors: { 'values.securityContext': ['Security contexts are fixed by the platform.'] },
    });
    const onSubmit = vi.fn().mockRejectedValueOnce(refused).mockResolvedValue(undefined);
    const { user } = show({ canEditRawValues: true, engine: 'medusa', onSubmit });
    expect(screen.queryByLabelText('Shop title (optional)')).not.toBeInTheDocument(); // Medusa has no title setting
    const raw = screen.getByLabelText(/Chart values as JSON/);
    await user.click(raw);
    await user.paste('{"securityContext":{"runAsUser":0}}');
    await user.click(screen.getByRole('button', { name: 'Upgrade' }));
    expect(onSubmit).toHaveBeenCalledWith({ version: '2.21', securityContext: { runAsUser: 0 } });
    expect(await screen.findByText(/values.securityContext: Security contexts are fixed/)).toBeInTheDocument();
  });
});
