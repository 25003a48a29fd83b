import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../api/client';
import type { Revision } from '../api/types';
import { useRevisions, useRevisionValues } from '../hooks/usePolling';
import { validateRevision } from '../lib/validation';
import { Modal } from './Modal';
import { ValuesDiff } from './ValuesDiff';

interface RollbackDialogProps {
  storeName: string;
  currentRevision: number | null;
  onConfirm: (revision: number | undefined) => void;
  onCancel: () => void;
}

/** The revision the API rolls back to when none is asked for: the one its history marks (null when there is none). */
export function defaultRollbackTarget(history: Revision[]): number | null {
  return history.find((r) => r.rollbackTarget)?.revision ?? null;
}
/** The current revision's values against the target's (GET …/revisions/{n}/values, both sides), before confirming. */
function RollbackDiff({ storeName, current, target }: { storeName: string; current: number; target: number }) {
  const now = useRevisionValues(storeName, current);
  const then = useRevisionValues(storeName, target);
  const failure = now.error ?? then.error;
  if (failure) {
    return (
      <p className="field-error" role="alert">
        The changes cannot be shown: {errorMessage(failure)}
      </p>
    );
  }
  if (!now.data || !then.data) {
    return (
      <p className="state state-loading" role="status">
        Loading values…
      </p>
    );
  }
  return (
    <ValuesDiff before={now.data.values} after={then.data.values} beforeLabel={`revision ${current} (now)`} afterLabel={`revision ${target}`} />
  );
}

/**
 * Asks for an optional target revision (empty means "the previous revision") and shows what rolling back to it would
 * change in the values before it is confirmed.
 */
export function RollbackDialog({ storeName, currentRevision, onConfirm, onCancel }: RollbackDialogProps) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  // What the rollback goes to: the revision asked for, or the API's default read from the store's history.
  const history = useRevisions(storeName);
  const current = history.data?.length ? Math.max(...history.data.map((r) => r.revision)) : currentRevision;
  const asked = validateRevision(value) === null && value.trim() !== '' ? Number(value) : null;
  const target = asked ?? (history.data && current !== null ? defaultRollbackTarget(history.data) : null);

  function submit(e: FormEvent) {
    e.preventDefault();
    const problem = validateRevision(value);
    setError(problem);
    if (problem) return;
    onConfirm(value.trim() === '' ? undefined : Number(value));
  }

  return (
    <Modal title={`Roll back ${storeName}`} onClose={onCancel}>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={inputId}>Target revision (optional)</label>
          <input
            id={inputId}
            type="number"
            min={1}
            inputMode="numeric"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${hintId}${error ? ` ${errorId}` : ''}`}
            data-autofocus
          />
          <p id={hintId} className="hint">
            Leave empty to roll back to the previous revision
            {currentRevision !== null ? ` (current revision: ${currentRevision})` : ''}.
          </p>
          {error && (
            <p id={errorId} className="field-error">
              {error}
            </p>
          )}
        </div>
        {current !== null && target !== null && target >= 1 && target !== current && (
          <RollbackDiff storeName={storeName} current={current} target={target} />
        )}
        <div className="modal-actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Roll back
          </button>
        </div>
      </form>
    </Modal>
  );
}
