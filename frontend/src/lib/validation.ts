/** Client-side validation mirroring the server's rules (the server stays authoritative). */

export const STORE_NAME_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const USER_ID_PATTERN = /^[A-Za-z0-9._@-]+$/;
export const RESERVED_STORE_NAMES = ['metrics', 'activity', 'health'] as const;

export function validateStoreName(value: string): string | null {
  if (value.length === 0) return 'Store name is required.';
  if (value.length < 3 || value.length > 40) return 'Store name must be 3 to 40 characters long.';
  if (!STORE_NAME_PATTERN.test(value))
    return 'Use lowercase letters, digits and hyphens; start with a letter and end with a letter or digit.';
  if ((RESERVED_STORE_NAMES as readonly string[]).includes(value)) return `"${value}" is a reserved name.`;
  return null;
}

export function validateUserId(value: string): string | null {
  if (value.length === 0) return 'User id is required.';
  if (value.length > 64) return 'User id must be at most 64 characters long.';
  if (!USER_ID_PATTERN.test(value)) return 'User id may contain letters, digits and . _ @ - only.';
  return null;
}

export function validateRevision(value: string): string | null {
  if (value.trim() === '') return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) return 'Revision must be a whole number of 1 or more.';
  return null;
}
