import type { Me } from '../api/types';

/** "signed in as X (role)" and the way out. */
export function SignedInAs({ me, onSignOut }: { me: Me; onSignOut: (() => void) | null }) {
  return (
    <span className="signed-in">
      <span>
        signed in as <strong className="signed-in-user">{me.userId}</strong> ({me.role})
      </span>
      {me.authMode === 'none' && <span className="signed-in-warning"> · no authentication (AUTH_MODE=none)</span>}
      {onSignOut && (
        <button type="button" className="sign-out" onClick={onSignOut}>
          Sign out
        </button>
      )}
    </span>
  );
}
