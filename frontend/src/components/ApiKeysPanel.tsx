import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, errorMessage } from '../api/client';
import { ROLES, type ApiKeyInfo, type CreatedApiKey, type Role } from '../api/types';
import { queryKeys } from '../hooks/queryKeys';
import { useNow } from '../hooks/useNow';
import { relativeTime } from '../lib/format';
import { validateUserId } from '../lib/validation';
import { ConfirmDialog } from './ConfirmDialog';
import { TextField } from './TextField';

/** The server's problem detail, and its per-field messages when it gives any. */
function Refusal({ error }: { error: unknown }) {
  const status = error instanceof ApiError && error.status ? ` (HTTP ${error.status})` : '';
  const fields = Object.entries(error instanceof ApiError ? (error.problem?.errors ?? {}) : {});
  return (
    <div className="form-problem" role="alert">
      <p>
        <strong>Refused{status}:</strong> {errorMessage(error)}
      </p>
      {fields.length > 0 && (
        <ul>
          {fields.map(([field, messages]) => (
            <li key={field}>{[messages].flat().join(' ')}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The new key, shown this once with a copy button; "Done" forgets it. */
function NewKey({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const id = useId();
  return (
    <div className="new-key" role="region" aria-label="New API key">
      <p>
        Key for <strong>{created.userId}</strong> ({created.role}){created.name ? ` “${created.name}”` : ''}. Copy it now:
        it is not shown again.
      </p>
      <label htmlFor={id} className="visually-hidden">
        New API key
      </label>
      <input id={id} className="new-key-value" readOnly value={created.key} onFocus={(e) => e.currentTarget.select()} />
      <button
        type="button"
        onClick={() =>
          navigator.clipboard.writeText(created.key).then(
            () => setCopied('yes'),
            () => setCopied('failed'),
          )
        }
      >
        Copy
      </button>
      <button type="button" onClick={onDone}>
        Done
      </button>
      {copied && (
        <span role="status">{copied === 'yes' ? ' Copied.' : ' Could not copy; select the key and copy it by hand.'}</span>
      )}
    </div>
  );
}

function CreateKeyForm() {
  const qc = useQueryClient();
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<Role>('user');
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const ids = { user: useId(), role: useId(), name: useId() };
  const create = useMutation({
    mutationFn: api.createKey,
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.apiKeys }),
  });
  const userErr = touched ? validateUserId(userId) : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (validateUserId(userId)) return;
    const trimmed = name.trim();
    create.mutate(trimmed ? { userId, role, name: trimmed } : { userId, role }, {
      onSuccess: () => {
        setUserId('');
        setName('');
        setTouched(false);
      },
    });
  }

  return (
    <>
      <form className="store-form" onSubmit={submit} noValidate aria-labelledby="create-key-heading">
        <h3 id="create-key-heading">Create a key</h3>
        <div className="form-grid">
          <TextField id={ids.user} label="User id" value={userId} maxLength={64} error={userErr} onChange={setUserId} />
          <div className="field">
            <label htmlFor={ids.role}>Role</label>
            <select id={ids.role} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.name}>Name (optional)</label>
            <input id={ids.name} value={name} maxLength={100} autoComplete="off" onChange={(e) => setName(e.target.value)} />
          </div>
          <div className="field field-submit">
            <button type="submit" className="primary" disabled={create.isPending}>
              {create.isPending ? 'Creating…' : 'Create key'}
            </button>
          </div>
        </div>
      </form>
      {create.isError && <Refusal error={create.error} />}
      {/* reset() drops the key from the mutation's memory as well as from the screen. */}
      {create.data && <NewKey created={create.data} onDone={() => create.reset()} />}
    </>
  );
}

function KeyRow({ info, now }: { info: ApiKeyInfo; now: number }) {
  const qc = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation({
    mutationFn: () => api.revokeKey(info.id),
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.apiKeys }),
  });
  const label = info.name || info.id;
  return (
    <tr data-key={info.id}>
      <th scope="row">{label}</th>
      <td>{info.userId}</td>
      <td>{info.role}</td>
      <td>
        <time dateTime={info.createdAt} title={info.createdAt}>
          {relativeTime(info.createdAt, now)}
        </time>
      </td>
      <td>
        {info.expiresAt ? (
          <time dateTime={info.expiresAt} title={info.expiresAt}>
            {new Date(info.expiresAt).toLocaleString()}
          </time>
        ) : (
          'never'
        )}
      </td>
      <td className="actions">
        {info.revokedAt ? (
          'revoked'
        ) : (
          <button
            type="button"
            className="danger"
            disabled={revoke.isPending}
            onClick={() => setConfirming(true)}
            aria-label={`Revoke ${label}`}
          >
            Revoke
          </button>
        )}
        {revoke.isError && <Refusal error={revoke.error} />}
        {confirming && (
          <ConfirmDialog
            title={`Revoke ${label}?`}
            message={`Requests with this key (${info.userId}, ${info.role}) are refused from now on. This cannot be undone.`}
            confirmLabel="Revoke key"
            onCancel={() => setConfirming(false)}
            onConfirm={() => {
              setConfirming(false);
              revoke.mutate();
            }}
          />
        )}
      </td>
    </tr>
  );
}

/** Admins only: create (the key is shown once), list (metadata only) and revoke API keys. */
export function ApiKeysPanel() {
  const now = useNow(5000);
  const keys = useQuery({ queryKey: queryKeys.apiKeys, queryFn: ({ signal }) => api.listKeys(signal) });
  return (
    <section className="panel" aria-labelledby="keys-heading">
      <h2 id="keys-heading">API keys</h2>
      <CreateKeyForm />
      {keys.isError ? (
        <Refusal error={keys.error} />
      ) : keys.isPending ? (
        <p className="state state-loading" role="status">
          Loading keys…
        </p>
      ) : keys.data.length === 0 ? (
        <p className="state state-empty">No keys yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="stores keys">
            <caption className="visually-hidden">API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((k) => (
                <KeyRow key={k.id} info={k} now={now} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
