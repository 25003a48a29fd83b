import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/client';
import type { Catalog, Engine, UpgradePreview } from '../api/types';
import { Modal } from './Modal';
import { ValuesDiff } from './ValuesDiff';

interface UpgradeDialogProps {
  storeName: string;
  engine: Engine;
  catalog: Catalog;
  /** Operators and admins may also send chart keys as raw JSON; store owners never see that view. */
  canEditRawValues: boolean;
  /** Sends the values; rejects with the API's error (a 400 names each refused key in `errors`). */
  onSubmit: (values: Record<string, unknown>) => Promise<unknown>;
  /**
   * Asks the API what the upgrade would change (POST …/upgrade/preview, validated like the upgrade, changes nothing).
   * When given, the dialog shows that diff and the upgrade is sent only once it is confirmed.
   */
  onPreview?: (values: Record<string, unknown>) => Promise<UpgradePreview>;
  onCancel: () => void;
}

/** The confirm step: the values diff the API previewed, or why it could not be shown. */
type Confirming = { values: Record<string, unknown>; preview: UpgradePreview | null; previewError: string | null };

type FieldErrors = Record<string, string[]>;

/**
 * The upgrade form: version and plan from the operator's catalog (nothing else can be picked), the shop title where
 * the engine has one, and for operators a raw values view. A refused value shows the API's error next to its field.
 */
export function UpgradeDialog({ storeName, engine, catalog, canEditRawValues, onSubmit, onPreview, onCancel }: UpgradeDialogProps) {
  const engineCatalog = catalog.engines.find((e) => e.engine === engine);
  const settings = engineCatalog?.settings ?? [];
  const [version, setVersion] = useState(engineCatalog?.defaultVersion ?? '');
  const [plan, setPlan] = useState('');
  const [title, setTitle] = useState('');
  const [raw, setRaw] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  // The form's button is gone once the diff shows: keyboard focus moves to Confirm.
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  const ids = { version: useId(), plan: useId(), title: useId(), raw: useId() };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const values: Record<string, unknown> = {};
    if (version) values.version = version;
    if (plan) values.plan = plan;
    if (title.trim()) values.storeTitle = title.trim();
    if (canEditRawValues && raw.trim()) {
      try {
        const extra: unknown = JSON.parse(raw);
        if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) throw new Error('not an object');
        Object.assign(values, extra);
      } catch {
        setErrors({ raw: ['Raw values must be a JSON object, e.g. {"resources": {"limits": {"memory": "1Gi"}}}.'] });
        return;
      }
    }

    setSending(true);
    setErrors({});
    setGeneral(null);
    if (onPreview) {
      try {
        setConfirming({ values, preview: await onPreview(values), previewError: null });
      } catch (err) {
        // Refused values are refused by the preview exactly as by the upgrade: show them at their fields.
        if (!showRefusal(err, false)) setConfirming({ values, preview: null, previewError: errorMessage(err) });
      } finally {
        setSending(false);
      }
      return;
    }
    await send(values);
  }

  async function send(values: Record<string, unknown>) {
    setSending(true);
    try {
      await onSubmit(values);
    } catch (err) {
      setConfirming(null);
      showRefusal(err, true);
    } finally {
      setSending(false);
    }
  }

  /** Puts the API's per-key errors next to their fields (true), or else, when `always`, the message under the form. */
  function showRefusal(err: unknown, always: boolean): boolean {
    const fieldErrors = err instanceof ApiError ? err.problem?.errors : undefined;
    if (fieldErrors && typeof fieldErrors === 'object') {
      const mapped: FieldErrors = {};
      for (const [key, messages] of Object.entries(fieldErrors as Record<string, string[]>)) {
        const field = key === 'values.version' ? 'version' : key === 'values.plan' ? 'plan' : key === 'values.storeTitle' ? 'title' : 'raw';
        mapped[field] = [...(mapped[field] ?? []), ...(field === 'raw' ? messages.map((m) => `${key}: ${m}`) : messages)];
      }
      setErrors(mapped);
      return true;
    }
    if (always) setGeneral(errorMessage(err));
    return false;
  }

  const describe = (field: string, hint?: string) =>
    [hint, errors[field] ? `${ids[field as keyof typeof ids]}-error` : undefined].filter(Boolean).join(' ') || undefined;
  const fieldError = (field: string) =>
    errors[field] && (
      <p id={`${ids[field as keyof typeof ids]}-error`} className="field-error">
        {errors[field].join(' ')}
      </p>
    );

  if (confirming) {
    const { preview, previewError, values } = confirming;
    const from = preview?.fromRevision;
    return (
      <Modal title={`Upgrade ${storeName}`} onClose={onCancel}>
        <h3 className="dialog-step">What the upgrade changes</h3>
        {preview ? (
          <ValuesDiff
            before={preview.current}
            after={preview.proposed}
            beforeLabel={from === null || from === undefined ? 'now' : `revision ${from} (now)`}
            afterLabel="after the upgrade"
          />
        ) : (
          <p className="field-error" role="alert">
            The changes cannot be shown: {previewError}
          </p>
        )}
        <p className="hint">Only the values you may see are shown; secrets never are.</p>
        <div className="modal-actions">
          <button type="button" onClick={() => setConfirming(null)}>
            Back
          </button>
          <button ref={confirmRef} type="button" className="primary" disabled={sending} onClick={() => send(values)}>
            Confirm upgrade
          </button>
        </div>
      </Modal>
    );
  }

  return (
    <Modal title={`Upgrade ${storeName}`} onClose={onCancel}>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={ids.version}>Version</label>
          <select
            id={ids.version}
            value={version}
            onChange={(e) => setVersion(e.target.value)}
            aria-invalid={errors.version ? true : undefined}
            aria-describedby={describe('version')}
            data-autofocus
          >
            {(engineCatalog?.versions ?? []).map((v) => (
              <option key={v.version} value={v.version}>
                {v.title}
              </option>
            ))}
          </select>
          {fieldError('version')}
        </div>
        <div className="field">
          <label htmlFor={ids.plan}>Plan</label>
          <select
            id={ids.plan}
            value={plan}
            onChange={(e) => setPlan(e.target.value)}
            aria-invalid={errors.plan ? true : undefined}
            aria-describedby={describe('plan')}
          >
            <option value="">Keep the current plan</option>
            {catalog.plans.map((p) => (
              <option key={p.name} value={p.name}>
                {p.title}
              </option>
            ))}
          </select>
          {fieldError('plan')}
        </div>
        {settings.includes('storeTitle') && (
          <div className="field">
            <label htmlFor={ids.title}>Shop title (optional)</label>
            <input
              id={ids.title}
              value={title}
              maxLength={100}
              onChange={(e) => setTitle(e.target.value)}
              aria-invalid={errors.title ? true : undefined}
              aria-describedby={describe('title')}
            />
            {fieldError('title')}
          </div>
        )}
        {canEditRawValues && (
          <details className="field" open={!!errors.raw}>
            <summary>Raw values (operators)</summary>
            <label htmlFor={ids.raw}>Chart values as JSON, merged over the settings above</label>
            <textarea
              id={ids.raw}
              rows={5}
              value={raw}
              onChange={(e) => setRaw(e.target.value)}
              aria-invalid={errors.raw ? true : undefined}
              aria-describedby={describe('raw')}
            />
            {fieldError('raw')}
          </details>
        )}
        {!canEditRawValues && errors.raw && fieldError('raw')}
        {general && (
          <p className="field-error" role="alert">
            {general}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={sending}>
            Upgrade
          </button>
        </div>
      </form>
    </Modal>
  );
}
