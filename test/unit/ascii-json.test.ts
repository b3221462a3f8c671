import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiJson } from '../../src/data.js';

describe('asciiJson', () => {
  it('is JSON.stringify, indented, when there is nothing to escape', () => {
    const value = { feature: 'smoke_test', files: [{ path: 'a/b.py', sha256: 'ab'.repeat(32) }], note: 'tab\there, "quoted", back\\slash' };
    expect(asciiJson(value)).toBe(JSON.stringify(value, null, 2));
  });

  it('escapes DEL and everything above it, keeping the value', () => {
    for (const text of ['caf\u00e9', '\u007f', 'a\u2028b', '\u{1f43e}', 'bidi \u202e', 'lone \ud800']) {
      const json = asciiJson({ text });
      expect(json, text).toMatch(/^[\x20-\x7e\n]*$/);
      expect(JSON.parse(json)).toEqual({ text });
    }
  });

  it('is printable ASCII and newlines only, and parses back to the same value, whatever the strings', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' })), (value) => {
        const json = asciiJson(value);
        expect(json).toMatch(/^[\x20-\x7e\n]*$/);
        expect(JSON.parse(json)).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });
});
