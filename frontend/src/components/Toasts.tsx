import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import { ToastContext, type Toast, type ToastKind } from '../hooks/useToasts';

const TTL_MS: Record<ToastKind, number> = { success: 5000, info: 5000, error: 10000 };

/** Toast messages in live regions: errors are announced assertively, others politely. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((t) => t.filter((x) => x.id !== id)), []);
  const notify = useCallback(
    (kind: ToastKind, message: string) => {
      const id = nextId.current++;
      setToasts((t) => [...t.slice(-4), { id, kind, message }]);
      setTimeout(() => dismiss(id), TTL_MS[kind]);
    },
    [dismiss],
  );
  const value = useMemo(() => ({ notify }), [notify]);

  const render = (kinds: ToastKind[]) =>
    toasts
      .filter((t) => kinds.includes(t.kind))
      .map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`}>
          <span aria-hidden="true">{t.kind === 'error' ? '✕' : '✓'}</span> <span className="toast-message">{t.message}</span>
          <button type="button" className="toast-close" onClick={() => dismiss(t.id)} aria-label="Dismiss message">
            ×
          </button>
        </div>
      ));

  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts">
        <div aria-live="assertive" className="toast-region" data-testid="toasts-errors">
          {render(['error'])}
        </div>
        <div aria-live="polite" className="toast-region" data-testid="toasts-info">
          {render(['success', 'info'])}
        </div>
      </div>
    </ToastContext.Provider>
  );
}
