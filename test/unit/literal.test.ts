import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pyDocstring, pyString } from '../../src/python/literal.js';
import { stringValue } from '../../src/python/scan.js';

const HOSTILE = ['"""', "'''", '\\', 'a\\', '\\N{BULLET}', '{{feature}}', '\nimport os', '\rimport os', '# -*- coding: latin-1 -*-', '\u202e', '\u2028', '\u0085', '<script>', '```', ' ', '"', "'", '\t'];
const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(...HOSTILE));
const hostileText = fc.array(text, { maxLength: 4 }).map((parts) => parts.join(''));
const literalValue = (literal: string) => stringValue({ kind: 'string', text: literal, start: 0, end: literal.length }) ?? '<not a literal>';

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
  const decoded = (docstring: string) => literalValue(docstring);

  it('is ASCII-only, with no raw edge whitespace and no quote run, and decodes to the exact value on one line', () => {
    fc.assert(
      fc.property(hostileText, (value) => {
        const docstring = pyDocstring(value);
        const body = docstring.slice(3, -3);
        expect(body).toMatch(/^[\x20-\x7e]*$/);
        expect(body).not.toMatch(/^\s|\s$|^"|(?<!\\)""|(?<!\\)"$/);
        expect(decoded(docstring)).toBe(value);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps apostrophes and quotes as written, escaping only a quote that would end it', () => {
    expect(pyDocstring(`The household's "pets"`)).toBe(`"""The household's "pets\\""""`);
    expect(pyDocstring('a """ b')).toBe('"""a \\"\\"" b"""');
  });

  it('wraps at single spaces to fit the line, and reads the same with the breaks as spaces', () => {
    fc.assert(
      fc.property(hostileText, fc.constantFrom('', '    '), fc.integer({ min: 20, max: 100 }), (value, indent, lineLength) => {
        const docstring = pyDocstring(value, indent, lineLength);
        const lines = `${indent}${docstring}`.split('\n');
        // A line longer than the limit holds one word, which E501 allows.
        for (const line of lines) if (line.length > lineLength) expect(line.trim()).not.toContain(' ');
        for (const line of lines.slice(1)) expect(line.startsWith(indent) && line[indent.length] !== ' ').toBe(true);
        expect(decoded(docstring).replaceAll(`\n${indent}`, ' ')).toBe(value.replaceAll(`\n${indent}`, ' '));
      }),
      { numRuns: 1000 },
    );
  });
});
