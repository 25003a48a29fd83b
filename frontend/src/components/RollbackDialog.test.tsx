import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { installFakeApi, makeRevision, makeStore } from '../test/fakeApi';
import { renderWithProviders } from '../test/render';
import { RollbackDialog } from './RollbackDialog';

const revisions = {
  acme: [
    makeRevision(1, { plan: 'small', version: '6.7' }),
    makeRevision(2, { plan: 'small', version: '6.8' }, { rollbackTarget: true }),
    makeRevision(3, { plan: 'medium', version: '6.8' }),
  ],
};

describe('RollbackDialog', () => {
  // Proves the dialog diffs the current revision's values against the target's before the rollback is confirmed:
  // the API's rollback target by default, the one typed otherwise.
  it('shows current vs target values before confirming', async () => {
    const fake = installFakeApi({ stores: [makeStore({ name: 'acme', revision: 3 })], revisions });
    const onConfirm = vi.fn();
    const { user } = renderWithProviders(<RollbackDialog storeName="acme" currentRevision={3} onConfirm={onConfirm} onCancel={() => {}} />);
    const byDefault = await screen.findByRole('figure', { name: 'Values diff: revision 3 (now) → revision 2' });
    expect([...byDefault.querySelectorAll('[data-kind="added"]')].map((e) => e.textContent?.trim())).toEqual(['+added:   "plan": "small",']);

    await user.type(screen.getByLabelText('Target revision (optional)'), '1');
    const typed = await screen.findByRole('figure', { name: 'Values diff: revision 3 (now) → revision 1' });
    expect([...typed.querySelectorAll('[data-kind="added"]')].map((e) => e.textContent?.trim())).toEqual([
      '+added:   "plan": "small",',
      '+added:   "version": "6.7"',
    ]);
    expect(fake.callsTo('GET', '/api/stores/acme/revisions/3/values').length).toBeGreaterThan(0);
    expect(onConfirm).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Roll back' }));
    expect(onConfirm).toHaveBeenCalledWith(1);
  });

  // Proves the default target is the revision the API's history marks as the rollback target (here revision 2, behind a
  // failed revision 3): the dialog does not restate the API's rule.
  it('diffs against the revision the API marks as the rollback target by default', async () => {
    const withFailed = {
      acme: [
        revisions.acme[0],
        { ...revisions.acme[1], rollbackTarget: true },
        makeRevision(3, { plan: 'huge', version: '6.8' }, { status: 'failed' }),
        makeRevision(4, { plan: 'medium', version: '6.8' }),
      ],
    };
    installFakeApi({ stores: [makeStore({ name: 'acme', revision: 4 })], revisions: withFailed });
    renderWithProviders(<RollbackDialog storeName="acme" currentRevision={4} onConfirm={() => {}} onCancel={() => {}} />);
    expect(await screen.findByRole('figure', { name: 'Values diff: revision 4 (now) → revision 2' })).toBeInTheDocument();
  });

  // Proves a target revision the API does not have is said instead of a diff.
  it('says when the target revision cannot be read', async () => {
    installFakeApi({ stores: [makeStore({ name: 'acme', revision: 3 })], revisions });
    const { user } = renderWithProviders(<RollbackDialog storeName="acme" currentRevision={3} onConfirm={() => {}} onCancel={() => {}} />);
    await user.type(screen.getByLabelText('Target revision (optional)'), '9');
    expect(await screen.findByRole('alert')).toHaveTextContent(/The changes cannot be shown: Revision 9 of 'acme' was not found/);
  });
});
