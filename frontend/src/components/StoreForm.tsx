import { useId, useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/client';
import type { Engine } from '../api/types';
import { useCreateStore } from '../hooks/useStoreMutations';
import { validateStoreName, validateUserId } from '../lib/validation';
import { TextField } from './TextField';

type Field = 'storeName' | 'userId' | 'engine';

/** Maps a server field name (any casing, e.g. "StoreName" or "$.storeName") to a form field. */
function fieldFor(key: string): Field | null {
  const k = key.replace(/^\$\./, '').toLowerCase();
  if (k === 'storename' || k === 'name') return 'storeName';
  if (k === 'userid' || k === 'user') return 'userId';
  if (k === 'engine') return 'engine';
  return null;
}

interface StoreFormProps {
  /**
   * Operators and admins create on behalf of a user, so they name the owner; a `user` owns what they
   * create and sees no such field (the server takes the owner from their credential).
   */
  askOwner: boolean;
}

export function StoreForm({ askOwner }: StoreFormProps) {
  const [storeName, setStoreName] = useState('');
  const [userId, setUserId] = useState('');
  const [engine, setEngine] = useState<Engine>('woocommerce');
  const [touched, setTouched] = useState<Record<Field, boolean>>({ storeName: false, userId: false, engine: false });
  const [lastCreated, setLastCreated] = useState<string | null>(null);
  const create = useCreateStore();
  const ids = { name: useId(), user: useId(), engine: useId(), summary: useId() };

  const clientErrors: Partial<Record<Field, string | null>> = {
    storeName: validateStoreName(storeName),
    userId: askOwner ? validateUserId(userId) : null,
  };

  // Server-side refusal (problem+json): detail + per-field messages.
  const err = create.error;
  const problem = err instanceof ApiError ? err.problem : null;
  const serverFieldErrors: Partial<Record<Field, string[]>> = {};
  const otherServerErrors: string[] = [];
  for (const [key, messages] of Object.entries(problem?.errors ?? {})) {
    const field = fieldFor(key);
    const list = Array.isArray(messages) ? messages : [String(messages)];
    if (field) serverFieldErrors[field] = [...(serverFieldErrors[field] ?? []), ...list];
    else otherServerErrors.push(...list.map((m) => `${key}: ${m}`));
  }

  function fieldError(field: Field): string | null {
    if (touched[field] && clientErrors[field]) return clientErrors[field] ?? null;
    const server = serverFieldErrors[field];
    return server && server.length > 0 ? server.join(' ') : null;
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched({ storeName: true, userId: true, engine: true });
    setLastCreated(null);
    if (clientErrors.storeName || clientErrors.userId) return;
    create.mutate(
      askOwner ? { storeName, userId, engine } : { storeName, engine },
      {
        onSuccess: (store) => {
          const submitted = storeName;
          setLastCreated(store?.name ?? submitted);
          // Clear the name unless the operator has already started typing the next one.
          setStoreName((current) => (current === submitted ? '' : current));
          setTouched((t) => ({ ...t, storeName: false }));
        },
      },
    );
  }

  const nameErr = fieldError('storeName');
  const userErr = fieldError('userId');
  const engineErr = fieldError('engine');

  return (
    <form className="store-form" onSubmit={submit} noValidate aria-labelledby="create-store-heading">
      <h2 id="create-store-heading">Create a store</h2>
      <div className="form-grid">
        <TextField
          id={ids.name}
          label="Store name"
          name="storeName"
          value={storeName}
          maxLength={40}
          hint="3–40 lowercase letters, digits or hyphens."
          error={nameErr}
          onChange={(value) => {
            setStoreName(value);
            if (create.isError) create.reset();
          }}
          onBlur={() => setTouched((t) => ({ ...t, storeName: storeName !== '' || t.storeName }))}
        />
        <div className="field">
          <label htmlFor={ids.engine}>Engine</label>
          <select
            id={ids.engine}
            name="engine"
            value={engine}
            onChange={(e) => setEngine(e.target.value as Engine)}
            aria-invalid={engineErr ? true : undefined}
            aria-describedby={engineErr ? `${ids.engine}-err` : undefined}
          >
            <option value="woocommerce">WooCommerce</option>
            <option value="medusa">Medusa</option>
          </select>
          {engineErr && (
            <p id={`${ids.engine}-err`} className="field-error">
              {engineErr}
            </p>
          )}
        </div>
        {askOwner && (
          <TextField
            id={ids.user}
            label="User id"
            name="userId"
            value={userId}
            maxLength={64}
            hint="Letters, digits and . _ @ - (up to 64)."
            error={userErr}
            onChange={(value) => {
              setUserId(value);
              if (create.isError) create.reset();
            }}
            onBlur={() => setTouched((t) => ({ ...t, userId: userId !== '' || t.userId }))}
          />
        )}
        <div className="field field-submit">
          <button type="submit" className="primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create store'}
          </button>
        </div>
      </div>

      {create.isError && (
        <div className="form-problem" role="alert" id={ids.summary}>
          <p>
            <strong>{problem?.title ?? 'Request refused'}</strong>
            {problem?.status ? ` (HTTP ${problem.status})` : err instanceof ApiError && err.status ? ` (HTTP ${err.status})` : ''}
            {': '}
            {errorMessage(err)}
          </p>
          {otherServerErrors.length > 0 && (
            <ul>
              {otherServerErrors.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {lastCreated && !create.isError && (
        <p className="form-success" role="status">
          Store <strong>{lastCreated}</strong> requested; provisioning has started.
        </p>
      )}
    </form>
  );
}
