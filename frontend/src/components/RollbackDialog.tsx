import { useId, useState, type FormEvent } from 'react';
import { validateRevision } from '../lib/validation';
import { Modal } from './Modal';

interface RollbackDialogProps {
  storeName: string;
  currentRevision: number | null;
  onConfirm: (revision: number | undefined) => void;
  onCancel: () => void;
}

/** Asks for an optional target revision; empty means "the previous revision". */
export function RollbackDialog({ storeName, currentRevision, onConfirm, onCancel }: RollbackDialogProps) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();

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
