import { describe, expect, it } from 'vitest';
import { stableJson, valuesDiff } from './valuesDiff';

describe('stableJson', () => {
  // Proves key order does not matter: the same values print the same, at every level.
  it('sorts keys at every level', () => {
    const a = stableJson({ b: 1, a: { d: [{ y: 1, x: 2 }], c: null } });
    const b = stableJson({ a: { c: null, d: [{ x: 2, y: 1 }] }, b: 1 });
    expect(a).toBe(b);
    expect(a).toBe('{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "x": 2,\n        "y": 1\n      }\n    ]\n  },\n  "b": 1\n}');
  });
});

describe('valuesDiff', () => {
  // Proves a changed value is one removed and one added line, with the unchanged lines kept as context.
  it('marks changed lines', () => {
    const lines = valuesDiff({ plan: 'small', version: '6.7' }, { version: '6.8', plan: 'small' });
    expect(lines).toEqual([
      { kind: 'same', text: '{' },
      { kind: 'same', text: '  "plan": "small",' },
      { kind: 'removed', text: '  "version": "6.7"' },
      { kind: 'added', text: '  "version": "6.8"' },
      { kind: 'same', text: '}' },
    ]);
  });

  // Proves equal values (in any key order) give no added or removed line.
  it('finds nothing between reordered equal values', () => {
    const lines = valuesDiff({ a: 1, b: { c: 2 } }, { b: { c: 2 }, a: 1 });
    expect(lines.every((l) => l.kind === 'same')).toBe(true);
  });
});
