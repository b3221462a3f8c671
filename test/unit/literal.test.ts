import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pyDocstring, pyString } from '../../src/python/literal.js';
import { stringValue } from '../../src/python/scan.js';

const HOSTILE = ['"""', "'''", '\\', 'a\\', '\\N{BULLET}', '{{feature}}', '\nimport os', '\rimport os', '# -*- coding: latin-1 -*-', '\u202e', '\u2028', '\u0085', '<script>', '```', ' ', '"', "'", '\t'];
const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(...HOSTILE));
const hostileText = fc.array(text, { maxLength: 4 }).map((parts) => parts.join(''));
const literalValue = (literal: string) => stringValue({ kind: 'string', text: literal, start: 0, end: literal.length });

describe('pyString', () => {
  it('is ASCII-only, one line, and decodes back to the exact value', () => {
    fc.assert(
      fc.property(hostileText, (value) => {
        const literal = pyString(value);
        expect(literal).toMatch(/^[\x20-\x7e]*$/);
        expect(literalValue(literal)).toBe(value);
      }),
      { numRuns: 1000 },
    );
  });

  it("follows ruff's quote preference", () => {
    expect(pyString('say "hi"')).toBe(`'say "hi"'`);
    expect(pyString(`it's "x"`)).toBe(`'it\\'s "x"'`);
    expect(pyString('caf\u00e9 \u{1f600}')).toBe('"caf\\xe9 \\U0001f600"');
  });
});

describe('pyDocstring', () => {
  it('holds no quote, no raw edge whitespace and no line break in its source', () => {
    fc.assert(
      fc.property(hostileText, (value) => {
        const body = pyDocstring(value).slice(3, -3);
        expect(body).toMatch(/^[\x20-\x7e]*$/);
        expect(body).not.toMatch(/["']|^\s|\s$/);
        expect(literalValue(`"${body}"`)).toBe(value);
      }),
      { numRuns: 1000 },
    );
  });
});
