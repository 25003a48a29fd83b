import { describe, expect, it } from 'vitest';
import { actionLabel, actionTone, relativeTime } from './format';

describe('actionLabel', () => {
  // Proves known action codes map to readable labels.
  it.each([
    ['install.succeeded', 'Install succeeded'],
    ['install.failed', 'Install failed'],
    ['create.requested', 'Creation requested'],
    ['delete.requested', 'Deletion requested'],
    ['store.removed', 'Store removed'],
    ['rollback.requested', 'Rollback requested'],
  ])('%s → %s', (code, label) => {
    expect(actionLabel(code)).toBe(label);
  });

  // Proves unknown codes fall back to a readable sentence instead of the raw code.
  it('makes unknown codes readable', () => {
    expect(actionLabel('namespace.quota_applied')).toBe('Namespace quota applied');
    expect(actionLabel('backupCompleted')).toBe('Backup completed');
    expect(actionLabel('')).toBe('Unknown action');
  });

  // Proves the tone helper classifies outcomes (used only as a visual supplement to the text).
  it('classifies tones', () => {
    expect(actionTone('install.succeeded')).toBe('ok');
    expect(actionTone('upgrade.failed')).toBe('fail');
    expect(actionTone('retry.requested')).toBe('info');
  });
});

describe('relativeTime', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');

  // Proves seconds/minutes/hours/days formatting relative to "now".
  it.each([
    ['2026-01-01T12:00:00Z', 'just now'],
    ['2026-01-01T11:59:30Z', '30s ago'],
    ['2026-01-01T11:55:00Z', '5m ago'],
    ['2026-01-01T09:00:00Z', '3h ago'],
    ['2025-12-30T12:00:00Z', '2d ago'],
    ['2026-01-01T12:00:20Z', 'in 20s'],
  ])('%s → %s', (iso, text) => {
    expect(relativeTime(iso, now)).toBe(text);
  });

  // Proves missing or unparsable timestamps render a dash rather than "NaN".
  it('handles missing values', () => {
    expect(relativeTime(null, now)).toBe('—');
    expect(relativeTime('not a date', now)).toBe('—');
  });
});
