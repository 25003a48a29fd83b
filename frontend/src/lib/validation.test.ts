import { describe, expect, it } from 'vitest';
import { validateRevision, validateStoreName, validateUserId } from './validation';

describe('validateStoreName', () => {
  // Proves valid DNS-label-like names between 3 and 40 chars pass.
  it.each(['abc', 'my-shop', 'a1b2', 'shop-2024', 'a'.repeat(40)])('accepts %s', (name) => {
    expect(validateStoreName(name)).toBeNull();
  });

  // Proves length, charset, leading/trailing rules and reserved names mirror the server.
  it.each([
    ['', /required/],
    ['ab', /3 to 40/],
    ['a'.repeat(41), /3 to 40/],
    ['My-shop', /lowercase/],
    ['1shop', /start with a letter/],
    ['shop-', /end with a letter or digit/],
    ['sh_op', /lowercase/],
    ['metrics', /reserved/],
    ['activity', /reserved/],
    ['health', /reserved/],
  ])('rejects %j', (name, message) => {
    expect(validateStoreName(name)).toMatch(message);
  });
});

describe('validateUserId', () => {
  // Proves the allowed userId charset [A-Za-z0-9._@-] and 1..64 length.
  it('accepts ids made of the allowed characters', () => {
    expect(validateUserId('alice')).toBeNull();
    expect(validateUserId('Bob.Smith_1@example-corp')).toBeNull();
    expect(validateUserId('x'.repeat(64))).toBeNull();
  });

  // Proves empty, too long and disallowed characters are refused.
  it('rejects empty, too long and invalid ids', () => {
    expect(validateUserId('')).toMatch(/required/);
    expect(validateUserId('x'.repeat(65))).toMatch(/64/);
    expect(validateUserId('alice smith')).toMatch(/letters, digits/);
    expect(validateUserId('a/b')).toMatch(/letters, digits/);
  });
});

describe('validateRevision', () => {
  // Proves the rollback revision is optional but must be a positive integer when given.
  it('allows empty and positive integers only', () => {
    expect(validateRevision('')).toBeNull();
    expect(validateRevision('3')).toBeNull();
    expect(validateRevision('0')).toMatch(/1 or more/);
    expect(validateRevision('1.5')).toMatch(/whole number/);
    expect(validateRevision('abc')).toMatch(/whole number/);
  });
});
