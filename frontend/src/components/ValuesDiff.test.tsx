import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ValuesDiff } from './ValuesDiff';

describe('ValuesDiff', () => {
  // Proves the diff renders removed and added lines with +/- markers and a text summary, labelled by its two sides.
  it('renders a unified line diff', () => {
    const { container } = render(
      <ValuesDiff before={{ plan: 'small', storeTitle: 'Old' }} after={{ plan: 'medium', storeTitle: 'Old' }} beforeLabel="revision 1" afterLabel="revision 2" />,
    );
    expect(screen.getByRole('figure', { name: 'Values diff: revision 1 → revision 2' })).toBeInTheDocument();
    const removed = [...container.querySelectorAll('[data-kind="removed"]')].map((e) => e.textContent);
    const added = [...container.querySelectorAll('[data-kind="added"]')].map((e) => e.textContent);
    expect(removed).toEqual(['-removed:   "plan": "small",\n']);
    expect(added).toEqual(['+added:   "plan": "medium",\n']);
    expect(screen.getByRole('status')).toHaveTextContent('1 line(s) removed, 1 line(s) added');
  });

  // Proves identical values say "no differences" instead of showing an empty diff.
  it('says when nothing differs', () => {
    const { container } = render(<ValuesDiff before={{ a: 1 }} after={{ a: 1 }} beforeLabel="revision 1" afterLabel="revision 2" />);
    expect(screen.getByRole('status')).toHaveTextContent('No differences in the values.');
    expect(container.querySelectorAll('[data-kind="added"], [data-kind="removed"]')).toHaveLength(0);
  });
});
