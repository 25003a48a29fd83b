import type { Store } from '../api/types';
import { useNow } from '../hooks/useNow';
import { StoreRow } from './StoreRow';

interface StoreTableProps {
  stores: Store[] | undefined;
  isLoading: boolean;
  /** Operators and admins see whose store each is; a `user` sees only their own. */
  showOwner?: boolean;
}

export function StoreTable({ stores, isLoading, showOwner = true }: StoreTableProps) {
  const now = useNow(5000);

  if (isLoading && !stores) {
    return (
      <p className="state state-loading" role="status">
        Loading stores…
      </p>
    );
  }
  if (!stores || stores.length === 0) {
    return (
      <div className="state state-empty">
        <p>
          <strong>No stores yet.</strong>
        </p>
        <p>Create one with the form above; it appears here while it is being provisioned.</p>
      </div>
    );
  }

  return (
    <div className="table-wrap">
      <table className="stores">
        <caption className="visually-hidden">Stores, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">{showOwner ? 'Engine / owner' : 'Engine'}</th>
            <th scope="col">Status</th>
            <th scope="col">Revision</th>
            <th scope="col">Age</th>
            <th scope="col">URL / reason</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {stores.map((s) => (
            <StoreRow key={s.id ?? s.name} store={s} now={now} showOwner={showOwner} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
