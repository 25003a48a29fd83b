import { useMemo } from 'react';
import { valuesDiff } from '../lib/valuesDiff';

interface ValuesDiffProps {
  before: unknown;
  after: unknown;
  /** Names of the two sides, e.g. "revision 3" and "revision 4". */
  beforeLabel: string;
  afterLabel: string;
}

const PREFIX = { added: '+', removed: '-', same: ' ' } as const;

/**
 * A unified line diff of two sets of values (jsdiff over stable, key-sorted JSON): removed lines marked "-", added
 * lines "+", unchanged lines kept for context. Says so plainly when nothing differs.
 */
export function ValuesDiff({ before, after, beforeLabel, afterLabel }: ValuesDiffProps) {
  const lines = useMemo(() => valuesDiff(before, after), [before, after]);
  const added = lines.filter((l) => l.kind === 'added').length;
  const removed = lines.filter((l) => l.kind === 'removed').length;
  const caption = `Values diff: ${beforeLabel} → ${afterLabel}`;

  return (
    <figure className="values-diff" aria-label={caption}>
      <figcaption>
        <span className="diff-legend">
          <span className="diff-removed-legend">- {beforeLabel}</span> <span className="diff-added-legend">+ {afterLabel}</span>
        </span>{' '}
        <span className="diff-summary" role="status">
          {added === 0 && removed === 0 ? 'No differences in the values.' : `${removed} line(s) removed, ${added} line(s) added`}
        </span>
      </figcaption>
      <pre className="diff-lines">
        <code>
          {lines.map((l, i) => (
            <span key={i} className={`diff-line diff-${l.kind}`} data-kind={l.kind}>
              <span className="diff-prefix" aria-hidden="true">
                {PREFIX[l.kind]}
              </span>
              {l.kind !== 'same' && <span className="visually-hidden">{l.kind === 'added' ? 'added: ' : 'removed: '}</span>}
              {l.text}
              {'\n'}
            </span>
          ))}
        </code>
      </pre>
    </figure>
  );
}
