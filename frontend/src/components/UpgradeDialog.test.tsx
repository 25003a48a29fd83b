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

  // Proves that with a preview the upgrade is sent only after the diff of current vs proposed values is shown and
  // confirmed, and Back returns to the form without sending.
  it('shows the previewed diff before the upgrade is confirmed', async () => {
    const onPreview = vi.fn().mockResolvedValue({
      fromRevision: 3,
      current: { plan: 'small', version: '6.8' },
      proposed: { plan: 'medium', version: '6.8' },
    });
    const { user, onSubmit } = show({ onPreview });
    await user.selectOptions(screen.getByLabelText('Plan'), 'medium');
    await user.click(screen.getByRole('button', { name: 'Upgrade' }));
    expect(onPreview).toHaveBeenCalledWith({ version: '6.8', plan: 'medium' });
    expect(onSubmit).not.toHaveBeenCalled();
    const diff = await screen.findByRole('figure', { name: 'Values diff: revision 3 (now) → after the upgrade' });
    expect([...diff.querySelectorAll('[data-kind="removed"]')].map((e) => e.textContent?.trim())).toEqual(['-removed:   "plan": "small",']);
    expect([...diff.querySelectorAll('[data-kind="added"]')].map((e) => e.textContent?.trim())).toEqual(['+added:   "plan": "medium",']);

    expect(screen.getByRole('button', { name: 'Confirm upgrade' })).toHaveFocus();

    await user.click(screen.getByRole('button', { name: 'Back' }));
    expect(screen.getByLabelText('Plan')).toHaveValue('medium');
    await user.click(screen.getByRole('button', { name: 'Upgrade' }));
    await user.click(await screen.findByRole('button', { name: 'Confirm upgrade' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit).toHaveBeenCalledWith({ version: '6.8', plan: 'medium' });
  });

  // Proves values the preview refuses (validated like the upgrade) show at their fields, and nothing is sent.
  it('shows values the preview refuses at their fields', async () => {
    const refused = new ApiError(400, 'These values cannot be set', {
      status: 400,
      errors: { 'values.plan': ["'huge' is not a plan."] },
    });
    const { user, onSubmit } = show({ onPreview: vi.fn().mockRejectedValue(refused) });
    await user.click(screen.getByRole('button', { name: 'Upgrade' }));
    expect(await screen.findByText("'huge' is not a plan.")).toBeInTheDocument();
    expect(screen.getByLabelText('Plan')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByRole('button', { name: 'Confirm upgrade' })).toBeNull();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  // Proves a preview that cannot be had (e.g. the API is down) is said, and the upgrade can still be confirmed.
  it('says when the preview cannot be had', async () => {
    const { user, onSubmit } = show({ onPreview: vi.fn().mockRejectedValue(new ApiError(0, 'Cannot reach the API')) });
    await user.click(screen.getByRole('button', { name: 'Upgrade' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The changes cannot be shown: Cannot reach the API');
    await user.click(screen.getByRole('button', { name: 'Confirm upgrade' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });
});
