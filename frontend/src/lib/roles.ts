import type { Role } from '../api/types';

/**
 * Operators and admins see every store with its owner and may create stores on behalf of a user.
 * Anything else (including a role this dashboard does not know) gets the `user` view; the server
 * enforces the rules either way.
 */
export function canActForOthers(role: Role | string): boolean {
  return role === 'operator' || role === 'admin';
}
