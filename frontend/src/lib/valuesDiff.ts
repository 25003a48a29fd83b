import { diffLines } from 'diff';

/**
 * JSON with object keys sorted at every level and two-space indentation, so two values that are equal print the
 * same and a diff shows what changed, not how the keys happened to be ordered.
 */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) {
      sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    }
    return sorted;
  }
  return value;
}

export type DiffLineKind = 'added' | 'removed' | 'same';

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
}

/** A line diff (jsdiff's `diffLines`) of the stable JSON of `before` and `after`, one entry per line. */
export function valuesDiff(before: unknown, after: unknown): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const change of diffLines(stableJson(before) + '\n', stableJson(after) + '\n')) {
    const kind: DiffLineKind = change.added ? 'added' : change.removed ? 'removed' : 'same';
    const text = change.value.endsWith('\n') ? change.value.slice(0, -1) : change.value;
    for (const line of text.split('\n')) lines.push({ kind, text: line });
  }
  return lines;
}
